# Variable type constraints, as Terraform applies them
# (https://developer.hashicorp.com/terraform/language/expressions/type-constraints):
# `terraform.tfvars` gives `scp` without `deny_root`, which its `optional()` default sets; the
# module arguments are converted to the types of the child's variables ("true" becomes a bool,
# `enabled` is dropped because the child's type does not name it, `alarm` gets its nested
# defaults).
variable "scp" {
  type = object({
    deny_root = optional(bool, true)
    targets   = optional(list(string), ["r-ab12"])
  })
  default = {}
}

variable "security_topic_arn" {
  type    = string
  default = "arn:aws:sns:us-east-1:111111111111:security"
}

module "org" {
  source      = "./modules/org"
  guardrails  = { deny_root = "true", enabled = false }
  scp         = var.scp
  alarm_topic = var.security_topic_arn
}
