# "yes" is not a bool: Terraform rejects the default, so the variable is unknown and so is the
# root deny it switches.
# https://developer.hashicorp.com/terraform/language/expressions/type-constraints#conversion-of-primitive-types
variable "guardrails" {
  type = object({
    deny_root = bool
  })
  default = {
    deny_root = "yes" # expect: RG001
  }
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
