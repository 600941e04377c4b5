# Values that convert to the variable's type are no error: "false" is a bool, 12 a string, and
# `extra` is dropped.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-primitive-types
variable "guardrails" {
  type = object({
    deny_root = bool
    account   = string
  })
  default = {
    deny_root = "false"
    account   = 123456789012
    extra     = ["dropped"]
  }
}

resource "aws_organizations_policy" "deny_root" {
  count = var.guardrails.deny_root ? 1 : 0
  name  = "deny-root-${var.guardrails.account}"
  type  = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
    }]
  })
}
