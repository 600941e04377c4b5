# A Terraform file the parser refuses (a missing `=` below) is not read: the SCP and the Config
# rules its module could declare are unknown, never missing, and the run fails as if missing.
resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  content "{}" # expect: RG001, RG012
}
