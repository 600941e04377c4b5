# An OU, and its id as an output (known only after apply).
resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = "r-ab12"
}

output "workloads_id" {
  value = aws_organizations_organizational_unit.workloads.id
}
