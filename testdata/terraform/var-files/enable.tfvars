enable_root_mfa_rules = true
