variable "enable_root_mfa_rules" {
  type    = bool
  default = false
}

variable "name_prefix" {
  type    = string
  default = "default"
}

variable "frequency" {
  type    = string
  default = "One_Hour"
}

resource "aws_config_config_rule" "root_hardware_mfa" {
  count                       = var.enable_root_mfa_rules ? 1 : 0
  name                        = "${var.name_prefix}-root-account-hardware-mfa-enabled"
  maximum_execution_frequency = var.frequency

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}
