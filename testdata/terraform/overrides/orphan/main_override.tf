# No primary file declares this resource: Terraform rejects the configuration ("Missing
# resource to override").
# https://developer.hashicorp.com/terraform/language/files/override
resource "aws_config_config_rule" "root_hardware_mfa" {
  count = 0
}
