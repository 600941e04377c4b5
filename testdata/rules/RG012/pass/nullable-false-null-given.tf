# `nullable = false`: the variable file sets `deny_root = null`, and Terraform uses the default
# in its place, so the root deny is created.
# https://developer.hashicorp.com/terraform/language/values/variables#disallowing-null-input-values
variable "deny_root" {
  type     = bool
  default  = true
  nullable = false
}

resource "aws_organizations_policy" "deny_root" {
  count = var.deny_root ? 1 : 0
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
  count     = var.deny_root ? 1 : 0
  policy_id = aws_organizations_policy.deny_root[0].id
  target_id = "r-ab12"
}
