# The same reusable module with its target given on the command line (`--var`): the given
# OU id is the target; nothing is left to the caller, so there is no note.
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
