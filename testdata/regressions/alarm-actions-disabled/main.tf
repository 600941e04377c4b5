resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "RootUsage"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
  log_group_name = "trail"
  metric_transformation {
    name      = "RootUsage"
    namespace = "CIS"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root"
  metric_name         = "RootUsage"
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  actions_enabled     = false
  alarm_actions       = ["arn:aws:sns:eu-west-1:111111111111:alerts"]
}
