# https://terragrunt.gruntwork.io/docs/reference/hcl/functions/#read_terragrunt_config
locals {
  common = read_terragrunt_config(find_in_parent_folders("common.hcl"))
}

terraform {
  source = "../../modules//toggle"
}

inputs = {
  enabled = local.common.locals.enabled
}
