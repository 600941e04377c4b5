# The root deny is a `dynamic "statement"` of the SCP's policy document, and `deny_root` has no
# value: whether the statement is in the policy is not known, so the guardrail is unknown.
# https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks
variable "deny_root" {
  type = bool
}

data "aws_iam_policy_document" "scp" {
  statement {
    sid       = "DenyLeaveOrganization"
    effect    = "Deny"
    actions   = ["organizations:LeaveOrganization"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.deny_root ? [1] : [] # expect: RG012
    content {
      sid       = "DenyRootUser"
      effect    = "Deny"
      actions   = ["*"]
      resources = ["*"]
      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = ["arn:aws:iam::*:root"]
      }
    }
  }
}

resource "aws_organizations_policy" "baseline" {
  name    = "baseline"
  type    = "SERVICE_CONTROL_POLICY"
  content = data.aws_iam_policy_document.scp.json
}

resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.baseline.id
  target_id = "r-ab12"
}
