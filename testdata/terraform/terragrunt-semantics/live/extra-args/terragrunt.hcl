# extra_arguments var files become -var-file arguments, above the inputs
# (https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#terraform).
terraform {
  source = "../../modules//toggle"

  extra_arguments "vars" {
    commands           = get_terraform_commands_that_need_vars()
    required_var_files = ["${get_terragrunt_dir()}/off.tfvars"]
    optional_var_files = ["${get_terragrunt_dir()}/missing.tfvars"]
  }
}

inputs = {
  enabled = true
}
