data "aws_iam_policy_document" "deny_root" {
  statement {
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
data "aws_organizations_organization" "org" {}
resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  content = data.aws_iam_policy_document.deny_root.json
}
resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = data.aws_organizations_organization.org.roots[0].id
}
