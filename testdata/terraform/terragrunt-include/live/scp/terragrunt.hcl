# the legacy bare include, and a source built from the included file's directory
include {
  path = find_in_parent_folders("root.hcl")
}

locals {
  modules = "${get_parent_terragrunt_dir()}/modules"
}

terraform {
  source = "${local.modules}//scp"
}

inputs = {
  enable_root_deny = true
  root_id          = "r-ab12"
}
