data "aws_iam_policy_document" "deny_root" {
  statement {
    sid       = "DenyRoot"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "StringLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:root"]
    }
  }
}

resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  type    = "SERVICE_CONTROL_POLICY"
  content = data.aws_iam_policy_document.deny_root.json
}

resource "aws_organizations_policy_attachment" "deny_root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = "r-ab12"
}
