# rootguard never reads the environment: the default decides
# (https://terragrunt.gruntwork.io/docs/reference/hcl/functions/#get_env).
terraform {
  source = "../../modules//toggle"
}

inputs = {
  enabled = get_env("ENABLE_ROOT_MFA", "false")
}
