//! `AWS::CloudFormation::Stack` and `StackSet`: a template by URL cannot be seen into; a
//! `StackSet`'s inline body is read as a template of its own.

use super::Ctx;
use super::document::read_template;
use super::nested::{Embed, descend, key_values};
use super::res::Res;
use crate::model::eval::Cfn;
use crate::model::{Format, Model, OpaqueTemplate};

/// A nested stack: opaque when its template is given by URL.
pub(super) fn stack(r: &Res<'_>, model: &mut Model) {
    by_url(r, "stack", model);
}

/// A `StackSet`: opaque by URL, else the template of its `TemplateBody`, read with the
/// `Parameters` it passes.
pub(super) fn stackset(text: &str, r: &Res<'_>, cfn: &Cfn<'_>, ctx: &Ctx, model: &mut Model) {
    if by_url(r, "stackset", model) {
        return;
    }
    let Some(b) = r.raw("TemplateBody") else {
        return;
    };
    let loc = r.loc_of(b, "TemplateBody");
    match read_template(text, b, cfn, &loc, model) {
        Ok(root) => {
            let embed = Embed {
                format: Format::CloudFormation,
                via: "stackset",
                overrides: key_values(r.node(&["Parameters"]), "ParameterKey", "ParameterValue", &r.path),
                pack: None,
                prefix: loc.path.clone(),
            };
            descend(text, &root, r, ctx, embed, model);
        }
        Err(reason) => model.opaque_templates.push(opaque(r, "stackset", reason)),
    }
}

/// A template given by `TemplateURL`, noted as opaque; false when there is none.
fn by_url(r: &Res<'_>, kind: &'static str, model: &mut Model) -> bool {
    let Some(u) = r.node(&["TemplateURL"]) else {
        return false;
    };
    let reference = u
        .as_scalar_str()
        .map_or_else(|| "a URL known at deployment".into(), std::borrow::Cow::into_owned);
    model.opaque_templates.push(opaque(r, kind, reference));
    true
}

fn opaque(r: &Res<'_>, kind: &'static str, reference: String) -> OpaqueTemplate {
    OpaqueTemplate {
        origin: r.origin.clone(),
        kind,
        known_clean: false,
        resource_type: String::new(),
        reference,
    }
}
