# An attribute the object type does not name is dropped when the value is converted: `enabled`
# is not in the type, so `lookup` falls back to `true` and the root deny is created.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-complex-types
variable "guardrails" {
  type = object({
    target = string
  })
  default = {
    target  = "r-ab12"
    enabled = false
  }
}

resource "aws_organizations_policy" "deny_root" {
  count = lookup(var.guardrails, "enabled", true) ? 1 : 0
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
  count     = lookup(var.guardrails, "enabled", true) ? 1 : 0
  policy_id = aws_organizations_policy.deny_root[0].id
  target_id = var.guardrails.target
}
