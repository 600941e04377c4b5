//! Organizations policies: `AWS::Organizations::Policy` with its content and targets, and
//! stand-alone policy document files.

use super::diagnostics;
use super::document::computed;
use super::res::Res;
use super::targets::targets;
use crate::model::eval::Cfn;
use crate::model::policy::PolicyDoc;
use crate::model::{AnchorKind, Format, Loc, Model, OrgPolicy, Origin, Prop, Targets};
use crate::parse::tree::{Node, Value};
use crate::parse::{embedded, json};

/// An `AWS::Organizations::Policy`.
pub(super) fn policy(text: &str, r: &Res<'_>, cfn: &Cfn<'_>, model: &mut Model) {
    r.anchor(model, AnchorKind::Organizations);
    let content = match r.raw("Content") {
        None => PolicyDoc::unknown(r.origin.loc.clone(), "the policy has no `Content`"),
        Some(raw) => {
            let loc = r.loc_of(raw, "Content");
            content(text, raw, cfn, &loc, model)
        }
    };
    model.policies.push(OrgPolicy {
        origin: r.origin.clone(),
        name: r.prop(&["Name"]),
        policy_type: r.prop(&["Type"]),
        content,
        targets: targets(r, cfn),
    });
}

/// A policy's `Content`: a JSON string written in the file (its parse diagnostics join the
/// model), a string computed by intrinsics, or an object.
fn content(text: &str, raw: &Node, cfn: &Cfn<'_>, loc: &Loc, model: &mut Model) -> PolicyDoc {
    let (root, len) = match &raw.value {
        Value::String(s) => {
            let parsed = embedded::parse_string_node(text, raw, s);
            diagnostics(parsed.diagnostics, true, model);
            (parsed.root, s.len())
        }
        _ => match cfn.eval(raw) {
            None => return PolicyDoc::unknown(loc.clone(), "the policy content is AWS::NoValue"),
            Some(Node {
                value: Value::String(s), ..
            }) => (computed(json::parse(raw.span.file, &s, 0), raw.span).root, s.len()),
            Some(n) => {
                let size = n.contains_unknown().is_none().then(|| n.to_json_string().len());
                return PolicyDoc::from_node(&n, loc, size);
            }
        },
    };
    match root {
        Some(root) => PolicyDoc::from_node(&root, loc, Some(len)),
        None => PolicyDoc::unknown(loc.clone(), "the policy content is not valid JSON"),
    }
}

/// A stand-alone policy document file (its use, SCP or other, is not declared by the file).
pub fn policy_file(text: &str, root: &Node, display: &str, model: &mut Model) {
    let loc = Loc::new(root.span, "");
    model.anchors.note(AnchorKind::Organizations, &loc);
    let content = PolicyDoc::from_node(root, &loc, Some(text.len()));
    let short = display.rsplit('/').next().unwrap_or(display);
    model.policies.push(OrgPolicy {
        origin: Origin {
            format: Format::PolicyJson,
            name: short.to_owned(),
            loc: Loc::new(root.span.start_point(), ""),
            via: Vec::new(),
            gates: Vec::new(),
        },
        name: Prop::absent(),
        policy_type: Prop::absent(),
        content,
        targets: Targets::List(Vec::new()),
    });
}
