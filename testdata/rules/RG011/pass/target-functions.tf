# Functions that move values without reading them keep an OU's or an account's id: each policy
# below is attached through one of them (and one through 0.11-style interpolation).
# https://developer.hashicorp.com/terraform/language/functions
resource "aws_organizations_organizational_unit" "prod" {
  name      = "prod"
  parent_id = "r-ab12"
}

resource "aws_organizations_organizational_unit" "dev" {
  name      = "dev"
  parent_id = "r-ab12"
}

resource "aws_organizations_account" "audit" {
  name  = "audit"
  email = "audit@example.com"
}

locals {
  by_env = {
    prod = aws_organizations_organizational_unit.prod.id
    dev  = aws_organizations_organizational_unit.dev.id
  }
}

resource "aws_organizations_policy" "deny_root_coalesce" {
  name = "deny-root-coalesce"
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

resource "aws_organizations_policy_attachment" "coalesce" {
  policy_id = aws_organizations_policy.deny_root_coalesce.id
  target_id = coalesce(null, aws_organizations_account.audit.id)
}

resource "aws_organizations_policy" "deny_root_one" {
  name = "deny-root-one"
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

resource "aws_organizations_policy_attachment" "one" {
  policy_id = aws_organizations_policy.deny_root_one.id
  target_id = one([aws_organizations_organizational_unit.prod.id])
}

resource "aws_organizations_policy" "deny_root_element" {
  name = "deny-root-element"
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

resource "aws_organizations_policy_attachment" "element" {
  policy_id = aws_organizations_policy.deny_root_element.id
  target_id = element([aws_organizations_organizational_unit.prod.id, aws_organizations_organizational_unit.dev.id], 3)
}

resource "aws_organizations_policy" "deny_root_lookup" {
  name = "deny-root-lookup"
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

resource "aws_organizations_policy_attachment" "lookup" {
  policy_id = aws_organizations_policy.deny_root_lookup.id
  target_id = lookup(local.by_env, "dev", "r-ab12")
}

resource "aws_organizations_policy" "deny_root_flatten" {
  name = "deny-root-flatten"
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

resource "aws_organizations_policy_attachment" "flatten" {
  policy_id = aws_organizations_policy.deny_root_flatten.id
  target_id = flatten([[aws_organizations_organizational_unit.prod.id], []])[0]
}

resource "aws_organizations_policy" "deny_root_interpolation" {
  name = "deny-root-interpolation"
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

resource "aws_organizations_policy_attachment" "interpolation" {
  policy_id = aws_organizations_policy.deny_root_interpolation.id
  target_id = "${aws_organizations_organizational_unit.dev.id}"
}
