# `terraform-aws-modules/vpc/aws` 6.x is in the shipped list of public modules that declare no
# guardrail (src/tf/known-modules.tsv): an uninstalled call pinned inside that range is not
# unknown, without any `known-modules` configuration.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"
}
