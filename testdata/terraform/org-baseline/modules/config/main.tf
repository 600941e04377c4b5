resource "aws_config_organization_conformance_pack" "cis" {
  name          = "cis-level-2"
  template_body = file("${path.module}/packs/cis-level-2.yaml")
}
