//! `CloudFormation` templates, conformance-pack templates (stand-alone or embedded) and
//! stand-alone policy documents → model declarations.
//!
//! [`template`] walks a template's `Resources`: each resource (`res`) goes to the reader of its
//! type, one file each below `cfn/`: Config rules and recorders (`config`), conformance packs
//! (`pack`), stacks and `StackSet`s (`stack`), Organizations policies (`orgs`, `targets`),
//! Security Hub (`securityhub`), metric filters and alarms (`logging`), Control Tower
//! (`controltower`). Templates and policies held in properties are read by `document`; templates
//! inside templates are followed by `nested`.

mod config;
mod controltower;
mod document;
mod logging;
mod nested;
mod orgs;
mod pack;
mod res;
mod securityhub;
mod stack;
mod targets;

use std::collections::BTreeMap;

use super::eval::Cfn;
use super::{AnchorKind, FileDiagnostic, Format, Gate, Loc, Model, Scope, Via};
use crate::parse::Diagnostic;
use crate::parse::tree::Node;
use res::Res;

pub use orgs::policy_file;
pub use pack::pack_file;
pub use securityhub::DEFAULT_STANDARDS;
pub use targets::classify_target;

/// Where a template sits and what surrounds it.
#[derive(Clone)]
pub struct Ctx {
    pub format: Format,
    pub via: Vec<Via>,
    pub gates: Vec<Gate>,
    pub overrides: BTreeMap<String, (Node, Loc)>,
    pub pack: Option<usize>,
    pub depth: usize,
    /// Logical path of the template root (empty for a file).
    pub prefix: String,
}

impl Ctx {
    #[must_use]
    pub fn file(format: Format) -> Self {
        Ctx {
            format,
            via: Vec::new(),
            gates: Vec::new(),
            overrides: BTreeMap::new(),
            pack: None,
            depth: 0,
            prefix: String::new(),
        }
    }
}

/// Read every guardrail-relevant resource of a CloudFormation-shaped template.
pub fn template(text: &str, root: &Node, ctx: &Ctx, model: &mut Model) {
    let cfn = Cfn::new(root, &ctx.overrides);
    let Some(resources) = root.get("Resources").and_then(Node::as_map) else {
        return;
    };
    for e in resources {
        let ty = e.value.get("Type").and_then(Node::as_str).unwrap_or("");
        let res = Res::read(e, &cfn, ctx);
        resource(text, ty, &res, &cfn, ctx, model);
    }
}

/// One resource, by its type; a type that declares no guardrail is passed over.
fn resource(text: &str, ty: &str, r: &Res<'_>, cfn: &Cfn<'_>, ctx: &Ctx, model: &mut Model) {
    match ty {
        "AWS::Config::ConfigRule" => config::rule(r, ctx, model),
        "AWS::Config::OrganizationConfigRule" => config::organization_rule(r, ctx, model),
        "AWS::Config::ConfigurationRecorder" => config::recorder(r, model),
        "AWS::Config::ConformancePack" => pack::resource(text, r, cfn, ctx, Scope::Account, model),
        "AWS::Config::OrganizationConformancePack" => pack::resource(text, r, cfn, ctx, Scope::Organization, model),
        "AWS::CloudFormation::StackSet" => stack::stackset(text, r, cfn, ctx, model),
        "AWS::CloudFormation::Stack" => stack::stack(r, model),
        "AWS::Organizations::Policy" => orgs::policy(text, r, cfn, model),
        "AWS::Organizations::Organization" | "AWS::Organizations::OrganizationalUnit" | "AWS::Organizations::Account" => {
            r.anchor(model, AnchorKind::Organizations);
        }
        "AWS::SecurityHub::Standard" => securityhub::standard(r, model),
        "AWS::SecurityHub::Hub" => securityhub::hub(r, model),
        "AWS::SecurityHub::ConfigurationPolicy" => securityhub::configuration_policy(r, model),
        "AWS::Logs::MetricFilter" => logging::metric_filter(r, model),
        "AWS::CloudWatch::Alarm" => logging::alarm(r, model),
        // the trail is where a root-usage filter belongs; any log group is too loose an anchor
        "AWS::CloudTrail::Trail" => r.anchor(model, AnchorKind::Logging),
        "AWS::ControlTower::EnabledControl" => controltower::enabled_control(r, model),
        _ => {}
    }
}

/// Convert a parse diagnostic list into model diagnostics.
pub fn diagnostics(diags: Vec<Diagnostic>, relevant: bool, model: &mut Model) {
    model
        .diagnostics
        .extend(diags.into_iter().map(|diag| FileDiagnostic { diag, relevant }));
}

#[cfg(test)]
mod tests;
