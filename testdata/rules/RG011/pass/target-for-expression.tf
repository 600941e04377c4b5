# A for expression over a for_each resource: its keys are the OUs' for_each keys (known at
# plan), its values their ids (known after apply), so for_each accepts it.
resource "aws_organizations_organizational_unit" "workloads" {
  for_each  = toset(["prod", "dev"])
  name      = each.key
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

resource "aws_organizations_policy_attachment" "ous" {
  for_each  = { for k, ou in aws_organizations_organizational_unit.workloads : k => ou.id }
  policy_id = aws_organizations_policy.deny_root.id
  target_id = each.value
}
