//! Control Tower controls.

use super::{Case, check};

#[test]
fn control_tower_controls() {
    check(&[
        Case {
            name: "an enabled control, its target by !Ref resolved from a default",
            text: r"
Parameters:
  OuArn: {Type: String, Default: 'arn:aws:organizations::111122223333:ou/o-abc/ou-ab12-abcd1234'}
Resources:
  Mfa:
    Type: AWS::ControlTower::EnabledControl
    Properties:
      ControlIdentifier: arn:aws:controltower:us-east-1::control/AWS-GR_ROOT_ACCOUNT_MFA_ENABLED
      TargetIdentifier: !Ref OuArn
      Parameters:
        - Key: AllowedRegions
          Value: [us-east-1]
",
            want: r#"
ct_control Mfa 4:3-4:6
  identifier "arn:aws:controltower:us-east-1::control/AWS-GR_ROOT_ACCOUNT_MFA_ENABLED" 7:26-7:97 ControlIdentifier
  target "arn:aws:organizations::111122223333:ou/o-abc/ou-ab12-abcd1234" 8:25-8:35 TargetIdentifier
  parameters [{"Key":"AllowedRegions","Value":["us-east-1"]}] 9:7-12:1 Parameters
anchor organizations 4:3-4:6 Resources/Mfa
"#,
        },
        Case {
            name: "JSON: identifier by Fn::Sub of a parameter, target by Fn::GetAtt of a resource",
            text: r#"
{
  "Parameters": {"Region": {"Type": "String", "Default": "eu-west-1"}},
  "Resources": {
    "Ou": {"Type": "AWS::Organizations::OrganizationalUnit"},
    "Hw": {
      "Type": "AWS::ControlTower::EnabledControl",
      "Properties": {
        "ControlIdentifier": {"Fn::Sub": "arn:aws:controltower:${Region}::control/AWS-GR_ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"},
        "TargetIdentifier": {"Fn::GetAtt": ["Ou", "Arn"]}
      }
    }
  }
}
"#,
            want: r#"
ct_control Hw 5:5-5:9
  identifier "arn:aws:controltower:eu-west-1::control/AWS-GR_ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 8:30-8:125 ControlIdentifier
  target unknown (`Ou.Arn` is an attribute known after deployment) 9:29-9:58 TargetIdentifier
anchor organizations 4:5-4:9 Resources/Ou
"#,
        },
        Case {
            name: "a control switched off by a condition on a default; !If removes its identifier",
            text: r"
Parameters:
  Mode: {Type: String, Default: audit}
Conditions:
  Enforce: !Equals [!Ref Mode, enforce]
Resources:
  Mfa:
    Type: AWS::ControlTower::EnabledControl
    Condition: Enforce
    Properties:
      ControlIdentifier: !If [Enforce, AWS-GR_ROOT_ACCOUNT_MFA_ENABLED, !Ref AWS::NoValue]
",
            want: r"
ct_control Mfa 6:3-6:6
  if Condition: Enforce = False 8:16-8:23 by Parameters/Mode/Default 2:33-2:38: parameter `Mode` is `audit` (its default)
anchor organizations 6:3-6:6 Resources/Mfa
",
        },
    ]);
}
