# The organization root: an SCP whose content and target come from other modules.
module "doc" {
  source = "../modules/scp-doc"
}

module "ous" {
  source = "../modules/ou-ids"
  prefix = "workloads"
}

# an application module: declares nothing rootguard reads, and nothing here reads it
module "app" {
  source = "../modules/app"
  name   = "billing"
}

resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  type    = "SERVICE_CONTROL_POLICY"
  content = module.doc.json
}

resource "aws_organizations_policy_attachment" "deny_root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = module.ous.workloads
}
