variable "enable_root_mfa_rule" {
  type    = bool
  default = true
}

resource "aws_config_config_rule" "root_mfa" {
  count = var.enable_root_mfa_rule ? 1 : 0
  name  = "root-account-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}
