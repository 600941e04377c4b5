# Terraform merges this block into `aws_config_config_rule.root_hardware_mfa` of `main.tf`:
# `count` is set here, so the rule is not created.
# https://developer.hashicorp.com/terraform/language/files/override
resource "aws_config_config_rule" "root_hardware_mfa" {
  count = local.hw - 1
}
