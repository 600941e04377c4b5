# The Config rules are deployed here; `zz_override.tf` switches one of them off.
resource "aws_config_config_rule" "root_hardware_mfa" {
  name = "root-account-hardware-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}

resource "aws_config_config_rule" "root_mfa" {
  name = "root-account-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}

locals {
  hw = 1
}
