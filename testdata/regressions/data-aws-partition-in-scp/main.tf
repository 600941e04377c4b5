data "aws_partition" "current" {}
resource "aws_organizations_policy" "scp" {
  name    = "scp"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Deny", Action = "*", Resource = "*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:${data.aws_partition.current.partition}:iam::*:root" } }
    }]
  })
}
resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.scp.id
  target_id = "r-abcd"
}
