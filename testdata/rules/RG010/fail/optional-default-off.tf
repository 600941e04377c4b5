# The caller passes `{}`; the `optional()` default in the type turns the root deny off, and the
# finding points at that default.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#optional-object-type-attributes
variable "guardrails" {
  type = object({
    deny_root = optional(bool, false)
    name      = optional(string, "deny-root")
  })
  default = {}
}

resource "aws_organizations_policy" "deny_root" {
  count = var.guardrails.deny_root ? 1 : 0 # expect: RG010
  name  = var.guardrails.name
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
