output "json" {
  value = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyRoot"
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { StringLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
    }]
  })
}
