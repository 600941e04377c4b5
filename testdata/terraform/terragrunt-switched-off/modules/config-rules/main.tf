# On by default: judged alone, this module deploys the rule. The only unit that deploys it
# switches it off.
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

resource "aws_config_config_rule" "root_mfa" {
  count = var.enable_root_mfa_rules ? 1 : 0
  name  = "root-account-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}
