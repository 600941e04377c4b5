# Generated Terraform code is not evaluated: what it may declare is unknown.
terraform {
  source = "../../modules//toggle"
}

generate "guardrail" {
  path      = "rules.tf"
  if_exists = "overwrite"
  contents  = <<EOT
resource "aws_config_config_rule" "generated" {
  name = "generated"
}
EOT
}

inputs = {
  enabled = false
}
