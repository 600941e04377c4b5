//! Security Hub: standards, the defaults a hub enables, disabled controls, configuration policies.

use super::{Case, check};

#[test]
fn securityhub() {
    check(&[
        Case {
            name: "a standard and the controls it disables",
            text: r"
Resources:
  Cis:
    Type: AWS::SecurityHub::Standard
    Properties:
      StandardsArn: !Sub 'arn:${AWS::Partition}:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0'
      DisabledStandardsControls:
        - StandardsControlArn: arn:aws:securityhub:us-east-1:111122223333:control/cis-aws-foundations-benchmark/v/1.4.0/1.6
          Reason: handled elsewhere
        - StandardsControlArn: !Ref Missing
",
            want: r#"
sh_standard Cis 2:3-2:6
  arn partial "arn:${AWS::Partition}:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/1.4.0" 5:21-5:120 StandardsArn
sh_control disabled Cis 2:3-2:6
  control "arn:aws:securityhub:us-east-1:111122223333:control/cis-aws-foundations-benchmark/v/1.4.0/1.6" 7:11-9:9 DisabledStandardsControls/0/StandardsControlArn
  reason "handled elsewhere" 8:19-8:36 DisabledStandardsControls/0/Reason
sh_control disabled Cis 2:3-2:6
  control unknown (`Ref Missing` names nothing in the template) 9:11-10:1 DisabledStandardsControls/1/StandardsControlArn
anchor securityhub 2:3-2:6 Resources/Cis
"#,
        },
        Case {
            name: "hubs: default standards implied, switched off, or unknown",
            text: r"
Parameters:
  Defaults: {Type: String}
Resources:
  Default:
    Type: AWS::SecurityHub::Hub
  Off:
    Type: AWS::SecurityHub::Hub
    Properties:
      EnableDefaultStandards: false
  Passed:
    Type: AWS::SecurityHub::Hub
    Properties:
      EnableDefaultStandards: !Ref Defaults
",
            want: r#"
sh_standard (implied) Default 4:3-4:10
  arn "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0" 4:3-4:10 Resources/Default
sh_standard (implied) Default 4:3-4:10
  arn "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0" 4:3-4:10 Resources/Default
sh_standard (implied) Passed 10:3-10:9
  arn unknown (`EnableDefaultStandards` is not known statically) 13:31-13:44 EnableDefaultStandards
sh_standard (implied) Passed 10:3-10:9
  arn unknown (`EnableDefaultStandards` is not known statically) 13:31-13:44 EnableDefaultStandards
anchor securityhub 4:3-4:10 Resources/Default
"#,
        },
        Case {
            name: "a configuration policy: standards, disabled controls, an allow-list leaving IAM.9 out",
            text: r"
Resources:
  Central:
    Type: AWS::SecurityHub::ConfigurationPolicy
    Properties:
      Name: central
      ConfigurationPolicy:
        SecurityHub:
          ServiceEnabled: true
          EnabledStandardIdentifiers:
            - arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0
          SecurityControlsConfiguration:
            DisabledSecurityControlIdentifiers: [IAM.6]
            EnabledSecurityControlIdentifiers:
              - IAM.6
              - S3.1
",
            want: r#"
sh_standard Central 2:3-2:10
  arn "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0" 10:15-10:104 ConfigurationPolicy/SecurityHub/EnabledStandardIdentifiers/0
sh_control disabled Central 2:3-2:10
  control "IAM.6" 12:50-12:55 ConfigurationPolicy/SecurityHub/SecurityControlsConfiguration/DisabledSecurityControlIdentifiers/0
sh_control enabled Central 2:3-2:10
  control "IAM.6" 14:17-14:22 ConfigurationPolicy/SecurityHub/SecurityControlsConfiguration/EnabledSecurityControlIdentifiers/0
sh_control enabled Central 2:3-2:10
  control "S3.1" 15:17-15:21 ConfigurationPolicy/SecurityHub/SecurityControlsConfiguration/EnabledSecurityControlIdentifiers/1
sh_control not-enabled Central 2:3-2:10
  control "IAM.9" 13:13-16:1 ConfigurationPolicy/SecurityHub/SecurityControlsConfiguration/EnabledSecurityControlIdentifiers
anchor securityhub 2:3-2:10 Resources/Central
"#,
        },
    ]);
}
