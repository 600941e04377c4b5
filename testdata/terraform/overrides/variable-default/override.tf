# A variable's `default` set in an override replaces the primary one.
# https://developer.hashicorp.com/terraform/language/files/override
variable "enable_root_mfa_rule" {
  default = false
}
