variable "excluded_accounts" {
  type = list(string)
}

resource "aws_config_organization_managed_rule" "root_hardware_mfa" {
  name              = "root-account-hardware-mfa-enabled"
  rule_identifier   = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
  excluded_accounts = var.excluded_accounts
}
