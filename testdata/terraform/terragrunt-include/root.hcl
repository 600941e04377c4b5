# The configuration every unit includes, named `root.hcl` as Terragrunt recommends
# (https://terragrunt.gruntwork.io/docs/migrate/migrating-from-root-terragrunt-hcl/).
# Its locals stay its own; its inputs are merged into each unit's
# (https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#include).
locals {
  org = "acme"
}

inputs = {
  enable_root_mfa_rules = true
  name_prefix           = local.org
}
