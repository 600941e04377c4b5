# The only organization policies come from a registry module that `terraform init` has not
# installed: every guardrail it could declare is unknown, and the run fails as if missing.
module "org_policies" { # expect: RG012
  source  = "example-org/scp/aws"
  version = "2.1.0"
}
