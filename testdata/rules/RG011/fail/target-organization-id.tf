# The organization's own id (o-…) is no root, OU or account id: Organizations attaches a
# policy only to those ("TargetId: The unique identifier (ID) of the root, OU, or account",
# https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html).
resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
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

resource "aws_organizations_policy_attachment" "org" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = aws_organizations_organization.org.id # expect: RG011
}
