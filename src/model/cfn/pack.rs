//! Conformance packs: `AWS::Config::ConformancePack` and `OrganizationConformancePack`, with the
//! template each one holds (read as a template of its own), and stand-alone pack files.

use super::document::read_template;
use super::nested::{Embed, descend, key_values};
use super::res::Res;
use super::{Ctx, template};
use crate::model::eval::Cfn;
use crate::model::{AnchorKind, ConformancePack, Format, Loc, Model, Origin, PackBody, Prop, Scope};
use crate::parse::tree::Node;

/// Where a pack resource's template is.
struct Body {
    kind: PackBody,
    /// An inline body beside an S3 URI, which AWS ignores.
    ignored: Option<Loc>,
    /// The inline template, read, and its logical path.
    inner: Option<(Node, String)>,
}

/// A conformance pack resource: the pack, then the Config rules of its inline template.
pub(super) fn resource(text: &str, r: &Res<'_>, cfn: &Cfn<'_>, ctx: &Ctx, scope: Scope, model: &mut Model) {
    r.anchor(model, AnchorKind::Config);
    let org = scope == Scope::Organization;
    let name = r.prop(&[if org {
        "OrganizationConformancePackName"
    } else {
        "ConformancePackName"
    }]);
    let idx = model.conformance_packs.len();
    let Body {
        kind: body,
        ignored,
        inner,
    } = body(text, r, cfn, model);
    model.conformance_packs.push(ConformancePack {
        origin: r.origin.clone(),
        scope,
        name,
        body,
        excluded_accounts: if org { r.prop(&["ExcludedAccounts"]) } else { Prop::absent() },
        body_ignored: ignored,
    });
    if let Some((root, prefix)) = inner {
        let embed = Embed {
            format: Format::ConformancePack,
            via: "conformance-pack",
            overrides: key_values(
                r.node(&["ConformancePackInputParameters"]),
                "ParameterName",
                "ParameterValue",
                &r.path,
            ),
            pack: Some(idx),
            prefix,
        };
        descend(text, &root, r, ctx, embed, model);
    }
}

/// The pack's template: by reference (an S3 URI, which wins over an inline body, or an SSM
/// document), inline, or none.
fn body(text: &str, r: &Res<'_>, cfn: &Cfn<'_>, model: &mut Model) -> Body {
    let raw_body = r.raw("TemplateBody");
    if let Some(u) = r.node(&["TemplateS3Uri"]) {
        let reference = u
            .as_scalar_str()
            .map_or_else(|| "an S3 URI known at deployment".into(), std::borrow::Cow::into_owned);
        return Body {
            kind: PackBody::Opaque {
                reference,
                loc: r.loc_of(u, "TemplateS3Uri"),
            },
            ignored: raw_body.map(|b| r.loc_of(b, "TemplateBody")),
            inner: None,
        };
    }
    let (body, inner) = if let Some(d) = r.node(&["TemplateSSMDocumentDetails"]) {
        let reference = d
            .get("DocumentName")
            .and_then(Node::as_scalar_str)
            .map_or_else(|| "an SSM document".into(), |s| format!("SSM document `{s}`"));
        let loc = r.loc_of(d, "TemplateSSMDocumentDetails");
        (PackBody::Opaque { reference, loc }, None)
    } else if let Some(b) = raw_body {
        let loc = r.loc_of(b, "TemplateBody");
        match read_template(text, b, cfn, &loc, model) {
            Ok(root) => {
                let prefix = loc.path.clone();
                (PackBody::Inline { loc }, Some((root, prefix)))
            }
            Err(reason) => (PackBody::Unknown { reason, loc }, None),
        }
    } else {
        let reason = "the pack declares no template".into();
        let loc = r.origin.loc.clone();
        (PackBody::Unknown { reason, loc }, None)
    };
    Body {
        kind: body,
        ignored: None,
        inner,
    }
}

/// A stand-alone conformance-pack template file.
pub fn pack_file(text: &str, root: &Node, display: &str, model: &mut Model) {
    let loc = Loc::new(root.span.start_point(), "");
    model.anchors.note(AnchorKind::Config, &loc);
    let idx = model.conformance_packs.len();
    let short = display.rsplit('/').next().unwrap_or(display);
    let origin = Origin {
        format: Format::ConformancePack,
        name: short.to_owned(),
        loc,
        via: Vec::new(),
        gates: Vec::new(),
    };
    model.conformance_packs.push(ConformancePack {
        origin,
        scope: Scope::Account,
        name: Prop::absent(),
        body: PackBody::File,
        excluded_accounts: Prop::absent(),
        body_ignored: None,
    });
    let mut ctx = Ctx::file(Format::ConformancePack);
    ctx.pack = Some(idx);
    template(text, root, &ctx, model);
}
