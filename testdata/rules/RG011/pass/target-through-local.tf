# The organization root's id is known only after apply, but it is the root's: through a
# local it still attaches the SCP to the root.
# https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/organizations_organization
resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

locals {
  root_id = aws_organizations_organization.org.roots[0].id
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
  target_id = local.root_id
}
