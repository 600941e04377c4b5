//! Config rules and configuration recorders.

use super::{Case, check};

#[test]
fn config_rules() {
    check(&[
        Case {
            name: "account rule, short-form !Ref and !Sub resolved from parameter defaults",
            text: r"
Parameters:
  Freq:
    Type: String
    Default: One_Hour
Resources:
  RootHw:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Sub 'root-hw-${Freq}'
      Source:
        Owner: AWS
        SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED
      MaximumExecutionFrequency: !Ref Freq
",
            want: r#"
config_rule RootHw 6:3-6:9
  account
  name "root-hw-One_Hour" 9:23-9:45 ConfigRuleName
  owner "AWS" 11:16-11:19 Source/Owner
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 12:27-12:60 Source/SourceIdentifier
  frequency "One_Hour" 13:34-13:43 MaximumExecutionFrequency
anchor config 6:3-6:9 Resources/RootHw
"#,
        },
        Case {
            name: "account rule in JSON, input parameters as an object",
            text: r#"
{
  "Resources": {
    "RootMfa": {
      "Type": "AWS::Config::ConfigRule",
      "Properties": {
        "Source": {"Owner": "AWS", "SourceIdentifier": "ROOT_ACCOUNT_MFA_ENABLED"},
        "InputParameters": {"a": 1}
      }
    }
  }
}
"#,
            want: r#"
config_rule RootMfa 3:5-3:14
  account
  owner "AWS" 6:29-6:34 Source/Owner
  identifier "ROOT_ACCOUNT_MFA_ENABLED" 6:56-6:82 Source/SourceIdentifier
  input_parameters {"a":1} 7:9-7:36 InputParameters
anchor config 3:5-3:14 Resources/RootMfa
"#,
        },
        Case {
            name: "account rule whose identifier is chosen by !If, and one left unknown by a pseudo parameter",
            text: r"
Conditions:
  Hw: !Equals [a, a]
Resources:
  Chosen:
    Type: AWS::Config::ConfigRule
    Properties:
      Source:
        Owner: AWS
        SourceIdentifier: !If [Hw, ROOT_ACCOUNT_HARDWARE_MFA_ENABLED, ROOT_ACCOUNT_MFA_ENABLED]
  Unknown:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Sub '${AWS::StackName}-root'
      Source:
        Owner: !Ref AWS::AccountId
        SourceIdentifier: !If [Hw, !Ref AWS::NoValue, x]
",
            want: r#"
config_rule Chosen 4:3-4:9
  account
  owner "AWS" 8:16-8:19 Source/Owner
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 9:27-9:96 Source/SourceIdentifier
config_rule Unknown 10:3-10:10
  account
  name partial "${AWS::StackName}-root" 13:23-13:52 ConfigRuleName
  owner unknown (pseudo parameter `AWS::AccountId` is known at deployment) 15:16-15:35 Source/Owner
anchor config 4:3-4:9 Resources/Chosen
"#,
        },
    ]);
}

#[test]
fn organization_config_rules() {
    check(&[
        Case {
            name: "managed metadata: owner AWS at the metadata block, excluded accounts",
            text: r"
Resources:
  OrgRootHw:
    Type: AWS::Config::OrganizationConfigRule
    Properties:
      OrganizationConfigRuleName: org-root-hw
      ExcludedAccounts: ['111122223333']
      OrganizationManagedRuleMetadata:
        RuleIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED
        MaximumExecutionFrequency: TwentyFour_Hours
",
            want: r#"
config_rule OrgRootHw 2:3-2:12
  organization
  name "org-root-hw" 5:35-5:46 OrganizationConfigRuleName
  owner "AWS" 8:9-10:1 OrganizationManagedRuleMetadata
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 8:25-8:58 OrganizationManagedRuleMetadata/RuleIdentifier
  frequency "TwentyFour_Hours" 9:36-9:52 OrganizationManagedRuleMetadata/MaximumExecutionFrequency
  excluded_accounts ["111122223333"] 6:7-6:41 ExcludedAccounts
anchor config 2:3-2:12 Resources/OrgRootHw
"#,
        },
        Case {
            name: "custom Lambda metadata: the identifier is the function ARN",
            text: r"
Resources:
  Custom:
    Type: AWS::Config::OrganizationConfigRule
    Properties:
      OrganizationConfigRuleName: custom
      OrganizationCustomRuleMetadata:
        LambdaFunctionArn: arn:aws:lambda:us-east-1:111122223333:function:f
        InputParameters: '{}'
  Policy:
    Type: AWS::Config::OrganizationConfigRule
    Properties:
      OrganizationCustomPolicyRuleMetadata:
        RuleIdentifier: guard
",
            want: r#"
config_rule Custom 2:3-2:9
  organization
  name "custom" 5:35-5:41 OrganizationConfigRuleName
  owner "CUSTOM_LAMBDA" 7:9-9:3 OrganizationCustomRuleMetadata
  identifier "arn:aws:lambda:us-east-1:111122223333:function:f" 7:28-7:76 OrganizationCustomRuleMetadata/LambdaFunctionArn
  input_parameters "{}" 8:26-8:30 OrganizationCustomRuleMetadata/InputParameters
config_rule Policy 9:3-9:9
  organization
  owner "CUSTOM_POLICY" 13:9-14:1 OrganizationCustomPolicyRuleMetadata
  identifier "guard" 13:25-13:30 OrganizationCustomPolicyRuleMetadata/RuleIdentifier
anchor config 2:3-2:9 Resources/Custom
"#,
        },
        Case {
            name: "no metadata: no owner, and the identifier is absent",
            text: r"
Resources:
  Bare:
    Type: AWS::Config::OrganizationConfigRule
    Properties:
      OrganizationConfigRuleName: bare
",
            want: r#"
config_rule Bare 2:3-2:7
  organization
  name "bare" 5:35-5:39 OrganizationConfigRuleName
anchor config 2:3-2:7 Resources/Bare
"#,
        },
    ]);
}

#[test]
fn configuration_recorders() {
    check(&[Case {
        name: "a recorder anchors Config; its status is not declared here",
        text: r"
Resources:
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: !GetAtt Role.Arn
",
        want: r"
recorder Recorder 2:3-2:11
anchor config 2:3-2:11 Resources/Recorder
",
    }]);
}
