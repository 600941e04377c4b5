variable "enable_root_mfa_rules" {
  description = "Deploy the root MFA Config rules in this account"
  type        = bool
  default     = false
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
  for_each = var.enable_root_mfa_rules ? toset(["on"]) : toset([])
  name     = "root-account-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}
