# The root deny is a `dynamic "statement"` of the SCP's policy document whose `for_each` is
# empty because `deny_root` is false: the guardrail exists in the code and a value turns it off.
# https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks
variable "deny_root" {
  type    = bool
  default = false
}

data "aws_iam_policy_document" "scp" {
  statement {
    sid       = "DenyLeaveOrganization"
    effect    = "Deny"
    actions   = ["organizations:LeaveOrganization"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.deny_root ? [1] : [] # expect: RG010
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
