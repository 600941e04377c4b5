//! Security Hub: the standards an account enables (by default or by subscription), the
//! controls disabled or enabled one by one, and central configuration policies.

use super::attrs::Attrs;
use crate::model::{Loc, Model, Origin, PVal, Prop, ShControl, ShStandard};

/// `aws_securityhub_account`: `enable_default_standards` (true unless set) enables FSBP and
/// CIS v1.2.0.
pub(super) fn account(s: &dyn Attrs, o: &Origin, model: &mut Model) {
    let enable = s.prop("enable_default_standards");
    let on = match &enable.val {
        PVal::Absent => Some(true),
        PVal::Known(serde_json::Value::Bool(b)) => Some(*b),
        PVal::Known(serde_json::Value::String(t)) => Some(t == "true"),
        _ => None,
    };
    for arn in crate::model::cfn::DEFAULT_STANDARDS {
        let val = match on {
            Some(true) => PVal::Known((*arn).into()),
            Some(false) => continue,
            None => PVal::Unknown("`enable_default_standards` is not known statically".into()),
        };
        model.securityhub_standards.push(ShStandard {
            origin: o.clone(),
            arn: Prop {
                val,
                loc: enable.loc.clone().or_else(|| Some(o.loc.clone())),
            },
            implied: true,
        });
    }
}

/// `aws_securityhub_standards_subscription`: one standard.
pub(super) fn subscription(s: &dyn Attrs, o: &Origin) -> ShStandard {
    ShStandard {
        origin: o.clone(),
        arn: s.prop("standards_arn"),
        implied: false,
    }
}

/// `aws_securityhub_standards_control`: a control of one standard, disabled when its status is
/// `DISABLED` or it gives a reason.
pub(super) fn standards_control(s: &dyn Attrs, o: &Origin) -> ShControl {
    let status = s.prop("control_status");
    let disabled = status.known_text().is_some_and(|t| t.eq_ignore_ascii_case("DISABLED")) || !s.prop("disabled_reason").is_absent();
    ShControl {
        origin: o.clone(),
        control: s.prop("standards_control_arn"),
        status: if disabled { "disabled" } else { "enabled" },
        reason: s.prop("disabled_reason"),
        standard: Prop::absent(),
    }
}

/// `aws_securityhub_standards_control_association`: a control in one standard, disabled when
/// its association status is `DISABLED`.
pub(super) fn control_association(s: &dyn Attrs, o: &Origin) -> ShControl {
    let status = s.prop("association_status");
    let disabled = status.known_text().is_some_and(|t| t.eq_ignore_ascii_case("DISABLED"));
    ShControl {
        origin: o.clone(),
        control: s.prop("security_control_id"),
        status: if disabled { "disabled" } else { "enabled" },
        reason: s.prop("updated_reason"),
        standard: s.prop("standards_arn"),
    }
}

/// `aws_securityhub_configuration_policy`: the standards its policies enable and the controls
/// they disable or enable.
pub(super) fn configuration_policy(s: &dyn Attrs, o: &Origin, model: &mut Model) {
    for cp in s.blocks("configuration_policy") {
        if let Some(n) = cp.node("enabled_standard_arns") {
            for (i, x) in n.as_seq().unwrap_or_default().iter().enumerate() {
                model.securityhub_standards.push(ShStandard {
                    origin: o.clone(),
                    arn: Prop::from_node(Some(x), Some(Loc::new(x.span, format!("{}/enabled_standard_arns/{i}", cp.path())))),
                    implied: false,
                });
            }
        }
        for scc in cp.blocks("security_controls_configuration") {
            controls_configuration(scc.as_ref(), o, model);
        }
    }
}

/// A `security_controls_configuration` block: the controls it disables, the controls it
/// enables, and the root-MFA controls a known list of enabled ones leaves out.
fn controls_configuration(scc: &dyn Attrs, o: &Origin, model: &mut Model) {
    for (key, status) in [
        ("disabled_control_identifiers", "disabled"),
        ("enabled_control_identifiers", "enabled"),
    ] {
        let pr = scc.prop(key);
        let Some(n) = scc.node(key) else { continue };
        let items = n.as_seq().unwrap_or_default();
        for x in items {
            model.securityhub_controls.push(ShControl {
                origin: o.clone(),
                control: Prop::from_node(Some(x), Some(Loc::new(x.span, format!("{}/{key}", scc.path())))),
                status,
                reason: Prop::absent(),
                standard: Prop::absent(),
            });
        }
        if status == "enabled" {
            model.securityhub_controls.extend(ShControl::left_out(o, &n, pr.loc.as_ref()));
        }
    }
}
