locals {
  policies = {
    deny_root = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect = "Deny", Action = "*", Resource = "*"
        Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
      }]
    })
    deny_regions = jsonencode({
      Version = "2012-10-17"
      Statement = [{ Effect = "Deny", Action = "*", Resource = "*",
        Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1"] } } }]
    })
  }
  attachments = { regions_on_root = { policy = "deny_regions", target = "r-abcd" } }
}
resource "aws_organizations_policy" "this" {
  for_each = local.policies
  name     = each.key
  content  = each.value
}
resource "aws_organizations_policy_attachment" "this" {
  for_each  = local.attachments
  policy_id = aws_organizations_policy.this[each.value.policy].id
  target_id = each.value.target
}
