variable "targets" {
  type = list(string)
}

variable "partition" {
  type = string
}

resource "aws_organizations_policy" "deny_root" {
  name        = "deny-root-user"
  description = "Deny every action to member-account root users"
  content = templatefile("${path.module}/policies/deny-root.json.tftpl", {
    partition = var.partition
  })
}

resource "aws_organizations_policy_attachment" "deny_root" {
  for_each  = toset(var.targets)
  policy_id = aws_organizations_policy.deny_root.id
  target_id = each.value
}

output "deny_root_policy_id" {
  value = aws_organizations_policy.deny_root.id
}
