# An object variable whose attribute comes from an `optional()` default: the caller passes `{}`
# and `deny_root` is `true` (Terraform 1.3+), so the root deny is created and attached.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#optional-object-type-attributes
variable "guardrails" {
  type = object({
    deny_root = optional(bool, true)
  })
  default = {}
}

resource "aws_organizations_policy" "deny_root" {
  count = var.guardrails.deny_root ? 1 : 0
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
  count     = var.guardrails.deny_root ? 1 : 0
  policy_id = aws_organizations_policy.deny_root[0].id
  target_id = "r-ab12"
}
