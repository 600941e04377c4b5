resource "aws_cloudwatch_log_metric_filter" "root" {
  name           = "cis-root-usage-filter"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
  log_group_name = "trail"
  metric_transformation {
    name      = "RootAccountUsage"
    namespace = "CIS"
    value     = "1"
  }
}
resource "aws_cloudwatch_metric_alarm" "root" {
  alarm_name          = "root"
  metric_name         = aws_cloudwatch_log_metric_filter.root.metric_transformation[0].name
  namespace           = "CIS"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-1:111111111111:alerts"]
}
