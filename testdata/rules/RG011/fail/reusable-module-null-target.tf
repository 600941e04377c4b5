# A variable whose default is null is not required: left as it is, the attachment has no
# target at all (Terraform requires target_id), so the SCP is attached to nothing for sure.
variable "target_id" {
  type    = string
  default = null
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

resource "aws_organizations_policy_attachment" "this" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = var.target_id # expect: RG011
}
