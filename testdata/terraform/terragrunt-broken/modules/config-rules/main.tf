variable "enable_root_mfa_rules" {
  type    = bool
  default = true
}

resource "aws_config_config_rule" "root_hardware_mfa" {
  count = var.enable_root_mfa_rules ? 1 : 0
  name  = "root-account-hardware-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}
