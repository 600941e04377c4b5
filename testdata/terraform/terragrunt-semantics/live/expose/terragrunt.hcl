# Exposed, not merged: root.hcl's inputs do not apply, its locals are readable
# (https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#include).
include "root" {
  path           = find_in_parent_folders("root.hcl")
  expose         = true
  merge_strategy = "no_merge"
}

terraform {
  source = "../../modules//toggle"
}

inputs = {
  enabled = include.root.locals.enabled_everywhere
}
