variable "frequency" {
  type    = string
  default = "TwentyFour_Hours"
}

resource "aws_config_config_rule" "hardware" {
  name                        = "root-account-hardware-mfa-enabled"
  maximum_execution_frequency = var.frequency

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}
