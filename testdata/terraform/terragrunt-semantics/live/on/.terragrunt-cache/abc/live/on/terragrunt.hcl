# A copy Terragrunt made: never read.
terraform {
  source = "git::https://github.com/acme/stale.git"
}
