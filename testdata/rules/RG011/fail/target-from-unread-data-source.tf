# The OU ids come from a data source rootguard does not read (its children are listed at plan
# or apply time): the target is not known.
data "aws_organizations_organizational_units" "children" {
  parent_id = "r-ab12"
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

resource "aws_organizations_policy_attachment" "first_child" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = data.aws_organizations_organizational_units.children.children[0].id # expect: RG011
}
