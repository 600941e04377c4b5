# A splat over the instances of a for_each resource: a list of OU ids whose length is known
# (two OUs), so count is known and each attachment attaches to an OU.
resource "aws_organizations_organizational_unit" "workloads" {
  for_each  = toset(["prod", "dev"])
  name      = each.key
  parent_id = "r-ab12"
}

locals {
  ou_ids = values(aws_organizations_organizational_unit.workloads)[*].id
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

resource "aws_organizations_policy_attachment" "ous" {
  count     = length(local.ou_ids)
  policy_id = aws_organizations_policy.deny_root.id
  target_id = local.ou_ids[count.index]
}
