# A registry module listed as known (it declares no root guardrail): nothing is unknown.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
