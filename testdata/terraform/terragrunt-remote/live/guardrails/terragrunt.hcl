# A module Terragrunt downloads: rootguard does not fetch it, so what it declares is unknown.
terraform {
  source = "git::https://github.com/acme/guardrails.git//root-mfa?ref=v1.2.0"
}

inputs = {
  enable_root_mfa_rules = true
}
