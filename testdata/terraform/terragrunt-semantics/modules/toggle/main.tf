variable "enabled" {
  type    = bool
  default = true
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_config_config_rule" "root_hardware_mfa" {
  count = var.enabled ? 1 : 0
  name  = "root-mfa-${join("-", keys(var.tags))}"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}
