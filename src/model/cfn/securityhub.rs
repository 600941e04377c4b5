//! Security Hub: standard subscriptions (`AWS::SecurityHub::Standard`, and the defaults a
//! `Hub` enables), the controls they disable, and central configuration policies.

use super::res::Res;
use crate::model::{AnchorKind, Loc, Model, PVal, Prop, ShControl, ShStandard};
use crate::parse::tree::Node;

/// Security Hub standards enabled by `AWS::SecurityHub::Hub` unless `EnableDefaultStandards` is false.
pub const DEFAULT_STANDARDS: &[&str] = &[
    "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0",
    "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
];

/// An `AWS::SecurityHub::Standard`: the subscription, and each of its
/// `DisabledStandardsControls`.
pub(super) fn standard(r: &Res<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::SecurityHub);
    model.securityhub_standards.push(ShStandard {
        origin: r.origin.clone(),
        arn: r.prop(&["StandardsArn"]),
        implied: false,
    });
    let Some(list) = r.node(&["DisabledStandardsControls"]).and_then(Node::as_seq) else {
        return;
    };
    for (i, c) in list.iter().enumerate() {
        let p = format!("{}/Properties/DisabledStandardsControls/{i}", r.path);
        model.securityhub_controls.push(ShControl {
            origin: r.origin.clone(),
            control: Prop::from_node(
                c.get("StandardsControlArn"),
                Some(Loc::new(c.span, format!("{p}/StandardsControlArn"))),
            ),
            status: "disabled",
            reason: Prop::from_node(c.get("Reason"), c.get("Reason").map(|n| Loc::new(n.span, format!("{p}/Reason")))),
            standard: Prop::absent(),
        });
    }
}

/// An `AWS::SecurityHub::Hub`: the [`DEFAULT_STANDARDS`] it subscribes to unless
/// `EnableDefaultStandards` is false (unknown when that is not known statically).
pub(super) fn hub(r: &Res<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::SecurityHub);
    let enable = r.prop(&["EnableDefaultStandards"]);
    let on = match &enable.val {
        PVal::Absent => Some(true),
        PVal::Known(serde_json::Value::Bool(b)) => Some(*b),
        PVal::Known(serde_json::Value::String(s)) => Some(s.eq_ignore_ascii_case("true")),
        _ => None,
    };
    for arn in DEFAULT_STANDARDS {
        let val = match on {
            Some(true) => PVal::Known((*arn).into()),
            Some(false) => continue,
            None => PVal::Unknown("`EnableDefaultStandards` is not known statically".into()),
        };
        model.securityhub_standards.push(ShStandard {
            origin: r.origin.clone(),
            arn: Prop {
                val,
                loc: enable.loc.clone().or_else(|| Some(r.origin.loc.clone())),
            },
            implied: true,
        });
    }
}

/// An `AWS::SecurityHub::ConfigurationPolicy`: the standards it enables, the controls it
/// disables or enables, and the root MFA controls an allow-list of enabled controls leaves out.
pub(super) fn configuration_policy(r: &Res<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::SecurityHub);
    policy_standards(r, model);
    for (key, status) in [
        ("DisabledSecurityControlIdentifiers", "disabled"),
        ("EnabledSecurityControlIdentifiers", "enabled"),
    ] {
        policy_controls(r, key, status, model);
    }
}

/// `ConfigurationPolicy.SecurityHub.EnabledStandardIdentifiers`.
fn policy_standards(r: &Res<'_>, model: &mut Model) {
    let Some(list) = r
        .node(&["ConfigurationPolicy", "SecurityHub", "EnabledStandardIdentifiers"])
        .and_then(Node::as_seq)
    else {
        return;
    };
    for (i, s) in list.iter().enumerate() {
        let l = Loc::new(
            s.span,
            format!(
                "{}/Properties/ConfigurationPolicy/SecurityHub/EnabledStandardIdentifiers/{i}",
                r.path
            ),
        );
        model.securityhub_standards.push(ShStandard {
            origin: r.origin.clone(),
            arn: Prop::from_node(Some(s), Some(l)),
            implied: false,
        });
    }
}

/// `ConfigurationPolicy.SecurityHub.SecurityControlsConfiguration.{key}`: one control
/// declaration of `status` per item; an allow-list (`enabled`) also declares what it leaves out.
fn policy_controls(r: &Res<'_>, key: &str, status: &'static str, model: &mut Model) {
    let path = ["ConfigurationPolicy", "SecurityHub", "SecurityControlsConfiguration", key];
    let Some(n) = r.node(&path) else {
        return;
    };
    let list_span = r.props.as_ref().and_then(|p| p.span_at(&path)).unwrap_or(n.span);
    let lp = format!(
        "{}/Properties/ConfigurationPolicy/SecurityHub/SecurityControlsConfiguration/{key}",
        r.path
    );
    let items = n.as_seq().unwrap_or_default();
    for (i, c) in items.iter().enumerate() {
        model.securityhub_controls.push(ShControl {
            origin: r.origin.clone(),
            control: Prop::from_node(Some(c), Some(Loc::new(c.span, format!("{lp}/{i}")))),
            status,
            reason: Prop::absent(),
            standard: Prop::absent(),
        });
    }
    if status == "enabled" {
        let loc = Loc::new(list_span, lp);
        model.securityhub_controls.extend(ShControl::left_out(&r.origin, n, Some(&loc)));
    }
}
