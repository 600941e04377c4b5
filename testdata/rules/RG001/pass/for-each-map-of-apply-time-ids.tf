# for_each over a map whose keys are written out and whose values only apply decides is valid
# Terraform ("place apply-time results only in the map values",
# internal/terraform/eval_for_each.go): no error.
resource "aws_organizations_organizational_unit" "prod" {
  name      = "prod"
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
  for_each  = { prod = aws_organizations_organizational_unit.prod.id }
  policy_id = aws_organizations_policy.deny_root.id
  target_id = each.value
}
