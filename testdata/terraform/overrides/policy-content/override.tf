# The merged policy's content is this one (attributes in an override replace the original's):
# it denies nothing to the root user.
# https://developer.hashicorp.com/terraform/language/files/override
resource "aws_organizations_policy" "deny_root" {
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyLeaving"
      Effect   = "Deny"
      Action   = "organizations:LeaveOrganization"
      Resource = "*"
    }]
  })
}
