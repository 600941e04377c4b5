# A quoted type constraint is Terraform 0.11's form, an error since ("Invalid quoted type
# constraints", hashicorp/terraform internal/configs/named_values.go, decodeVariableType): the
# variable, and the root deny it switches, are unknown.
variable "deny_root" {
  type    = "string" # expect: RG001
  default = "true"
}

resource "aws_organizations_policy" "deny_root" {
  count = var.deny_root == "true" ? 1 : 0
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
  count     = var.deny_root == "true" ? 1 : 0
  policy_id = aws_organizations_policy.deny_root[0].id
  target_id = "r-ab12"
}
