//! Terraform resources → model declarations (aws-facts §9): the resource blocks of a module
//! instance (their instances, the policy attachments among them, what a limit leaves unread),
//! and per resource type the guardrail its presence anchors and the reader of its declarations.
//!
//! Every resource type rootguard models is named in this file.

mod attachments;
mod attrs;
mod packs;
mod securityhub;

use hcl_edit::structure::Block;

use super::expand::expand;
use super::instance::Instance;
use super::module_call;
use super::parse::{block_span, label};
use crate::model::{
    AnchorKind, ConfigRule, CtControl, Format, Gate, Loc, MetricAlarm, MetricFilter, Model, OpaqueTemplate, OrgFeatures, OrgPolicy, Origin,
    PVal, PolicyDoc, Prop, Recorder, Scope, Targets,
};
use crate::parse::tree::{Node, Value};
use crate::source::FileId;
use attachments::Attachments;
pub(crate) use attachments::unlinked;
pub(crate) use attrs::{Attrs, Hcl, Scoped};

/// The origin of a declaration of block `b` (at `address`), with its module instance's calls
/// and the gates that decide whether it is created.
pub(super) fn origin(inst: &Instance<'_, '_>, file: FileId, b: &Block, address: &str, gates: &[Gate]) -> Origin {
    Origin {
        format: Format::Terraform,
        name: address.to_owned(),
        loc: Loc::new(block_span(file, b), address.to_owned()),
        via: inst.via.clone(),
        gates: gates.to_vec(),
    }
}

/// What the instances of block `b` past the `instances` limit (`why`) may declare: anything
/// of `resource_type` (`*`: anything at all).
pub(super) fn cut(o: Origin, why: &str, resource_type: &str) -> OpaqueTemplate {
    OpaqueTemplate {
        origin: o,
        kind: "cut",
        reference: why.to_owned(),
        known_clean: false,
        resource_type: resource_type.to_owned(),
    }
}

/// Walk one module instance: its module calls (recursively) and its resources.
pub(crate) fn walk(inst: &Instance<'_, '_>, model: &mut Model) {
    let mut attachments = Attachments::default();
    for f in inst.files() {
        for b in f.body.blocks() {
            match b.ident.value().as_str() {
                "module" => module_call::walk(inst, f.id, b, model),
                "resource" => resource_block(inst, f.id, b, &mut attachments, model),
                _ => {}
            }
        }
    }
    // link attachments to the policies of this module instance (an attachment whose policy is
    // not a resource of the same instance makes every unattached policy unknown; see `unlinked`)
    attachments.link(model);
}

/// The instances of a `resource` block: their declarations, or what they attach.
fn resource_block(inst: &Instance<'_, '_>, file: FileId, b: &Block, attachments: &mut Attachments, model: &mut Model) {
    let (Some(ty), Some(name)) = (label(b, 0), label(b, 1)) else {
        return;
    };
    let base = inst.address(&format!("{ty}.{name}"));
    let over = inst.world.overrides.get(&inst.dir);
    // `count` / `for_each` as merged: from the last override that sets one
    let (xf, xb) = over.and_then(|o| o.expansion(ty, name)).unwrap_or((file, b));
    let ex = expand(inst, xf, xb, &base);
    let gates = ex.gates(inst);
    if let Some(why) = &ex.cut {
        // the instances not read may declare (or disable) what this type does
        let o = origin(inst, file, b, &base, &gates);
        if ty == "aws_organizations_policy_attachment" {
            *inst.world.unlinked_attachment.borrow_mut() = Some((why.clone(), o.loc.clone()));
        }
        model.opaque_templates.push(cut(o, why, ty));
    }
    for (suffix, iter) in &ex.instances {
        let address = format!("{base}{suffix}");
        let s = Scoped {
            file,
            body: &b.body,
            iter: iter.clone(),
            path: address.clone(),
            over: over.map(|o| o.resource(ty, name)).unwrap_or_default(),
        };
        let o = origin(inst, file, b, &address, &gates);
        if ty == "aws_organizations_policy_attachment" {
            attachments.attachment(inst, &s, &o, &address);
            continue;
        }
        if ty == "aws_organizations_policy" {
            attachments.policy(format!("{name}{suffix}"), model.policies.len());
        }
        resource(ty, &Hcl { inst, s }, &o, model);
    }
}

/// The guardrail whose absence a resource of type `ty` is shown at: the service it belongs to.
fn anchor_kind(ty: &str) -> Option<AnchorKind> {
    match ty {
        "aws_config_config_rule"
        | "aws_config_organization_managed_rule"
        | "aws_config_organization_custom_rule"
        | "aws_config_organization_custom_policy_rule"
        | "aws_config_conformance_pack"
        | "aws_config_organization_conformance_pack"
        | "aws_config_configuration_recorder"
        | "aws_config_configuration_recorder_status" => Some(AnchorKind::Config),
        "aws_organizations_policy"
        | "aws_organizations_organization"
        | "aws_organizations_organizational_unit"
        | "aws_organizations_account"
        | "aws_controltower_control"
        | "aws_iam_organizations_features" => Some(AnchorKind::Organizations),
        "aws_securityhub_account"
        | "aws_securityhub_organization_configuration"
        | "aws_securityhub_standards_subscription"
        | "aws_securityhub_standards_control"
        | "aws_securityhub_standards_control_association"
        | "aws_securityhub_configuration_policy" => Some(AnchorKind::SecurityHub),
        // the trail is where a root-usage filter belongs; any log group is too loose an anchor
        "aws_cloudwatch_log_metric_filter" | "aws_cloudtrail" => Some(AnchorKind::Logging),
        _ => None,
    }
}

/// The declarations of one resource of type `ty` (a block of a module instance, or a resource
/// of a plan), after the anchor its presence gives.
pub(crate) fn resource(ty: &str, s: &dyn Attrs, o: &Origin, model: &mut Model) {
    if let Some(kind) = anchor_kind(ty) {
        model.anchors.note(kind, &o.loc);
    }
    match ty {
        "aws_config_config_rule" => model.config_rules.push(config_rule(s, o)),
        "aws_config_organization_managed_rule" => model.config_rules.push(organization_managed_rule(s, o)),
        "aws_config_conformance_pack" | "aws_config_organization_conformance_pack" => {
            packs::conformance_pack(s, o, ty.contains("organization"), model);
        }
        "aws_organizations_policy" => model.policies.push(organizations_policy(s, o)),
        "aws_securityhub_account" => securityhub::account(s, o, model),
        "aws_securityhub_standards_subscription" => model.securityhub_standards.push(securityhub::subscription(s, o)),
        "aws_securityhub_standards_control" => model.securityhub_controls.push(securityhub::standards_control(s, o)),
        "aws_securityhub_standards_control_association" => {
            model.securityhub_controls.push(securityhub::control_association(s, o));
        }
        "aws_securityhub_configuration_policy" => securityhub::configuration_policy(s, o, model),
        "aws_cloudwatch_log_metric_filter" => model.metric_filters.push(metric_filter(s, o)),
        "aws_cloudwatch_metric_alarm" => model.metric_alarms.push(metric_alarm(s, o)),
        "aws_controltower_control" => model.controltower_controls.push(CtControl {
            origin: o.clone(),
            identifier: s.prop("control_identifier"),
            target: s.prop("target_identifier"),
            parameters: Prop::absent(),
        }),
        "aws_iam_organizations_features" => model.organizations_features.push(OrgFeatures {
            origin: o.clone(),
            features: s.prop("enabled_features"),
        }),
        "aws_config_configuration_recorder" => model.configuration_recorders.push(Recorder {
            origin: o.clone(),
            enabled: Prop::absent(),
        }),
        "aws_config_configuration_recorder_status" => model.configuration_recorders.push(Recorder {
            origin: o.clone(),
            enabled: s.prop("is_enabled"),
        }),
        // the others only anchor their guardrail
        _ => {}
    }
}

fn known(v: &str, loc: &Loc) -> Prop {
    Prop {
        val: PVal::Known(v.into()),
        loc: Some(loc.clone()),
    }
}

/// The first nested block `name` of a resource.
fn first<'s>(s: &'s dyn Attrs, name: &str) -> Option<Box<dyn Attrs + 's>> {
    s.blocks(name).into_iter().next()
}

/// `aws_config_config_rule`: a rule of this account.
fn config_rule(s: &dyn Attrs, o: &Origin) -> ConfigRule {
    let src = first(s, "source");
    let sp = |n: &str| src.as_ref().map_or_else(Prop::absent, |b| b.prop(n));
    ConfigRule {
        origin: o.clone(),
        scope: Scope::Account,
        name: s.prop("name"),
        owner: sp("owner"),
        identifier: sp("source_identifier"),
        frequency: s.prop("maximum_execution_frequency"),
        input_parameters: s.prop("input_parameters"),
        excluded_accounts: Prop::absent(),
        pack: None,
    }
}

/// `aws_config_organization_managed_rule`: an AWS managed rule of every account.
fn organization_managed_rule(s: &dyn Attrs, o: &Origin) -> ConfigRule {
    ConfigRule {
        origin: o.clone(),
        scope: Scope::Organization,
        name: s.prop("name"),
        owner: known("AWS", &o.loc),
        identifier: s.prop("rule_identifier"),
        frequency: s.prop("maximum_execution_frequency"),
        input_parameters: s.prop("input_parameters"),
        excluded_accounts: s.prop("excluded_accounts"),
        pack: None,
    }
}

/// `aws_organizations_policy`: a policy and its document; its targets are its attachments'
/// (linked when the module instance is walked).
fn organizations_policy(s: &dyn Attrs, o: &Origin) -> OrgPolicy {
    let content = match s.node("content") {
        None => PolicyDoc::unknown(o.loc.clone(), "the policy has no `content`"),
        Some(n) => {
            let loc = s.prop("content").loc.unwrap_or_else(|| o.loc.clone());
            policy_content(s, &n, &loc)
        }
    };
    let ty_p = s.prop("type");
    OrgPolicy {
        origin: o.clone(),
        name: s.prop("name"),
        policy_type: ty_p,
        content,
        targets: Targets::List(Vec::new()),
    }
}

/// The policy document behind a `content` value: the structure of a `jsonencode` or a policy
/// document data source when known, else the JSON text parsed.
fn policy_content(s: &dyn Attrs, n: &Node, loc: &Loc) -> PolicyDoc {
    match &n.value {
        Value::String(t) => {
            if let Some(doc) = s.structured(n) {
                return PolicyDoc::from_node(&doc, loc, Some(t.len()));
            }
            let mut p = crate::parse::json::parse(n.span.file, t, 0);
            let whole = loc.span;
            if let Some(r) = p.root.as_mut() {
                r.remap_spans(&|_| whole);
            }
            match p.root {
                Some(root) => PolicyDoc::from_node(&root, loc, Some(t.len())),
                None => PolicyDoc::unknown(
                    loc.clone(),
                    format!(
                        "the policy content is not valid JSON: {}",
                        p.diagnostics.first().map_or("", |d| d.message.as_str())
                    ),
                ),
            }
        }
        Value::Unknown(r) => PolicyDoc::unknown(loc.clone(), r.clone()),
        _ => PolicyDoc::unknown(loc.clone(), format!("the policy content is a {}, not a JSON string", n.kind_name())),
    }
}

/// `aws_cloudwatch_log_metric_filter`: a filter and the metric it counts into.
fn metric_filter(s: &dyn Attrs, o: &Origin) -> MetricFilter {
    let mt = first(s, "metric_transformation");
    let mp = |n: &str| mt.as_ref().map_or_else(Prop::absent, |b| b.prop(n));
    MetricFilter {
        origin: o.clone(),
        pattern: s.prop("pattern"),
        metric_name: mp("name"),
        namespace: mp("namespace"),
        log_group: s.prop("log_group_name"),
    }
}

/// `aws_cloudwatch_metric_alarm`: an alarm on a metric, which may be named through a metric
/// filter resource of the same module.
fn metric_alarm(s: &dyn Attrs, o: &Origin) -> MetricAlarm {
    let mut metric = s.prop("metric_name");
    // `metric_name = aws_cloudwatch_log_metric_filter.x.id` (or `.name`): the filter's name
    if let Some(v) = s.filter_metric("metric_name") {
        metric = Prop {
            val: PVal::Known(v.into()),
            loc: metric.loc,
        };
    }
    MetricAlarm {
        origin: o.clone(),
        metric_name: metric,
        namespace: s.prop("namespace"),
        actions: {
            let pr = s.prop("alarm_actions");
            Prop::list_from_node(s.node("alarm_actions").as_ref(), pr.loc)
        },
        actions_enabled: s.prop("actions_enabled"),
    }
}
