# Nested `optional()` defaults apply top-down: `scp` defaults to `{}`, and then its own
# `deny_root` to `true`.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#example-nested-structures-with-optional-attributes-and-defaults
variable "guardrails" {
  type = object({
    scp = optional(object({
      deny_root = optional(bool, true)
      target    = optional(string, "r-ab12")
    }), {})
  })
  default = {}
}

resource "aws_organizations_policy" "deny_root" {
  count = var.guardrails.scp.deny_root ? 1 : 0
  name  = "deny-root"
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

resource "aws_organizations_policy_attachment" "root" {
  count     = var.guardrails.scp.deny_root ? 1 : 0
  policy_id = aws_organizations_policy.deny_root[0].id
  target_id = var.guardrails.scp.target
}
