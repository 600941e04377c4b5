# A conditional whose condition is not known (a variable without a default) but whose
# branches are both OU ids: whichever it picks, the SCP is attached to an OU.
variable "environment" {
  type = string
}

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

resource "aws_organizations_policy_attachment" "env" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = var.environment == "prod" ? aws_organizations_organizational_unit.prod.id : aws_organizations_organizational_unit.dev.id
}
