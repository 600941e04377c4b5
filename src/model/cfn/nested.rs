//! Templates inside templates (a conformance pack's or a `StackSet`'s body): the parameters the
//! outer resource passes in, the context the inner template is read in, and the nesting limit.

use std::collections::BTreeMap;

use super::res::Res;
use super::{Ctx, template};
use crate::model::{FileDiagnostic, Format, Loc, Model, OpaqueTemplate, Origin, Via};
use crate::parse::Diagnostic;
use crate::parse::tree::Node;

/// Nested templates deeper than this are not followed.
pub(super) const MAX_NESTING: usize = 8;

/// What a resource gives the template it embeds.
pub(super) struct Embed {
    pub(super) format: Format,
    /// The kind of step it is reached through (`conformance-pack`, `stackset`).
    pub(super) via: &'static str,
    /// Parameter values passed in (see [`key_values`]).
    pub(super) overrides: BTreeMap<String, (Node, Loc)>,
    /// The conformance pack its Config rules belong to.
    pub(super) pack: Option<usize>,
    /// Logical path of the embedded template's root.
    pub(super) prefix: String,
}

/// Read `root`, the template resource `r` (read in `ctx`) embeds: reached through `r`, under its
/// gates, one level deeper. Past [`MAX_NESTING`] it is not read ([`too_deep`]).
pub(super) fn descend(text: &str, root: &Node, r: &Res<'_>, ctx: &Ctx, embed: Embed, model: &mut Model) {
    if ctx.depth >= MAX_NESTING {
        too_deep(&r.origin, model);
        return;
    }
    let mut via = ctx.via.clone();
    via.push(Via {
        kind: embed.via,
        name: r.id.to_owned(),
        loc: r.origin.loc.clone(),
    });
    let sub = Ctx {
        format: embed.format,
        via,
        gates: r.origin.gates.clone(),
        overrides: embed.overrides,
        pack: embed.pack,
        depth: ctx.depth + 1,
        prefix: embed.prefix,
    };
    template(text, root, &sub, model);
}

/// `[{ParameterName: a, ParameterValue: b}]` → overrides.
pub(super) fn key_values(n: Option<&Node>, k: &str, v: &str, path: &str) -> BTreeMap<String, (Node, Loc)> {
    let mut out = BTreeMap::new();
    for item in n.and_then(Node::as_seq).unwrap_or_default() {
        if let (Some(name), Some(val)) = (item.get(k).and_then(Node::as_scalar_str), item.get(v)) {
            out.insert(
                name.into_owned(),
                (val.clone(), Loc::new(val.span, format!("{path}/Properties/{v}"))),
            );
        }
    }
    out
}

/// A template embedded more than [`MAX_NESTING`] levels deep (`StackSet`s and conformance packs
/// inside templates) is not read: a diagnostic, and a `cut` that makes what it may declare
/// unknown.
fn too_deep(origin: &Origin, model: &mut Model) {
    let message =
        format!("templates embedded more than {MAX_NESTING} levels deep (StackSets and conformance packs inside templates) are not read");
    model.diagnostics.push(FileDiagnostic {
        diag: Diagnostic::warning(origin.loc.span, "nesting", format!("{message}; what this one declares is unknown")),
        relevant: true,
    });
    model.opaque_templates.push(OpaqueTemplate {
        origin: origin.clone(),
        kind: "cut",
        reference: message,
        known_clean: false,
        resource_type: "*".into(),
    });
}
