# for_each over a set of OU ids that only apply decides: "Invalid for_each argument: The
# \"for_each\" set includes values derived from resource attributes that cannot be determined
# until apply" (terraform internal/terraform/eval_for_each.go). Use a map with written keys.
resource "aws_organizations_organizational_unit" "prod" {
  name      = "prod"
  parent_id = "r-ab12"
}

resource "aws_organizations_organizational_unit" "dev" {
  name      = "dev"
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
  for_each  = toset([aws_organizations_organizational_unit.prod.id, aws_organizations_organizational_unit.dev.id]) # expect: RG001
  policy_id = aws_organizations_policy.deny_root.id
  target_id = each.value
}
