# An output's `value` set in an override replaces the primary one: this document denies
# nothing to the root user.
# https://developer.hashicorp.com/terraform/language/files/override
output "json" {
  value = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "DenyLeaving", Effect = "Deny", Action = "organizations:LeaveOrganization", Resource = "*" }]
  })
}
