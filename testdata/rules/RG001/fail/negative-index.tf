# HCL has no indexing from the end: "Invalid index: The given key does not identify an element
# in this collection value: a negative number is not a valid index for a sequence" (hcl ops.go,
# hcl.Index). Terraform rejects the configuration; the target is unknown, not the last id.
locals {
  targets = ["r-ab12", "ou-ab12-11111111"]
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

resource "aws_organizations_policy_attachment" "last" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = local.targets[-1] # expect: RG001
}
