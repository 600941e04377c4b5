variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "enable_root_deny" {
  type    = bool
  default = false
}

variable "disable_hardware_mfa_control" {
  type    = bool
  default = false
}

variable "excluded_accounts" {
  type    = list(string)
  default = []
}

variable "security_topic_arn" {
  type = string
}
