# Not read: `main.tofu` beside it takes its place in OpenTofu. Were it read, the hardware MFA
# rule would be deployed.
resource "aws_config_config_rule" "root_hardware_mfa" {
  name = "root-account-hardware-mfa-enabled"

  source {
    owner             = "AWS"
    source_identifier = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  }
}
