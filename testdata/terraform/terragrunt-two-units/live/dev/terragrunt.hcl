terraform {
  source = "../../modules//config-rules"
}

inputs = {
  enable_root_mfa_rules = false
}
