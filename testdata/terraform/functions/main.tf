locals {
  prefix   = "org"
  ids      = ["ROOT_ACCOUNT_MFA_ENABLED", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"]
  by_name  = zipmap(["any", "hardware"], local.ids)
  merged   = merge({ frequency = "One_Hour" }, { frequency = "TwentyFour_Hours" })
  freq     = lookup(local.merged, "frequency", "Six_Hours")
  names    = [for k, v in local.by_name : format("%s-%s", local.prefix, lower(k)) if contains(local.ids, v)]
  flat     = flatten([["a"], ["b", ["c"]]])
  joined   = join(",", concat(local.flat, compact(["", "d"])))
  fallback = try(local.by_name.missing, coalesce("", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"))
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { StringLike = { "aws:PrincipalArn" = ["arn:aws:iam::*:root"] } }
    }]
  })
}

resource "aws_config_config_rule" "hardware" {
  name                        = "${local.prefix}-${element(local.names, 1)}-${local.joined}"
  maximum_execution_frequency = local.freq

  source {
    owner             = upper("aws")
    source_identifier = local.fallback
  }
}

resource "aws_organizations_policy" "deny_root" {
  name    = "deny-root"
  content = local.policy
}

resource "aws_organizations_policy_attachment" "root" {
  policy_id = aws_organizations_policy.deny_root.id
  target_id = "r-ab12"
}

resource "aws_organizations_policy" "heredoc" {
  name    = "deny-root-heredoc"
  type    = "SERVICE_CONTROL_POLICY"
  content = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}}]
}
EOF
}
