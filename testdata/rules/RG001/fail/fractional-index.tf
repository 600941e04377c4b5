# "Invalid index: ... indexing a sequence requires a whole number, but the given index has a
# fractional part" (hcl ops.go, hcl.Index): not the element at 1, an error, reported in the
# local where it is written.
locals {
  targets = ["r-ab12", "ou-ab12-11111111"]
  second  = local.targets[1.5] # expect: RG001
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

resource "aws_organizations_policy_attachment" "second" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = local.second
}
