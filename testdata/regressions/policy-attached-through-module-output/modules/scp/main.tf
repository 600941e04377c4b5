resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Deny", Action = "*", Resource = "*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
    }]
  })
}
output "policy_id" { value = aws_organizations_policy.deny_root.id }
