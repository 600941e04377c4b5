# `~> 5.0` allows 5.x releases, and the shipped list vouches for this module at 6.x only.
module "vpc" { # expect: RG012
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}
