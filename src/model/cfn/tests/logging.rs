//! Root-usage metric filters and the alarms on their metrics.

use super::{Case, check};

#[test]
fn metric_filters_and_alarms() {
    check(&[
        Case {
            name: "a filter with a list of transformations; an alarm on its metric, actions by !Ref",
            text: r"
Resources:
  RootUse:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref Trail
      FilterPattern: '{ $.userIdentity.type = Root }'
      MetricTransformations:
        - MetricName: RootUse
          MetricNamespace: Security
          MetricValue: '1'
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: RootUse
      Namespace: Security
      AlarmActions: [!Ref Topic, arn:aws:sns:us-east-1:111122223333:t]
      ActionsEnabled: true
",
            want: r#"
metric_filter RootUse 2:3-2:10
  pattern "{ $.userIdentity.type = Root }" 6:22-6:54 FilterPattern
  metric_name "RootUse" 8:23-8:30 MetricTransformations/0/MetricName
  namespace "Security" 9:28-9:36 MetricTransformations/0/MetricNamespace
  log_group unknown (`Ref Trail` names nothing in the template) 5:21-5:31 LogGroupName
metric_alarm Alarm 11:3-11:8
  metric_name "RootUse" 14:19-14:26 MetricName
  namespace "Security" 15:18-15:26 Namespace
  actions ["(known after deployment)","arn:aws:sns:us-east-1:111122223333:t"] 16:7-16:71 AlarmActions
  actions_enabled true 17:23-17:27 ActionsEnabled
anchor logging 2:3-2:10 Resources/RootUse
"#,
        },
        Case {
            name: "transformations as a single object; an alarm by metric math",
            text: r"
Resources:
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      FilterPattern: !Sub '{ $.userIdentity.type = ${Who} }'
      MetricTransformations: {MetricName: RootUse, MetricNamespace: Security}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Metrics:
        - Id: e1
          Expression: m1 * 2
        - Id: m1
          MetricStat:
            Metric: {MetricName: RootUse, Namespace: Security}
            Period: 300
            Stat: Sum
",
            want: r#"
metric_filter Filter 2:3-2:9
  pattern partial "{ $.userIdentity.type = ${Who} }" 5:22-5:61 FilterPattern
  metric_name "RootUse" 6:43-6:50 MetricTransformations/MetricName
  namespace "Security" 6:69-6:77 MetricTransformations/MetricNamespace
metric_alarm Alarm 7:3-7:8
  metric_name "RootUse" 15:34-15:41 Metrics/1/MetricStat/Metric/MetricName
  namespace "Security" 15:54-15:62 Metrics/1/MetricStat/Metric/Namespace
anchor logging 2:3-2:9 Resources/Filter
"#,
        },
        Case {
            name: "an alarm whose actions are switched by !If on a condition not known statically; a filter without transformations",
            text: r"
Conditions:
  Quiet: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: trail-logs
      FilterPattern: '{ $.userIdentity.type = Root }'
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: RootUse
      ActionsEnabled: !If [Quiet, false, true]
      AlarmActions: []
",
            want: r#"
metric_filter Filter 4:3-4:9
  pattern "{ $.userIdentity.type = Root }" 8:22-8:54 FilterPattern
  log_group "trail-logs" 7:21-7:31 LogGroupName
metric_alarm Alarm 9:3-9:8
  metric_name "RootUse" 12:19-12:26 MetricName
  actions [] 14:7-14:23 AlarmActions
  actions_enabled unknown (depends on condition `Quiet`, which is not known: pseudo parameter `AWS::Region` is known at deployment) 13:23-13:47 ActionsEnabled
anchor logging 4:3-4:9 Resources/Filter
"#,
        },
    ]);
}
