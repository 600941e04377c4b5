# `optional()` defaults apply to every element of a `list(object(...))`: the policy that does
# not say `enabled` is enabled.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#optional-object-type-attributes
variable "policies" {
  type = list(object({
    name    = string
    enabled = optional(bool, true)
    target  = optional(string, "r-ab12")
  }))
  default = [{ name = "deny-root" }]
}

resource "aws_organizations_policy" "this" {
  for_each = { for p in var.policies : p.name => p if p.enabled }
  name     = each.key
  type     = "SERVICE_CONTROL_POLICY"
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

resource "aws_organizations_policy_attachment" "this" {
  for_each  = { for p in var.policies : p.name => p if p.enabled }
  policy_id = aws_organizations_policy.this[each.key].id
  target_id = each.value.target
}
