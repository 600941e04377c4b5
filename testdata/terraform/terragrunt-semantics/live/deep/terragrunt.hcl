# A deep merge merges maps key by key
# (https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#include, "What is deep merge?").
include "root" {
  path           = find_in_parent_folders("root.hcl")
  merge_strategy = "deep"
}

terraform {
  source = "../../modules//toggle"
}

inputs = {
  tags = { b = "2" }
}
