# Backup, tag, AI opt-out, declarative and resource control policies have grammars of their own:
# the SCP grammar (Version, Statement) does not apply to them.
resource "aws_organizations_policy" "backup" {
  name = "daily-backups"
  type = "BACKUP_POLICY"
  content = jsonencode({
    plans = {
      daily = {
        regions = { "@@assign" = ["us-east-1"] }
      }
    }
  })
}

resource "aws_organizations_policy" "tags" {
  name    = "cost-center"
  type    = "TAG_POLICY"
  content = "{\"tags\":{\"costcenter\":{\"tag_key\":{\"@@assign\":\"CostCenter\"}}}}"
}
