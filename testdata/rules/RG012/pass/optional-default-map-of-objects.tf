# `optional()` defaults apply to every element of a `map(object(...))`: `prod` passes `{}` and
# gets `deny_root = true`; `sandbox` turns it off.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#optional-object-type-attributes
variable "accounts" {
  type = map(object({
    deny_root = optional(bool, true)
  }))
  default = {
    prod    = {}
    sandbox = { deny_root = false }
  }
}

resource "aws_organizations_policy" "deny_root" {
  name = "deny-root"
  type = "SERVICE_CONTROL_POLICY"
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

resource "aws_organizations_policy_attachment" "accounts" {
  for_each  = { for name, a in var.accounts : name => a if a.deny_root }
  policy_id = aws_organizations_policy.deny_root.id
  target_id = "ou-ab12-${each.key}0001"
}
