data "aws_iam_policy_document" "scp" {
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:root"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:role/OrganizationAccountAccessRole"]
    }
  }
}
resource "aws_organizations_policy" "scp" {
  name    = "scp"
  content = data.aws_iam_policy_document.scp.json
}
resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.scp.id
  target_id = "r-abcd"
}
