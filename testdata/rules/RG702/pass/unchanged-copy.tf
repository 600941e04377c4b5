# The pull request changes the call's arguments, not the vendored copy.
module "org" {
  source  = "example-org/scp/aws"
  version = "2.1.0"
  tags = { team = "platform" }
}
