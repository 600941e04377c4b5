//! Conformance packs (`aws_config_conformance_pack`, `aws_config_organization_conformance_pack`):
//! the pack, and the rules of a template given inline or read with `file()`, evaluated with the
//! pack's input parameters.

use super::attrs::Attrs;
use crate::model::{ConformancePack, FileDiagnostic, Format, Loc, Model, Origin, PackBody, Prop, Scope, Via};
use crate::parse::tree::{Node, Value};

/// A conformance pack (of the organization when `org`), and the rules of its template.
pub(super) fn conformance_pack(s: &dyn Attrs, o: &Origin, org: bool, model: &mut Model) {
    let idx = model.conformance_packs.len();
    let s3 = s.prop("template_s3_uri");
    let body_p = s.prop("template_body");
    let mut inner = None;
    let mut body_ignored = None;
    let body = if !s3.is_absent() {
        if !body_p.is_absent() {
            body_ignored.clone_from(&body_p.loc);
        }
        PackBody::Opaque {
            reference: s3.known_text().unwrap_or_else(|| "an S3 URI known at apply time".into()),
            loc: s3.loc.clone().unwrap_or_else(|| o.loc.clone()),
        }
    } else if let Some(n) = s.node("template_body") {
        let loc = body_p.loc.clone().unwrap_or_else(|| o.loc.clone());
        let (body, root) = inline_body(s, &n, loc, model);
        inner = root;
        body
    } else {
        PackBody::Unknown {
            reason: "the pack declares no template".into(),
            loc: o.loc.clone(),
        }
    };
    model.conformance_packs.push(ConformancePack {
        origin: o.clone(),
        scope: if org { Scope::Organization } else { Scope::Account },
        name: s.prop("name"),
        body,
        excluded_accounts: if org { s.prop("excluded_accounts") } else { Prop::absent() },
        body_ignored,
    });
    if let Some(root) = inner {
        template_rules(s, o, idx, &root, model);
    }
}

/// The body of a pack whose `template_body` is `n` (located at `loc`): inline, with the parsed
/// template, when it is known YAML (its diagnostics join the model), else unknown.
fn inline_body(s: &dyn Attrs, n: &Node, loc: Loc, model: &mut Model) -> (PackBody, Option<Node>) {
    match &n.value {
        Value::String(t) if !t.contains("${") => {
            // a pack read with `file()` from a scanned file keeps that file's positions
            let (mut parsed, exact) = match s.file_read_at(n) {
                Some(f) => (crate::parse::yaml::parse(f, s.text(f), 0), true),
                None => (crate::parse::yaml::parse(n.span.file, t, 0), false),
            };
            let whole = loc.span;
            if !exact && let Some(r) = parsed.root.as_mut() {
                r.remap_spans(&|_| whole);
            }
            let ok = parsed.root.is_some();
            model.diagnostics.extend(parsed.diagnostics.into_iter().map(|mut d| {
                if !exact {
                    d.span = whole;
                }
                FileDiagnostic { diag: d, relevant: true }
            }));
            if ok {
                (PackBody::Inline { loc }, parsed.root)
            } else {
                let reason = "the template body is not valid YAML".into();
                (PackBody::Unknown { reason, loc }, None)
            }
        }
        Value::Unknown(u) => (
            PackBody::Unknown {
                reason: u.reason.clone(),
                loc,
            },
            None,
        ),
        _ => {
            let reason = "the template body is not known statically".into();
            (PackBody::Unknown { reason, loc }, None)
        }
    }
}

/// The rules of the template `root` of the pack at `idx` of the model's packs, with the
/// pack's `input_parameter`s as parameter values.
fn template_rules(s: &dyn Attrs, o: &Origin, idx: usize, root: &Node, model: &mut Model) {
    let mut overrides = std::collections::BTreeMap::new();
    for ip in s.blocks("input_parameter") {
        if let (Some(k), Some(v)) = (
            ip.node("parameter_name").and_then(|n| crate::tf::eval::to_text(&n)),
            ip.node("parameter_value"),
        ) {
            let l = Loc::new(v.span, format!("{}/parameter_value", ip.path()));
            overrides.insert(k, (v, l));
        }
    }
    let mut via = o.via.clone();
    via.push(Via {
        kind: "conformance-pack",
        name: o.name.clone(),
        loc: o.loc.clone(),
    });
    let ctx = crate::model::cfn::Ctx {
        format: Format::ConformancePack,
        via,
        gates: o.gates.clone(),
        overrides,
        pack: Some(idx),
        depth: 1,
        prefix: format!("{}/template_body", o.name),
    };
    // the text the template's spans point into (the pack file, or this file)
    let text = s.text(root.span.file);
    crate::model::cfn::template(text, root, &ctx, model);
}
