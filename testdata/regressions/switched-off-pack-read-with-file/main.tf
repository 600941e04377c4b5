variable "enable_cis_pack" { default = false }
resource "aws_config_conformance_pack" "cis" {
  count         = var.enable_cis_pack ? 1 : 0
  name          = "cis"
  template_body = file("${path.module}/pack.yaml")
}
