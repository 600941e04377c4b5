# Read: no `alarm.tofu` beside it.
resource "aws_config_config_rule" "root_mfa_again" {
  name = "root-account-mfa-enabled-2"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}
