# The only alarm is an unrelated one: it watches another filter's metric, named through that
# filter's attributes (its configured values, so known), and does not make the root-usage alarm
# unknown: no alarm watches the root-usage metric.
resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  name           = "root-usage"
  log_group_name = "cloudtrail"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"

  metric_transformation {
    name      = "RootAccountUsage" # expect: RG403
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "console_failures" {
  name           = "console-sign-in-failures"
  log_group_name = "cloudtrail"
  pattern        = "{ ($.eventName = ConsoleLogin) && ($.errorMessage = \"Failed authentication\") }"

  metric_transformation {
    name      = "ConsoleSignInFailures"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "console_failures" {
  alarm_name          = "console-sign-in-failures"
  metric_name         = aws_cloudwatch_log_metric_filter.console_failures.metric_transformation[0].name
  namespace           = aws_cloudwatch_log_metric_filter.console_failures.metric_transformation[0].namespace
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  period              = 300
  statistic           = "Sum"
  threshold           = 3
  alarm_actions       = ["arn:aws:sns:us-east-1:111111111111:security"]
}
