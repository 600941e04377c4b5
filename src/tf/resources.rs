//! Terraform resources → model declarations (aws-facts §9): the resource blocks of a module
//! instance (their instances, the policy attachments among them, what a limit leaves unread),
//! and per resource type the guardrail its presence anchors and the reader of its declarations.
//!
//! Every resource type rootguard models is named in this file (and in `values`, the attributes
//! of them that references read).

mod attachments;
mod attrs;
mod packs;
mod securityhub;
mod values;

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
pub(crate) use values::{data_value, resource_value};

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
            gate: None,
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
                return PolicyDoc::from_node(&doc, loc, Some(t.len())).with_switched(s.switched(n));
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
        Value::Unknown(u) => PolicyDoc::unknown(loc.clone(), u.reason.clone()),
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
/// filter resource of the same module (`aws_cloudwatch_log_metric_filter.x.id` is the filter's
/// name, `.metric_transformation[0].name` and `.namespace` its metric's: the evaluator reads
/// them from the filter's configuration).
fn metric_alarm(s: &dyn Attrs, o: &Origin) -> MetricAlarm {
    MetricAlarm {
        origin: o.clone(),
        metric_name: s.prop("metric_name"),
        namespace: s.prop("namespace"),
        actions: {
            let pr = s.prop("alarm_actions");
            Prop::list_from_node(s.node("alarm_actions").as_ref(), pr.loc)
        },
        actions_enabled: s.prop("actions_enabled"),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, Targets};
    use crate::tf::testing::{Row, check, value};

    /// The first config rule's gate (`count` / `for_each`) and the value that decides it.
    fn rule_gate(m: &Model) -> Option<(String, crate::source::Span)> {
        let g = m.config_rules.first()?.origin.gates.first()?;
        Some((
            format!("{:?}: {}", g.value, g.reason),
            g.decided_by.as_ref().map_or(g.loc.span, |d| d.span),
        ))
    }

    #[test]
    fn each_resource_kind_is_read_with_its_span() {
        let rows: &[Row<'_>] = &[
            (
                "a config rule's identifier, in its `source` block",
                &[(
                    "main.tf",
                    "resource \"aws_config_config_rule\" \"mfa\" {\n  name = \"root-mfa\"\n  source {\n    owner             = \"AWS\"\n    source_identifier = \"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"\n  }\n}\n",
                )],
                |m| {
                    let p = &m.config_rules.first()?.identifier;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"",
                "main.tf:5:25-5:60 `\"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED\"`",
            ),
            (
                "an organization managed rule is owned by AWS, at its block",
                &[(
                    "main.tf",
                    "resource \"aws_config_organization_managed_rule\" \"mfa\" {\n  name            = \"root-mfa\"\n  rule_identifier = \"ROOT_ACCOUNT_MFA_ENABLED\"\n}\n",
                )],
                |m| {
                    let p = &m.config_rules.first()?.owner;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"AWS\"",
                "main.tf:1:1-1:54 `resource \"aws_config_organization_managed_rule\" \"mfa\"`",
            ),
            (
                "an attachment to the organization root is the policy's target",
                &[(
                    "main.tf",
                    "resource \"aws_organizations_policy\" \"scp\" {\n  name    = \"deny-root\"\n  content = \"{}\"\n}\nresource \"aws_organizations_policy_attachment\" \"root\" {\n  policy_id = aws_organizations_policy.scp.id\n  target_id = aws_organizations_organization.org.roots[0].id\n}\nresource \"aws_organizations_organization\" \"org\" {}\n",
                )],
                |m| match &m.policies.first()?.targets {
                    Targets::List(t) => t.first().map(|t| (format!("{:?} {}", t.kind, t.text), t.loc.span)),
                    Targets::Unknown { .. } => None,
                },
                "Root aws_organizations_organization.org.roots[0].id",
                "main.tf:7:15-7:61 `aws_organizations_organization.org.roots[0].id`",
            ),
            (
                "an attachment through a module output leaves the targets unknown",
                &[
                    (
                        "main.tf",
                        "resource \"aws_organizations_policy\" \"scp\" {\n  name    = \"deny-root\"\n  content = \"{}\"\n}\nmodule \"attach\" {\n  source = \"./attach\"\n}\n",
                    ),
                    (
                        "attach/main.tf",
                        "variable \"policy\" {\n  default = \"p-1\"\n}\nresource \"aws_organizations_policy_attachment\" \"a\" {\n  policy_id = var.policy\n  target_id = \"r-abcd\"\n}\n",
                    ),
                ],
                |m| match &m.policies.first()?.targets {
                    Targets::Unknown { reason, loc } => Some((reason.clone(), loc.span)),
                    Targets::List(_) => None,
                },
                "`module.attach.aws_organizations_policy_attachment.a` attaches a policy that is not a resource of its own module",
                "attach/main.tf:4:1-4:51 `resource \"aws_organizations_policy_attachment\" \"a\"`",
            ),
            (
                "an SCP rendered by a policy document data source keeps the effect's span",
                &[(
                    "main.tf",
                    "data \"aws_iam_policy_document\" \"deny\" {\n  statement {\n    effect    = \"Deny\"\n    actions   = [\"*\"]\n    resources = [\"*\"]\n  }\n}\nresource \"aws_organizations_policy\" \"scp\" {\n  name    = \"deny-root\"\n  content = data.aws_iam_policy_document.deny.json\n}\n",
                )],
                |m| {
                    let p = &m.policies.first()?.content.statements.first()?.effect;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"Deny\"",
                "main.tf:3:17-3:23 `\"Deny\"`",
            ),
            (
                "a Security Hub account enables the default standards, shown at its block",
                &[("main.tf", "resource \"aws_securityhub_account\" \"this\" {}\n")],
                |m| {
                    let s = m.securityhub_standards.first()?;
                    Some((format!("{} implied={}", value(&s.arn), s.implied), s.arn.loc.as_ref()?.span))
                },
                "\"arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0\" implied=true",
                "main.tf:1:1-1:42 `resource \"aws_securityhub_account\" \"this\"`",
            ),
            (
                "a control disabled by its status",
                &[(
                    "main.tf",
                    "resource \"aws_securityhub_standards_control\" \"iam6\" {\n  standards_control_arn = \"arn:aws:securityhub:eu-west-1:111122223333:control/cis-aws-foundations-benchmark/v/1.2.0/1.14\"\n  control_status        = \"DISABLED\"\n}\n",
                )],
                |m| {
                    let c = m.securityhub_controls.first()?;
                    Some((c.status.to_owned(), c.control.loc.as_ref()?.span))
                },
                "disabled",
                "main.tf:2:27-2:122 `\"arn:aws:securityhub:eu-west-1:111122223333:control/cis-aws-foundations-benchmark/v/1.2.0/1.14\"`",
            ),
            (
                "an alarm named through its metric filter takes the filter's metric",
                &[(
                    "main.tf",
                    "resource \"aws_cloudwatch_log_metric_filter\" \"root\" {\n  name           = \"root-usage\"\n  pattern        = \"{ $.userIdentity.type = \\\"Root\\\" }\"\n  log_group_name = \"trail\"\n  metric_transformation {\n    name      = \"RootUsage\"\n    namespace = \"CIS\"\n    value     = \"1\"\n  }\n}\nresource \"aws_cloudwatch_metric_alarm\" \"root\" {\n  alarm_name  = \"root-usage\"\n  metric_name = aws_cloudwatch_log_metric_filter.root.metric_transformation[0].name\n  namespace   = \"CIS\"\n}\n",
                )],
                |m| {
                    let p = &m.metric_alarms.first()?.metric_name;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"RootUsage\"",
                "main.tf:13:17-13:84 `aws_cloudwatch_log_metric_filter.root.metric_transformation[0].name`",
            ),
            (
                "a conformance pack's inline template declares its rules through the pack",
                &[(
                    "main.tf",
                    "resource \"aws_config_conformance_pack\" \"mfa\" {\n  name          = \"mfa\"\n  template_body = <<-EOT\n    Resources:\n      Mfa:\n        Type: AWS::Config::ConfigRule\n        Properties:\n          Source:\n            Owner: AWS\n            SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n  EOT\n}\n",
                )],
                |m| {
                    let r = m.config_rules.first()?;
                    Some((
                        format!("{} via {}", value(&r.identifier), r.origin.via.first()?.kind),
                        r.identifier.loc.as_ref()?.span,
                    ))
                },
                "\"ROOT_ACCOUNT_MFA_ENABLED\" via conformance-pack",
                "main.tf:3:19-11:6 `<<-EOT\n    Resources:\n      Mfa:\n        Type: AWS::Config::ConfigRule\n        Properties:\n          Source:\n            Owner: AWS\n            SourceIdentifier: ROOT_ACCOUNT_MFA_ENABLED\n  EOT`",
            ),
        ];
        check(rows);
    }

    #[test]
    fn count_and_for_each_decide_what_is_created() {
        let rows: &[Row<'_>] = &[
            (
                "count = 0 switches the rule off; the variable's value decides",
                &[(
                    "main.tf",
                    "variable \"on\" {\n  default = false\n}\nresource \"aws_config_config_rule\" \"mfa\" {\n  count = var.on ? 1 : 0\n  name  = \"root-mfa\"\n}\n",
                )],
                rule_gate,
                "False: count is 0: `var.on` is `false`",
                "main.tf:2:13-2:18 `false`",
            ),
            (
                "count = 1 creates it: no gate is kept",
                &[(
                    "main.tf",
                    "variable \"on\" {\n  default = true\n}\nresource \"aws_config_config_rule\" \"mfa\" {\n  count = var.on ? 1 : 0\n  name  = \"root-mfa\"\n}\n",
                )],
                |m| {
                    let r = m.config_rules.first()?;
                    Some((format!("{} gates={}", r.origin.name, r.origin.gates.len()), r.origin.loc.span))
                },
                "aws_config_config_rule.mfa[0] gates=0",
                "main.tf:4:1-4:40 `resource \"aws_config_config_rule\" \"mfa\"`",
            ),
            (
                // Terraform's "Invalid count argument": a count only apply decides
                "a count that only apply decides is refused, at the attribute",
                &[(
                    "main.tf",
                    "resource \"aws_config_config_rule\" \"mfa\" {\n  count = length(aws_s3_bucket.logs.arn) > 0 ? 1 : 0\n  name  = \"root-mfa\"\n}\nresource \"aws_s3_bucket\" \"logs\" {}\n",
                )],
                rule_gate,
                "Unknown: Terraform rejects this `count`: only apply decides its instances",
                "main.tf:2:3-2:53 `count = length(aws_s3_bucket.logs.arn) > 0 ? 1 : 0`",
            ),
            (
                "an empty for_each switches it off",
                &[(
                    "main.tf",
                    "variable \"names\" {\n  default = {}\n}\nresource \"aws_config_config_rule\" \"mfa\" {\n  for_each = var.names\n  name     = each.key\n}\n",
                )],
                rule_gate,
                "False: for_each is empty: `var.names` is `{}`",
                "main.tf:2:13-2:15 `{}`",
            ),
            (
                "for_each makes an instance per key, each reading `each`",
                &[(
                    "main.tf",
                    "resource \"aws_config_config_rule\" \"mfa\" {\n  for_each = { root = \"root-mfa\", hw = \"hardware-mfa\" }\n  name     = each.value\n}\n",
                )],
                |m| {
                    let r = m.config_rules.get(1)?;
                    Some((format!("{} = {}", r.origin.name, value(&r.name)), r.name.loc.as_ref()?.span))
                },
                "aws_config_config_rule.mfa[\"hw\"] = \"hardware-mfa\"",
                "main.tf:3:14-3:24 `each.value`",
            ),
            (
                "instances past the limit are a cut template",
                &[(
                    "main.tf",
                    "resource \"aws_config_config_rule\" \"mfa\" {\n  count = 300\n  name  = \"root-mfa\"\n}\n",
                )],
                |m| {
                    let t = m.opaque_templates.first()?;
                    Some((format!("{} {}: {}", t.kind, t.resource_type, t.reference), t.origin.loc.span))
                },
                "cut aws_config_config_rule: `aws_config_config_rule.mfa` has 300 instances; those past the first 256 are not read (raise --limit instances=N)",
                "main.tf:1:1-1:40 `resource \"aws_config_config_rule\" \"mfa\"`",
            ),
            (
                "a named rule of an instance keeps its own name",
                &[(
                    "main.tf",
                    "resource \"aws_config_config_rule\" \"mfa\" {\n  count = 2\n  name  = \"root-mfa-${count.index}\"\n}\n",
                )],
                |m| {
                    let p = &m.config_rules.get(1)?.name;
                    Some((value(p), p.loc.as_ref()?.span))
                },
                "\"root-mfa-1\"",
                "main.tf:3:11-3:36 `\"root-mfa-${count.index}\"`",
            ),
        ];
        check(rows);
        // an attachment switched off attaches nothing
        let (_, m) = crate::tf::testing::configuration(&[(
            "main.tf",
            "resource \"aws_organizations_policy\" \"scp\" {\n  content = \"{}\"\n}\nresource \"aws_organizations_policy_attachment\" \"root\" {\n  count     = 0\n  policy_id = aws_organizations_policy.scp.id\n  target_id = \"r-abcd\"\n}\n",
        )]);
        assert_eq!(m.policies.first().map(|p| &p.targets), Some(&Targets::List(Vec::new())));
    }
}
