# The root condition of the SCP's deny is written in a `dynamic "condition"` block whose
# `for_each` has no value: whether the statement names the root user is not known, so the
# guardrail is unknown (not enforced, not missing).
# https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks
variable "root_conditions" {
  type = list(string)
}

data "aws_iam_policy_document" "scp" {
  statement {
    sid       = "DenyRootUser"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]

    dynamic "condition" {
      for_each = var.root_conditions # expect: RG012
      content {
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
