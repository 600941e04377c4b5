module "baseline" {
  source  = "acme/security-baseline/aws"
  version = "~> 3.0"
}
