//! Nested stacks and `StackSet`s: by URL (opaque), by inline body (read, reached through the
//! `StackSet`), and nesting past the limit.

use super::{Case, assert_lines, check, dump};
use crate::model::Format;

#[test]
fn stacks_and_stacksets() {
    check(&[
        Case {
            name: "templates by URL cannot be seen into",
            text: r"
Resources:
  Nested:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/nested.yaml
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateURL: !GetAtt Bucket.Url
      TemplateBody: 'Resources: {}'
",
            want: r#"
opaque stack Nested 2:3-2:9
  reference "https://s3.amazonaws.com/bucket/nested.yaml"
opaque stackset Set 6:3-6:6
  reference "a URL known at deployment"
"#,
        },
        Case {
            name: "inline StackSet body in JSON text: its declarations are reached through the StackSet",
            text: r#"
{
  "Resources": {
    "Set": {
      "Type": "AWS::CloudFormation::StackSet",
      "Properties": {
        "TemplateBody": "{\"Resources\": {\"Scp\": {\"Type\": \"AWS::Organizations::Policy\", \"Properties\": {\"Name\": \"deny\"}}}}"
      }
    }
  }
}
"#,
            want: r#"
policy Scp 6:43-6:50 Resources/Set/Properties/TemplateBody/Resources/Scp
  via stackset Set 3:5-3:10
  name "deny" 6:122-6:130 Name
  content 6:43-6:50 Resources/Set/Properties/TemplateBody/Resources/Scp size -
    unknown (the policy has no `Content`)
anchor organizations 6:43-6:50 Resources/Set/Properties/TemplateBody/Resources/Scp
"#,
        },
        Case {
            name: "a StackSet body that cannot be read",
            text: r"
Resources:
  Unknown:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: !GetAtt Maker.Body
  Broken:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: '{Resources: ['
  NoValue:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: !Ref AWS::NoValue
  Listed:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody: [a]
",
            want: r#"
opaque stackset Unknown 2:3-2:10
  reference "`Maker.Body` is an attribute known after deployment"
opaque stackset Broken 6:3-6:9
  reference "the template in `Resources/Broken/Properties/TemplateBody` could not be read"
opaque stackset NoValue 10:3-10:10
  reference "the template is AWS::NoValue"
opaque stackset Listed 14:3-14:9
  reference "the template is a list, not a string"
diagnostic syntax 9:23-9:32: invalid JSON: Expected string for object property
"#,
        },
    ]);
}

/// `StackSet`s nested nine deep, each body an object: the ninth is not read.
#[test]
fn nesting_past_the_limit_is_cut() {
    let mut text = String::from("Resources:\n");
    for depth in 0..9 {
        let pad = " ".repeat(depth * 8);
        text +=
            &format!("{pad}  S{depth}:\n{pad}    Type: AWS::CloudFormation::StackSet\n{pad}    Properties:\n{pad}      TemplateBody:\n");
        text += &format!("{pad}        Resources:\n");
    }
    text += &format!("{}  Rule: {{Type: AWS::Config::ConfigRule}}\n", " ".repeat(9 * 8));
    let got = dump(&text, Format::CloudFormation);
    assert_lines(
        "nine deep",
        &got,
        r#"
opaque cut S8 42:67-42:69 Resources/S0/Properties/TemplateBody/Resources/S1/Properties/TemplateBody/Resources/S2/Properties/TemplateBody/Resources/S3/Properties/TemplateBody/Resources/S4/Properties/TemplateBody/Resources/S5/Properties/TemplateBody/Resources/S6/Properties/TemplateBody/Resources/S7/Properties/TemplateBody/Resources/S8
  via stackset S0 2:3-2:5
  via stackset S1 7:11-7:13
  via stackset S2 12:19-12:21
  via stackset S3 17:27-17:29
  via stackset S4 22:35-22:37
  via stackset S5 27:43-27:45
  via stackset S6 32:51-32:53
  via stackset S7 37:59-37:61
  reference "templates embedded more than 8 levels deep (StackSets and conformance packs inside templates) are not read"
  resource_type *
diagnostic nesting 42:67-42:69: templates embedded more than 8 levels deep (StackSets and conformance packs inside templates) are not read; what this one declares is unknown
"#,
    );
}
