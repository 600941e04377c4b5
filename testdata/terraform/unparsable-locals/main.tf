resource "aws_config_config_rule" "r" {
  count = local.on ? 1 : 0
  name  = "root-account-mfa-enabled"
  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}
