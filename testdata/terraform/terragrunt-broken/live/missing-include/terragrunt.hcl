include "root" {
  path = "../../root.hcl"
}

terraform {
  source = "../../modules//config-rules"
}
