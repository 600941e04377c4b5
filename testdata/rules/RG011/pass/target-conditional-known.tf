# A conditional whose condition is known picks its branch: here the OU's id.
variable "scope" {
  type    = string
  default = "ou"
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
  target_id = var.scope == "root" ? aws_organizations_organization.org.roots[0].id : aws_organizations_organizational_unit.workloads.id
}
