terraform {
  source = "../../modules//config-rules"
}

# Terragrunt passes inputs as TF_VAR_ variables
# (https://terragrunt.gruntwork.io/docs/reference/hcl/attributes/#inputs)
inputs = {
  enable_root_mfa_rules = false
}
