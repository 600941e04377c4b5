//! Parameters and conditions: a `Condition` that switches a resource off or leaves it unknown,
//! with the value that decides it (a parameter's default, or a value passed in), and `!If`.

use super::{Case, check};

#[test]
fn conditions_gate_resources() {
    check(&[
        Case {
            name: "a condition false by a parameter default switches the rule off",
            text: r"
Parameters:
  Level:
    Type: String
    Default: Level 1
Conditions:
  IsLevel2: !Equals [!Ref Level, Level 2]
Resources:
  RootHw:
    Type: AWS::Config::ConfigRule
    Condition: IsLevel2
    Properties:
      Source: {Owner: AWS, SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED}
",
            want: r#"
config_rule RootHw 8:3-8:9
  if Condition: IsLevel2 = False 10:16-10:24 by Parameters/Level/Default 4:14-4:21: parameter `Level` is `Level 1` (its default)
  account
  owner "AWS" 12:23-12:26 Source/Owner
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 12:46-12:79 Source/SourceIdentifier
anchor config 8:3-8:9 Resources/RootHw
"#,
        },
        Case {
            name: "a condition negated with !Not, and the condition it negates, both decided by a default",
            text: r"
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
Resources:
  Off:
    Type: AWS::Config::ConfigurationRecorder
    Condition: NotProd
  On:
    Type: AWS::SecurityHub::Hub
    Condition: IsProd
",
            want: r#"
sh_standard (implied) On 10:3-10:5
  if Condition: IsProd = True 12:16-12:22 by Parameters/Env/Default 2:32-2:36: parameter `Env` is `prod` (its default)
  arn "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0" 10:3-10:5 Resources/On
sh_standard (implied) On 10:3-10:5
  if Condition: IsProd = True 12:16-12:22 by Parameters/Env/Default 2:32-2:36: parameter `Env` is `prod` (its default)
  arn "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0" 10:3-10:5 Resources/On
recorder Off 7:3-7:6
  if Condition: NotProd = False 9:16-9:23 by Parameters/Env/Default 2:32-2:36: parameter `Env` is `prod` (its default)
anchor config 7:3-7:6 Resources/Off
anchor securityhub 10:3-10:5 Resources/On
"#,
        },
        Case {
            name: "a parameter without a default leaves the condition unknown",
            text: r"
Parameters:
  Enable:
    Type: String
    AllowedValues: ['true', 'false']
Conditions:
  On: !Equals [!Ref Enable, 'true']
Resources:
  Control:
    Type: AWS::ControlTower::EnabledControl
    Condition: On
    Properties:
      ControlIdentifier: !Sub 'arn:${AWS::Partition}:controltower:us-east-1::control/AWS-GR_ROOT_ACCOUNT_MFA_ENABLED'
      TargetIdentifier: !Ref Ou
",
            want: r#"
ct_control Control 8:3-8:10
  if Condition: On = Unknown 10:16-10:18 by Parameters/Enable 2:3-2:9: parameter `Enable` has no default
  identifier partial "arn:${AWS::Partition}:controltower:us-east-1::control/AWS-GR_ROOT_ACCOUNT_MFA_ENABLED" 12:26-12:118 ControlIdentifier
  target unknown (`Ref Ou` names nothing in the template) 13:25-13:32 TargetIdentifier
anchor organizations 8:3-8:10 Resources/Control
"#,
        },
        Case {
            name: "a condition the template does not define",
            text: r"
Resources:
  Filter:
    Type: AWS::Logs::MetricFilter
    Condition: Missing
    Properties:
      FilterPattern: '{ $.userIdentity.type = Root }'
",
            want: r#"
metric_filter Filter 2:3-2:9
  if Condition: Missing = Unknown 4:16-4:23: condition `Missing` is not defined in the template
  pattern "{ $.userIdentity.type = Root }" 6:22-6:54 FilterPattern
anchor logging 2:3-2:9 Resources/Filter
"#,
        },
        Case {
            name: "!If picks a branch by a condition; AWS::NoValue removes the property",
            text: r"
Parameters:
  Strict: {Type: String, Default: 'yes'}
Conditions:
  IsStrict: !Equals [!Ref Strict, 'yes']
Resources:
  Rule:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !If [IsStrict, strict, lax]
      MaximumExecutionFrequency: !If [IsStrict, !Ref AWS::NoValue, One_Hour]
      Source:
        Owner: AWS
        SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED
",
            want: r#"
config_rule Rule 6:3-6:7
  account
  name "strict" 9:23-9:50 ConfigRuleName
  owner "AWS" 12:16-12:19 Source/Owner
  identifier "ROOT_ACCOUNT_MFA_ENABLED" 13:27-13:51 Source/SourceIdentifier
anchor config 6:3-6:7 Resources/Rule
"#,
        },
    ]);
}

#[test]
fn passed_values_override_parameter_defaults() {
    check(&[
        Case {
            name: "a StackSet passes a value that switches the inner rule on",
            text: r"
Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      Parameters:
        - ParameterKey: Level
          ParameterValue: Level 2
      TemplateBody: |
        Parameters:
          Level: {Type: String, Default: Level 1}
        Conditions:
          IsLevel2: !Equals [!Ref Level, Level 2]
        Resources:
          RootHw:
            Type: AWS::Config::ConfigRule
            Condition: IsLevel2
            Properties:
              Source: {Owner: AWS, SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED}
",
            want: r#"
config_rule RootHw 14:11-14:17 Resources/Set/Properties/TemplateBody/Resources/RootHw
  via stackset Set 2:3-2:6
  if Condition: IsLevel2 = True 16:24-16:32 by Resources/Set/Properties/ParameterValue 7:27-7:34: parameter `Level` is `Level 2` (passed in)
  account
  owner "AWS" 18:31-18:34 Source/Owner
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 18:54-18:87 Source/SourceIdentifier
anchor config 14:11-14:17 Resources/Set/Properties/TemplateBody/Resources/RootHw
"#,
        },
        Case {
            name: "the same StackSet passing nothing: the inner default decides",
            text: r"
Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: |
        Parameters:
          Level: {Type: String, Default: Level 1}
        Conditions:
          IsLevel2: !Equals [!Ref Level, Level 2]
        Resources:
          RootHw:
            Type: AWS::Config::ConfigRule
            Condition: IsLevel2
            Properties:
              Source: {Owner: AWS, SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED}
",
            want: r#"
config_rule RootHw 11:11-11:17 Resources/Set/Properties/TemplateBody/Resources/RootHw
  via stackset Set 2:3-2:6
  if Condition: IsLevel2 = False 13:24-13:32 by Parameters/Level/Default 7:42-7:49: parameter `Level` is `Level 1` (its default)
  account
  owner "AWS" 15:31-15:34 Source/Owner
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 15:54-15:87 Source/SourceIdentifier
anchor config 11:11-11:17 Resources/Set/Properties/TemplateBody/Resources/RootHw
"#,
        },
        Case {
            name: "the outer resource's condition gates what its template declares",
            text: r"
Parameters:
  Deploy: {Type: String, Default: 'no'}
Conditions:
  DoDeploy: !Equals [!Ref Deploy, 'yes']
Resources:
  Pack:
    Type: AWS::Config::ConformancePack
    Condition: DoDeploy
    Properties:
      ConformancePackName: root
      ConformancePackInputParameters:
        - {ParameterName: Freq, ParameterValue: Six_Hours}
      TemplateBody: |
        Parameters:
          Freq: {Type: String, Default: One_Hour}
        Resources:
          Rule:
            Type: AWS::Config::ConfigRule
            Properties:
              MaximumExecutionFrequency: !Ref Freq
              Source: {Owner: AWS, SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED}
",
            want: r#"
config_rule Rule 17:11-17:15 Resources/Pack/Properties/TemplateBody/Resources/Rule (conformance-pack)
  via conformance-pack Pack 6:3-6:7
  if Condition: DoDeploy = False 8:16-8:24 by Parameters/Deploy/Default 2:35-2:39: parameter `Deploy` is `no` (its default)
  account
  owner "AWS" 21:31-21:34 Source/Owner
  identifier "ROOT_ACCOUNT_MFA_ENABLED" 21:54-21:78 Source/SourceIdentifier
  frequency "Six_Hours" 20:42-20:51 MaximumExecutionFrequency
  pack 0
conformance_pack Pack 6:3-6:7
  if Condition: DoDeploy = False 8:16-8:24 by Parameters/Deploy/Default 2:35-2:39: parameter `Deploy` is `no` (its default)
  account
  name "root" 10:28-10:32 ConformancePackName
  body inline 14:9-22:1 TemplateBody
anchor config 6:3-6:7 Resources/Pack
"#,
        },
    ]);
}
