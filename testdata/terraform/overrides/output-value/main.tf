# The SCP's content is an output of `./doc`, whose `override.tf` replaces the output's value.
module "doc" {
  source = "./doc"
}

resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  type    = "SERVICE_CONTROL_POLICY"
  content = module.doc.json
}

resource "aws_organizations_policy_attachment" "deny_root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = "r-ab12"
}
