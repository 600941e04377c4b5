data "aws_region" "current" {}
resource "aws_controltower_control" "ebs" {
  control_identifier = "arn:aws:controltower:${data.aws_region.current.name}::control/AWS-GR_EC2_VOLUME_INUSE_CHECK"
  target_identifier  = "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-abcd-efghijkl"
}
