module "root_mfa_rules" {
  source  = "app.terraform.io/acme/root-mfa-rules/aws"
  version = "1.2.0"

  frequency = "Twelve_Hours"
}
