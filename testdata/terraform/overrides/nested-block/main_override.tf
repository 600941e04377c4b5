# A nested block type present in an override replaces every block of that type of the
# original: the rule now runs another managed rule.
# https://developer.hashicorp.com/terraform/language/files/override
resource "aws_config_config_rule" "root_mfa" {
  source {
    owner             = "AWS"
    source_identifier = "IAM_PASSWORD_POLICY"
  }
}
