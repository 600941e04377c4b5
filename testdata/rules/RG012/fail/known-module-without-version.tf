# The shipped list vouches for `terraform-aws-modules/vpc/aws` only at the versions whose source
# was read: a call with no `version` takes whatever release is newest, which could declare
# anything, so the guardrails stay unknown.
module "vpc" { # expect: RG012
  source = "terraform-aws-modules/vpc/aws"
}
