# The organization's policies come from a registry module, vendored by `terraform init`.
module "org" {
  source  = "example-org/scp/aws"
  version = "2.1.0"
}
