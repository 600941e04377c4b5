data "aws_region" "current" {}
resource "aws_controltower_control" "root_mfa" {
  control_identifier = "arn:aws:controltower:${data.aws_region.current.name}::control/AWS-GR_ROOT_ACCOUNT_MFA_ENABLED"
  target_identifier  = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-abcd-efghijkl"
}
