# A module that calls its own directory: terraform init recurses until a path is too long
# (there is no dedicated message: https://github.com/hashicorp/terraform/issues/31557,
# https://github.com/hashicorp/terraform/issues/22648), so the configuration never deploys.
module "again" { # expect: RG001
  source = "./"
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
  target_id = "r-ab12"
}
