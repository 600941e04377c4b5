//! Organizations policies: their content and their targets.

use super::{Case, check};
use crate::model::TargetKind;
use crate::model::cfn::classify_target;

#[test]
fn organizations_policies() {
    check(&[
        Case {
            name: "content as a JSON string: statement positions exact inside the string; targets by id and by reference",
            text: r#"
Resources:
  Ou:
    Type: AWS::Organizations::OrganizationalUnit
  DenyRoot:
    Type: AWS::Organizations::Policy
    Properties:
      Name: deny-root
      Type: SERVICE_CONTROL_POLICY
      Content: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["*"]}]}'
      TargetIds:
        - r-ab12
        - ou-ab12-abcd1234
        - '111122223333'
        - !Ref Ou
        - !GetAtt Org.RootId
        - !Ref Other
        - not-an-id
"#,
            want: r#"
policy DenyRoot 4:3-4:11
  name "deny-root" 7:13-7:22 Name
  type "SERVICE_CONTROL_POLICY" 8:13-8:35 Type
  content 9:16-9:95 Content size 77
    statement 0 9:57-9:92 Content/Statement/0
      effect "Deny" 9:68-9:74 Effect
      action 9:86-9:91 Action
        "*" 9:87-9:90 Action/0
  target root "r-ab12" 11:11-11:17 TargetIds/0
  target ou "ou-ab12-abcd1234" 12:11-12:27 TargetIds/1
  target account "111122223333" 13:11-13:25 TargetIds/2
  target ou "{\"Ref\":\"Ou\"}" 14:11-14:18 TargetIds/3
  target root "{\"Fn::GetAtt\":[\"Org\",\"RootId\"]}" 15:11-15:29 TargetIds/4
  target unknown "{\"Ref\":\"Other\"}" 16:11-16:21 TargetIds/5
  target unknown "not-an-id" 17:11-17:20 TargetIds/6
anchor organizations 2:3-2:5 Resources/Ou
"#,
        },
        Case {
            name: "content as an object, targets from a list parameter",
            text: r"
Parameters:
  Targets: {Type: CommaDelimitedList, Default: 'r-ab12,123456789012'}
Resources:
  Scp:
    Type: AWS::Organizations::Policy
    Properties:
      Type: SERVICE_CONTROL_POLICY
      Content:
        Version: '2012-10-17'
        Statement:
          - Effect: Deny
            Action: !If [Always, 'iam:*', 's3:*']
      TargetIds: !Ref Targets
Conditions:
  Always: !Equals [1, 1]
",
            want: r#"
policy Scp 4:3-4:6
  type "SERVICE_CONTROL_POLICY" 7:13-7:35 Type
  content 9:9-13:7 Content size 73
    statement 0 11:13-13:7 Content/Statement/0
      effect "Deny" 11:21-11:25 Effect
      action 12:21-12:50 Action
        "iam:*" 12:21-12:50 Action
  target root "r-ab12" 2:48-2:69 TargetIds/0
  target account "123456789012" 2:48-2:69 TargetIds/1
anchor organizations 4:3-4:6 Resources/Scp
"#,
        },
        Case {
            name: "content computed by !Sub: every position is the property's; targets unknown",
            text: r#"
Parameters:
  Act: {Type: String, Default: 'iam:*'}
Resources:
  Computed:
    Type: AWS::Organizations::Policy
    Properties:
      Content: !Sub '{"Statement": [{"Effect": "Deny", "Action": "${Act}"}]}'
      TargetIds: !Split [',', !ImportValue targets]
"#,
            want: r#"
policy Computed 4:3-4:11
  content 7:16-7:78 Content size 54
    statement 0 7:16-7:78 Content/Statement/0
      effect "Deny" 7:16-7:78 Effect
      action 7:16-7:78 Action
        "iam:*" 7:16-7:78 Action
  targets unknown (a value imported from another stack) 8:18-8:52 TargetIds
anchor organizations 4:3-4:11 Resources/Computed
"#,
        },
        Case {
            name: "content that is not JSON, content left out",
            text: r"
Resources:
  Invalid:
    Type: AWS::Organizations::Policy
    Properties:
      Content: !Join ['', ['{', Statement]]
  Empty:
    Type: AWS::Organizations::Policy
    Properties:
      Name: empty
",
            want: r#"
policy Invalid 2:3-2:10
  content 5:16-5:44 Content size -
    unknown (the policy content is not valid JSON)
policy Empty 6:3-6:8
  name "empty" 9:13-9:18 Name
  content 6:3-6:8 Resources/Empty size -
    unknown (the policy has no `Content`)
anchor organizations 2:3-2:10 Resources/Invalid
"#,
        },
    ]);
}

#[test]
fn target_ids_are_told_apart_by_shape() {
    for (id, want) in [
        ("r-ab12", TargetKind::Root),
        ("r-ab1", TargetKind::Unknown),
        ("r-AB12", TargetKind::Unknown),
        ("ou-ab12-abcd1234", TargetKind::Ou),
        ("ou-ab12-abcd123", TargetKind::Unknown),
        ("ou-ab12", TargetKind::Unknown),
        ("123456789012", TargetKind::Account),
        ("12345678901", TargetKind::Unknown),
        ("12345678901a", TargetKind::Unknown),
        ("", TargetKind::Unknown),
    ] {
        assert_eq!(classify_target(id), want, "{id}");
    }
}
