variable "guardrails" {
  type = object({
    deny_root = bool
    alarm = optional(object({
      enabled   = optional(bool, true)
      namespace = optional(string, "CISBenchmark")
    }), {})
  })
}

variable "scp" {
  type = object({
    deny_root = bool
    targets   = list(string)
  })
}

variable "alarm_topic" {
  type = string
}

resource "aws_organizations_policy" "deny_root" {
  count = var.guardrails.deny_root == true && lookup(var.guardrails, "enabled", true) ? 1 : 0
  name  = "deny-root"
  type  = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = "*"
      Resource  = "*"
      Condition = { ArnLike = { "aws:PrincipalArn" = "arn:aws:iam::*:root" } }
    }]
  })
}

resource "aws_organizations_policy_attachment" "deny_root" {
  for_each  = var.scp.deny_root ? toset(var.scp.targets) : toset([])
  policy_id = aws_organizations_policy.deny_root[0].id
  target_id = each.value
}

resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  count          = var.guardrails.alarm.enabled ? 1 : 0
  name           = "root-usage"
  log_group_name = "organization-trail"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"

  metric_transformation {
    name      = "root-usage"
    namespace = var.guardrails.alarm.namespace
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root_usage" {
  count               = var.guardrails.alarm.enabled ? 1 : 0
  alarm_name          = "root-usage"
  metric_name         = "root-usage"
  namespace           = var.guardrails.alarm.namespace
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.alarm_topic]
}
