//! Conformance packs: inline bodies (read as templates, positions exact inside the string), bodies
//! by reference, and stand-alone pack files.

use super::{Case, assert_lines, check, dump};
use crate::model::Format;

#[test]
fn conformance_packs() {
    check(&[
        Case {
            name: "inline body: the pack, then its rules with exact positions inside the block string",
            text: r"
Resources:
  Pack:
    Type: AWS::Config::ConformancePack
    Properties:
      ConformancePackName: root-mfa
      TemplateBody: |
        Resources:
          RootMfa:
            Type: AWS::Config::ConfigRule
            Properties:
              Source:
                Owner: AWS
                SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED
",
            want: r#"
config_rule RootMfa 8:11-8:18 Resources/Pack/Properties/TemplateBody/Resources/RootMfa (conformance-pack)
  via conformance-pack Pack 2:3-2:7
  account
  owner "AWS" 12:24-12:27 Source/Owner
  identifier "ROOT_ACCOUNT_MFA_ENABLED" 13:35-13:59 Source/SourceIdentifier
  pack 0
conformance_pack Pack 2:3-2:7
  account
  name "root-mfa" 5:28-5:36 ConformancePackName
  body inline 7:9-14:1 TemplateBody
anchor config 2:3-2:7 Resources/Pack
"#,
        },
        Case {
            name: "organization pack: S3 URI wins over an inline body, which is ignored",
            text: r"
Resources:
  OrgPack:
    Type: AWS::Config::OrganizationConformancePack
    Properties:
      OrganizationConformancePackName: org-root
      ExcludedAccounts: ['111122223333']
      TemplateS3Uri: s3://bucket/pack.yaml
      TemplateBody: 'Resources: {}'
",
            want: r#"
conformance_pack OrgPack 2:3-2:10
  organization
  name "org-root" 5:40-5:48 OrganizationConformancePackName
  body opaque "s3://bucket/pack.yaml" 7:22-7:43 TemplateS3Uri
  excluded_accounts ["111122223333"] 6:7-6:41 ExcludedAccounts
  body_ignored 8:21-8:36 TemplateBody
anchor config 2:3-2:10 Resources/OrgPack
"#,
        },
        Case {
            name: "SSM document, a URI known at deployment, and no template at all",
            text: r"
Resources:
  Ssm:
    Type: AWS::Config::ConformancePack
    Properties:
      TemplateSSMDocumentDetails: {DocumentName: root-pack, DocumentVersion: '1'}
  S3:
    Type: AWS::Config::ConformancePack
    Properties:
      TemplateS3Uri: !Sub 's3://${AWS::AccountId}-packs/root.yaml'
  Empty:
    Type: AWS::Config::ConformancePack
    Properties:
      ConformancePackName: empty
",
            want: r#"
conformance_pack Ssm 2:3-2:6
  account
  body opaque "SSM document `root-pack`" 5:35-5:82 TemplateSSMDocumentDetails
conformance_pack S3 6:3-6:5
  account
  body opaque "s3://${AWS::AccountId}-packs/root.yaml" 9:22-9:67 TemplateS3Uri
conformance_pack Empty 10:3-10:8
  account
  name "empty" 13:28-13:33 ConformancePackName
  body unknown (the pack declares no template) 10:3-10:8 Resources/Empty
anchor config 2:3-2:6 Resources/Ssm
"#,
        },
        Case {
            name: "a body computed by !Sub with a placeholder is unknown; one by !Join is read, every position at the property",
            text: r#"
Parameters:
  RuleName: {Type: String, Default: root-mfa}
Resources:
  Placeholder:
    Type: AWS::Config::ConformancePack
    Properties:
      TemplateBody: !Sub 'Resources: {R: {Type: AWS::Config::ConfigRule, Properties: {ConfigRuleName: ${AWS::Region}}}}'
  Joined:
    Type: AWS::Config::ConformancePack
    Properties:
      TemplateBody: !Join ['', ['{"Resources": {"R": {"Type": "AWS::Config::ConfigRule", "Properties": {"ConfigRuleName": "', !Ref RuleName, '"}}}}']]
  Unparsable:
    Type: AWS::Config::ConformancePack
    Properties:
      TemplateBody: !Join ['', ['{', '']]
"#,
            want: r#"
config_rule R 11:21-11:151 Resources/Joined/Properties/TemplateBody/Resources/R (conformance-pack)
  via conformance-pack Joined 8:3-8:9
  account
  name "root-mfa" 11:21-11:151 ConfigRuleName
  pack 1
conformance_pack Placeholder 4:3-4:14
  account
  body unknown (the template is built from values known only at deployment) 7:21-7:121 TemplateBody
conformance_pack Joined 8:3-8:9
  account
  body inline 11:21-11:151 TemplateBody
conformance_pack Unparsable 12:3-12:13
  account
  body unknown (the template in `Resources/Unparsable/Properties/TemplateBody` could not be read) 15:21-15:42 TemplateBody
anchor config 4:3-4:14 Resources/Placeholder
diagnostic syntax 15:21-15:42: invalid JSON: Unterminated object
"#,
        },
        Case {
            name: "a body given as an object is read as it is",
            text: r"
Resources:
  Pack:
    Type: AWS::Config::ConformancePack
    Properties:
      TemplateBody:
        Resources:
          Rule:
            Type: AWS::Config::ConfigRule
            Properties:
              ConfigRuleName: inner
",
            want: r#"
config_rule Rule 7:11-7:15 Resources/Pack/Properties/TemplateBody/Resources/Rule (conformance-pack)
  via conformance-pack Pack 2:3-2:7
  account
  name "inner" 10:31-10:36 ConfigRuleName
  pack 0
conformance_pack Pack 2:3-2:7
  account
  body inline 6:9-11:1 TemplateBody
anchor config 2:3-2:7 Resources/Pack
"#,
        },
    ]);
}

#[test]
fn stand_alone_pack_file() {
    let got = dump(
        r"
Parameters:
  Freq: {Type: String, Default: One_Hour}
Resources:
  RootHw:
    Type: AWS::Config::ConfigRule
    Properties:
      MaximumExecutionFrequency: !Ref Freq
      Source: {Owner: AWS, SourceIdentifier: ROOT_ACCOUNT_HARDWARE_MFA_ENABLED}
",
        Format::ConformancePack,
    );
    assert_lines(
        "pack file",
        &got,
        r#"
config_rule RootHw 4:3-4:9 (conformance-pack)
  account
  owner "AWS" 8:23-8:26 Source/Owner
  identifier "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED" 8:46-8:79 Source/SourceIdentifier
  frequency "One_Hour" 7:34-7:43 MaximumExecutionFrequency
  pack 0
conformance_pack pack.yaml 1:1-1:1 (conformance-pack)
  account
  body file
anchor config 1:1-1:1
"#,
    );
}
