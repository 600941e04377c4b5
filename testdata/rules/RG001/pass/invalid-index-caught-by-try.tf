# try catches an invalid index like any other error of its argument: the fallback is the
# value, and nothing fails.
# https://developer.hashicorp.com/terraform/language/functions/try
locals {
  targets = ["r-ab12"]
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

resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = try(local.targets[-1], local.targets[0])
}
