# Two module calls of one name: "Duplicate module call: A module call named \"org_policies\"
# was already defined at … Module calls must have unique names within a module."
# (terraform internal/configs/module.go, appendFile). What either would declare is unknown.
module "org_policies" {
  source  = "example-org/scp/aws"
  version = "2.1.0"
}

module "org_policies" { # expect: RG001
  source  = "example-org/scp/aws"
  version = "2.2.0"
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
