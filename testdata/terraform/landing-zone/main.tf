module "org" {
  source           = "./modules/org"
  enable_root_deny = var.enable_root_deny
  exempt_roles     = ["arn:aws:iam::*:role/break-glass"]
}

resource "aws_iam_organizations_features" "this" {
  enabled_features = ["RootCredentialsManagement", "RootSessions"]
}

locals {
  root_rules = {
    hardware = "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"
    any      = "ROOT_ACCOUNT_MFA_ENABLED"
  }
}

resource "aws_config_organization_managed_rule" "root" {
  for_each          = local.root_rules
  name              = "root-${lower(replace(each.value, "_", "-"))}"
  rule_identifier   = each.value
  excluded_accounts = var.excluded_accounts
}

resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  name           = "root-usage"
  log_group_name = "organization-trail"
  pattern        = <<-EOT
    { $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }
  EOT

  metric_transformation {
    name      = "root-usage"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root_usage" {
  alarm_name          = "root-usage"
  metric_name         = aws_cloudwatch_log_metric_filter.root_usage.id
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [var.security_topic_arn]
}

resource "aws_securityhub_standards_subscription" "fsbp" {
  standards_arn = "arn:aws:securityhub:${var.region}::standards/aws-foundational-security-best-practices/v/1.0.0"
}

resource "aws_securityhub_standards_control" "iam6" {
  count                 = var.disable_hardware_mfa_control ? 1 : 0
  standards_control_arn = "arn:aws:securityhub:${var.region}:111111111111:control/aws-foundational-security-best-practices/v/1.0.0/IAM.6"
  control_status        = "DISABLED"
  disabled_reason       = "Root login actions prevented with SCPs"
}
