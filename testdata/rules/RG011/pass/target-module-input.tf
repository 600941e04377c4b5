# The target goes into a module input, a variable with a default that the call overrides with
# an OU's id: inside the module it is still an OU's id.
resource "aws_organizations_organizational_unit" "workloads" {
  name      = "workloads"
  parent_id = "r-ab12"
}

module "scp" {
  source    = "./target-modules/attach"
  target_id = aws_organizations_organizational_unit.workloads.id
}
