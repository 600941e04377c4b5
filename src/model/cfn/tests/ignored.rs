//! Resources the model reads nothing from.

use super::{Case, check};

#[test]
fn a_resource_type_the_model_ignores_declares_nothing() {
    check(&[
        Case {
            name: "types that declare no guardrail",
            text: r"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '${AWS::AccountId}-logs'
  Group:
    Type: AWS::Logs::LogGroup
  Remediation:
    Type: AWS::Config::RemediationConfiguration
    Properties:
      ConfigRuleName: root-mfa
  Untyped:
    Properties:
      ConfigRuleName: root-mfa
",
            want: "",
        },
        Case {
            name: "a trail and an organization only anchor; a nested stack without a URL declares nothing",
            text: r"
Resources:
  Org:
    Type: AWS::Organizations::Organization
  Trail:
    Type: AWS::CloudTrail::Trail
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties:
      Parameters: {A: b}
",
            want: "
anchor organizations 2:3-2:6 Resources/Org
anchor logging 4:3-4:8 Resources/Trail
",
        },
        Case {
            name: "no Resources",
            text: "Parameters:\n  A:\n    Type: String\n",
            want: "",
        },
    ]);
}
