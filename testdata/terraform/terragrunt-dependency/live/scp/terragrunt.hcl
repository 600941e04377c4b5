terraform {
  source = "../../modules//scp"
}

# The real root id exists once `../org` is applied; its mock stands in for it
# (https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#dependency).
dependency "org" {
  config_path = "../org"

  mock_outputs = {
    root_id = "r-mock1"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  target_id = dependency.org.outputs.root_id
}
