# The `statement` blocks of an override replace every `statement` block of the original: the
# document denies nothing to the root user.
# https://developer.hashicorp.com/terraform/language/files/override
data "aws_iam_policy_document" "deny_root" {
  statement {
    sid       = "DenyLeaving"
    effect    = "Deny"
    actions   = ["organizations:LeaveOrganization"]
    resources = ["*"]
  }
}
