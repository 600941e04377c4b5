resource "aws_securityhub_account" "this" {}
