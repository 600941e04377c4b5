variable "enable_root_deny" {
  type    = bool
  default = false
}

variable "root_id" {
  type = string
}

data "aws_iam_policy_document" "deny_root" {
  statement {
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

resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root-user"
  content = data.aws_iam_policy_document.deny_root.json
}

resource "aws_organizations_policy_attachment" "deny_root" {
  count     = var.enable_root_deny ? 1 : 0
  policy_id = aws_organizations_policy.deny_root.id
  target_id = var.root_id
}
