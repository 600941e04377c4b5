variable "enable_root_deny" {
  type = bool
}

variable "exempt_roles" {
  type    = list(string)
  default = []
}

resource "aws_organizations_organization" "this" {
  feature_set                   = "ALL"
  aws_service_access_principals = ["iam.amazonaws.com", "config-multiaccountsetup.amazonaws.com"]
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

    condition {
      test     = "Null"
      variable = "aws:AssumedRoot"
      values   = ["true"]
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
  target_id = aws_organizations_organization.this.roots[0].id
}

output "root_id" {
  value = aws_organizations_organization.this.roots[0].id
}
