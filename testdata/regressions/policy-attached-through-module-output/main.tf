module "scp" {
  source = "./modules/scp"
}
resource "aws_organizations_policy_attachment" "root" {
  policy_id = module.scp.policy_id
  target_id = "r-abcd"
}
