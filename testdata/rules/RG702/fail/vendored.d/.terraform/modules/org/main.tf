variable "tags" {
  type    = map(string)
  default = {}
}

# not in the real module: the pull request edits the vendored copy
resource "aws_organizations_policy" "deny_root" {
  name = "deny-root"
  content = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*", Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } } }]
  })
}

resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = "r-ab12"
}
