# A root-deny SCP attached to the target its caller gives (the root by default).
variable "target_id" {
  type    = string
  default = "r-ab12"
}

resource "aws_organizations_policy" "deny_root" {
  name = "deny-root"
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
  policy_id = aws_organizations_policy.deny_root.id
  target_id = var.target_id
}
