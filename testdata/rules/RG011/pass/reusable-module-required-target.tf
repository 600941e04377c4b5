# A reusable module scanned on its own: target_id is a required variable (no default, no value
# in the tree), so the attachment attaches the SCP to whatever root, OU or account the module's
# caller passes. The policy is attached, with a note that the caller supplies the target.
variable "target_id" {
  type        = string
  description = "The root, OU or account the SCP is attached to"
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
  target_id = var.target_id
}
