# `depends_on` may not be overridden: Terraform rejects the configuration ("Unsupported
# override"). https://developer.hashicorp.com/terraform/language/files/override
resource "aws_config_config_rule" "root_mfa" {
  depends_on = []
}
