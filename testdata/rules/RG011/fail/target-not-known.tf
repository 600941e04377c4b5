# Whether the SCP goes to the root or to an OU depends on a variable nothing gives a value:
# both are valid targets, but of different kinds, so the target is not known (not invalid).
variable "scope" {
  type = string
}

resource "aws_organizations_organization" "org" {
  feature_set = "ALL"
}

resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = aws_organizations_organization.org.roots[0].id
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

resource "aws_organizations_policy_attachment" "scoped" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = var.scope == "root" ? aws_organizations_organization.org.roots[0].id : aws_organizations_organizational_unit.workloads.id # expect: RG011
}
