//! `CloudFormation` templates, conformance-pack templates (stand-alone or embedded) and
//! stand-alone policy documents → model declarations.

use std::collections::BTreeMap;

use super::eval::Cfn;
use super::policy::PolicyDoc;
use super::{
    AnchorKind, ConfigRule, ConformancePack, CtControl, FileDiagnostic, Format, Gate, Loc, MetricAlarm, MetricFilter, Model,
    OpaqueTemplate, OrgPolicy, Origin, PVal, PackBody, Prop, Recorder, Scope, ShControl, ShStandard, Target, TargetKind, Targets, Via,
    join_path,
};
use crate::parse::embedded;
use crate::parse::tree::{Node, Value};
use crate::parse::{Diagnostic, Parsed};

/// Nested templates deeper than this are not followed.
const MAX_NESTING: usize = 8;

/// Security Hub standards enabled by `AWS::SecurityHub::Hub` unless `EnableDefaultStandards` is false.
pub const DEFAULT_STANDARDS: &[&str] = &[
    "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0",
    "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
];

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

struct Res<'a> {
    id: &'a str,
    props: Option<Node>,
    raw_props: Option<&'a Node>,
    origin: Origin,
    path: String,
}

impl Res<'_> {
    fn prop(&self, path: &[&str]) -> Prop {
        let Some(props) = &self.props else { return Prop::absent() };
        let n = props.at(path);
        let loc = props
            .span_at(path)
            .map(|sp| Loc::new(sp, format!("{}/Properties/{}", self.path, path.join("/"))));
        Prop::from_node(n, loc)
    }

    fn node(&self, path: &[&str]) -> Option<&Node> {
        self.props.as_ref().and_then(|p| p.at(path))
    }

    fn raw(&self, key: &str) -> Option<&Node> {
        self.raw_props.and_then(|p| p.get(key))
    }

    fn loc_of(&self, n: &Node, key: &str) -> Loc {
        Loc::new(n.span, format!("{}/Properties/{key}", self.path))
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
        let path = join_path(&ctx.prefix, &format!("Resources/{}", e.key));
        let loc = Loc::new(e.key_span, path.clone());
        let mut gates = ctx.gates.clone();
        if let Some(c) = e.value.entry("Condition") {
            let name = c.value.as_scalar_str().map(std::borrow::Cow::into_owned).unwrap_or_default();
            let r = cfn.condition(&name);
            gates.push(Gate {
                expr: format!("Condition: {name}"),
                value: r.value,
                loc: Loc::new(c.value.span, format!("{path}/Condition")),
                decided_by: r.decided_by,
                reason: r.reason,
            });
        }
        let raw_props = e.value.get("Properties");
        let res = Res {
            id: &e.key,
            props: raw_props.and_then(|p| cfn.eval(p)),
            raw_props,
            origin: Origin {
                format: ctx.format,
                name: e.key.clone(),
                loc,
                via: ctx.via.clone(),
                gates,
            },
            path,
        };
        resource(text, ty, &res, &cfn, ctx, model);
    }
}

#[allow(clippy::too_many_lines)] // one arm per resource type
fn resource(text: &str, ty: &str, r: &Res<'_>, cfn: &Cfn<'_>, ctx: &Ctx, model: &mut Model) {
    let origin = || r.origin.clone();
    let anchor = |model: &mut Model, k| model.anchors.note(k, &r.origin.loc);
    match ty {
        "AWS::Config::ConfigRule" => {
            anchor(model, AnchorKind::Config);
            model.config_rules.push(ConfigRule {
                origin: origin(),
                scope: Scope::Account,
                name: r.prop(&["ConfigRuleName"]),
                owner: r.prop(&["Source", "Owner"]),
                identifier: r.prop(&["Source", "SourceIdentifier"]),
                frequency: r.prop(&["MaximumExecutionFrequency"]),
                input_parameters: r.prop(&["InputParameters"]),
                excluded_accounts: Prop::absent(),
                pack: ctx.pack,
            });
        }
        "AWS::Config::OrganizationConfigRule" => {
            anchor(model, AnchorKind::Config);
            let (meta, owner) = if r.node(&["OrganizationManagedRuleMetadata"]).is_some() {
                ("OrganizationManagedRuleMetadata", "AWS")
            } else if r.node(&["OrganizationCustomRuleMetadata"]).is_some() {
                ("OrganizationCustomRuleMetadata", "CUSTOM_LAMBDA")
            } else if r.node(&["OrganizationCustomPolicyRuleMetadata"]).is_some() {
                ("OrganizationCustomPolicyRuleMetadata", "CUSTOM_POLICY")
            } else {
                ("OrganizationManagedRuleMetadata", "")
            };
            let meta_node = r.node(&[meta]);
            let owner = match meta_node {
                Some(n) if !owner.is_empty() => Prop {
                    val: PVal::Known(owner.into()),
                    loc: Some(r.loc_of(n, meta)),
                },
                _ => Prop::absent(),
            };
            let identifier = if meta == "OrganizationCustomRuleMetadata" {
                r.prop(&[meta, "LambdaFunctionArn"])
            } else {
                r.prop(&[meta, "RuleIdentifier"])
            };
            model.config_rules.push(ConfigRule {
                origin: origin(),
                scope: Scope::Organization,
                name: r.prop(&["OrganizationConfigRuleName"]),
                owner,
                identifier,
                frequency: r.prop(&[meta, "MaximumExecutionFrequency"]),
                input_parameters: r.prop(&[meta, "InputParameters"]),
                excluded_accounts: r.prop(&["ExcludedAccounts"]),
                pack: ctx.pack,
            });
        }
        "AWS::Config::ConformancePack" | "AWS::Config::OrganizationConformancePack" => {
            anchor(model, AnchorKind::Config);
            let org = ty.ends_with("OrganizationConformancePack");
            let name = r.prop(&[if org {
                "OrganizationConformancePackName"
            } else {
                "ConformancePackName"
            }]);
            let s3 = r.node(&["TemplateS3Uri"]);
            let ssm = r.node(&["TemplateSSMDocumentDetails"]);
            let raw_body = r.raw("TemplateBody");
            let mut body_ignored = None;
            let idx = model.conformance_packs.len();
            let mut inner: Option<(Node, String)> = None;
            let body = if let Some(u) = s3 {
                if let Some(b) = raw_body {
                    body_ignored = Some(r.loc_of(b, "TemplateBody"));
                }
                PackBody::Opaque {
                    reference: u
                        .as_scalar_str()
                        .map_or_else(|| "an S3 URI known at deployment".into(), std::borrow::Cow::into_owned),
                    loc: r.loc_of(u, "TemplateS3Uri"),
                }
            } else if let Some(d) = ssm {
                let doc = d
                    .get("DocumentName")
                    .and_then(Node::as_scalar_str)
                    .map_or_else(|| "an SSM document".into(), |s| format!("SSM document `{s}`"));
                PackBody::Opaque {
                    reference: doc,
                    loc: r.loc_of(d, "TemplateSSMDocumentDetails"),
                }
            } else if let Some(b) = raw_body {
                let loc = r.loc_of(b, "TemplateBody");
                match read_embedded(text, b, cfn, &loc, model) {
                    Ok(root) => {
                        inner = Some((root, loc.path.clone()));
                        PackBody::Inline { loc }
                    }
                    Err(reason) => PackBody::Unknown { reason, loc },
                }
            } else {
                PackBody::Unknown {
                    reason: "the pack declares no template".into(),
                    loc: r.origin.loc.clone(),
                }
            };
            model.conformance_packs.push(ConformancePack {
                origin: origin(),
                scope: if org { Scope::Organization } else { Scope::Account },
                name,
                body,
                excluded_accounts: if org { r.prop(&["ExcludedAccounts"]) } else { Prop::absent() },
                body_ignored,
            });
            if inner.is_some() && ctx.depth >= MAX_NESTING {
                too_deep(&r.origin, model);
            }
            if let Some((root, prefix)) = inner
                && ctx.depth < MAX_NESTING
            {
                let mut sub = Ctx {
                    format: Format::ConformancePack,
                    via: ctx.via.clone(),
                    gates: r.origin.gates.clone(),
                    overrides: key_values(
                        r.node(&["ConformancePackInputParameters"]),
                        "ParameterName",
                        "ParameterValue",
                        &r.path,
                    ),
                    pack: Some(idx),
                    depth: ctx.depth + 1,
                    prefix,
                };
                sub.via.push(Via {
                    kind: "conformance-pack",
                    name: r.id.to_owned(),
                    loc: r.origin.loc.clone(),
                });
                template(text, &root, &sub, model);
            }
        }
        "AWS::CloudFormation::StackSet" | "AWS::CloudFormation::Stack" => {
            let stackset = ty.ends_with("StackSet");
            if let Some(u) = r.node(&["TemplateURL"]) {
                model.opaque_templates.push(OpaqueTemplate {
                    origin: origin(),
                    kind: if stackset { "stackset" } else { "stack" },
                    known_clean: false,
                    resource_type: String::new(),
                    reference: u
                        .as_scalar_str()
                        .map_or_else(|| "a URL known at deployment".into(), std::borrow::Cow::into_owned),
                });
            } else if let (true, Some(b)) = (stackset, r.raw("TemplateBody")) {
                let loc = r.loc_of(b, "TemplateBody");
                match read_embedded(text, b, cfn, &loc, model) {
                    Ok(root) if ctx.depth < MAX_NESTING => {
                        let mut sub = Ctx {
                            format: Format::CloudFormation,
                            via: ctx.via.clone(),
                            gates: r.origin.gates.clone(),
                            overrides: key_values(r.node(&["Parameters"]), "ParameterKey", "ParameterValue", &r.path),
                            pack: None,
                            depth: ctx.depth + 1,
                            prefix: loc.path.clone(),
                        };
                        sub.via.push(Via {
                            kind: "stackset",
                            name: r.id.to_owned(),
                            loc: r.origin.loc.clone(),
                        });
                        template(text, &root, &sub, model);
                    }
                    Ok(_) => too_deep(&r.origin, model),
                    Err(reason) => model.opaque_templates.push(OpaqueTemplate {
                        origin: origin(),
                        kind: "stackset",
                        known_clean: false,
                        resource_type: String::new(),
                        reference: reason,
                    }),
                }
            }
        }
        "AWS::Organizations::Policy" => {
            anchor(model, AnchorKind::Organizations);
            let content = match r.raw("Content") {
                None => PolicyDoc::unknown(r.origin.loc.clone(), "the policy has no `Content`"),
                Some(raw) => {
                    let loc = r.loc_of(raw, "Content");
                    policy_content(text, raw, cfn, &loc, model)
                }
            };
            model.policies.push(OrgPolicy {
                origin: origin(),
                name: r.prop(&["Name"]),
                policy_type: r.prop(&["Type"]),
                content,
                targets: targets(r, cfn),
            });
        }
        "AWS::Organizations::Organization" | "AWS::Organizations::OrganizationalUnit" | "AWS::Organizations::Account" => {
            anchor(model, AnchorKind::Organizations);
        }
        "AWS::SecurityHub::Standard" => {
            anchor(model, AnchorKind::SecurityHub);
            model.securityhub_standards.push(ShStandard {
                origin: origin(),
                arn: r.prop(&["StandardsArn"]),
                implied: false,
            });
            if let Some(list) = r.node(&["DisabledStandardsControls"]).and_then(Node::as_seq) {
                for (i, c) in list.iter().enumerate() {
                    let p = format!("{}/Properties/DisabledStandardsControls/{i}", r.path);
                    model.securityhub_controls.push(ShControl {
                        origin: origin(),
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
        }
        "AWS::SecurityHub::Hub" => {
            anchor(model, AnchorKind::SecurityHub);
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
                    origin: origin(),
                    arn: Prop {
                        val,
                        loc: enable.loc.clone().or_else(|| Some(r.origin.loc.clone())),
                    },
                    implied: true,
                });
            }
        }
        "AWS::SecurityHub::ConfigurationPolicy" => {
            anchor(model, AnchorKind::SecurityHub);
            let base = ["ConfigurationPolicy", "SecurityHub"];
            if let Some(list) = r.node(&[base[0], base[1], "EnabledStandardIdentifiers"]).and_then(Node::as_seq) {
                for (i, s) in list.iter().enumerate() {
                    let l = Loc::new(
                        s.span,
                        format!(
                            "{}/Properties/ConfigurationPolicy/SecurityHub/EnabledStandardIdentifiers/{i}",
                            r.path
                        ),
                    );
                    model.securityhub_standards.push(ShStandard {
                        origin: origin(),
                        arn: Prop::from_node(Some(s), Some(l)),
                        implied: false,
                    });
                }
            }
            for (key, status) in [
                ("DisabledSecurityControlIdentifiers", "disabled"),
                ("EnabledSecurityControlIdentifiers", "enabled"),
            ] {
                let path = [base[0], base[1], "SecurityControlsConfiguration", key];
                let Some(n) = r.node(&path) else {
                    continue;
                };
                let list_span = r.props.as_ref().and_then(|p| p.span_at(&path)).unwrap_or(n.span);
                let lp = format!(
                    "{}/Properties/ConfigurationPolicy/SecurityHub/SecurityControlsConfiguration/{key}",
                    r.path
                );
                let items = n.as_seq().unwrap_or_default();
                for (i, c) in items.iter().enumerate() {
                    model.securityhub_controls.push(ShControl {
                        origin: origin(),
                        control: Prop::from_node(Some(c), Some(Loc::new(c.span, format!("{lp}/{i}")))),
                        status,
                        reason: Prop::absent(),
                        standard: Prop::absent(),
                    });
                }
                if status == "enabled" {
                    let loc = Loc::new(list_span, lp.clone());
                    model.securityhub_controls.extend(ShControl::left_out(&origin(), n, Some(&loc)));
                }
            }
        }
        "AWS::Logs::MetricFilter" => {
            anchor(model, AnchorKind::Logging);
            model.metric_filters.push(MetricFilter {
                origin: origin(),
                pattern: r.prop(&["FilterPattern"]),
                metric_name: r
                    .prop(&["MetricTransformations", "0", "MetricName"])
                    .or_index(r, &["MetricTransformations"], "MetricName"),
                namespace: r.prop(&["MetricTransformations", "0", "MetricNamespace"]).or_index(
                    r,
                    &["MetricTransformations"],
                    "MetricNamespace",
                ),
                log_group: r.prop(&["LogGroupName"]),
            });
        }
        "AWS::CloudWatch::Alarm" => {
            let (mut metric, mut ns) = (r.prop(&["MetricName"]), r.prop(&["Namespace"]));
            if metric.is_absent()
                && let Some(ms) = r.node(&["Metrics"]).and_then(Node::as_seq)
                && let Some((i, m)) = ms.iter().enumerate().find(|(_, m)| m.get("MetricStat").is_some())
            {
                let p = format!("{}/Properties/Metrics/{i}/MetricStat/Metric", r.path);
                let mn = m.at(&["MetricStat", "Metric", "MetricName"]);
                let nn = m.at(&["MetricStat", "Metric", "Namespace"]);
                metric = Prop::from_node(mn, mn.map(|n| Loc::new(n.span, format!("{p}/MetricName"))));
                ns = Prop::from_node(nn, nn.map(|n| Loc::new(n.span, format!("{p}/Namespace"))));
            }
            model.metric_alarms.push(MetricAlarm {
                origin: origin(),
                metric_name: metric,
                namespace: ns,
                actions: {
                    let p = r.prop(&["AlarmActions"]);
                    Prop::list_from_node(r.node(&["AlarmActions"]), p.loc)
                },
                actions_enabled: r.prop(&["ActionsEnabled"]),
            });
        }
        // the trail is where a root-usage filter belongs; any log group is too loose an anchor
        "AWS::CloudTrail::Trail" => anchor(model, AnchorKind::Logging),
        "AWS::ControlTower::EnabledControl" => {
            anchor(model, AnchorKind::Organizations);
            model.controltower_controls.push(CtControl {
                origin: origin(),
                identifier: r.prop(&["ControlIdentifier"]),
                target: r.prop(&["TargetIdentifier"]),
                parameters: r.prop(&["Parameters"]),
            });
        }
        "AWS::Config::ConfigurationRecorder" => {
            anchor(model, AnchorKind::Config);
            model.configuration_recorders.push(Recorder {
                origin: origin(),
                enabled: Prop::absent(),
            });
        }
        _ => {}
    }
}

trait OrIndex {
    fn or_index(self, r: &Res<'_>, list: &[&str], key: &str) -> Prop;
}

impl OrIndex for Prop {
    /// `MetricTransformations` given as a single object instead of a list.
    fn or_index(self, r: &Res<'_>, list: &[&str], key: &str) -> Prop {
        if !self.is_absent() {
            return self;
        }
        let mut p = list.to_vec();
        p.push(key);
        r.prop(&p)
    }
}

/// `[{ParameterName: a, ParameterValue: b}]` → overrides.
fn key_values(n: Option<&Node>, k: &str, v: &str, path: &str) -> BTreeMap<String, (Node, Loc)> {
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

/// Parse a document held in a property: a string written in this file (positions exact), or a
/// string computed by intrinsics (positions at the property).
fn read_embedded(text: &str, raw: &Node, cfn: &Cfn<'_>, loc: &Loc, model: &mut Model) -> Result<Node, String> {
    let parsed: Parsed = match &raw.value {
        Value::String(s) => embedded::parse_string_node(text, raw, s),
        _ => match cfn.eval(raw) {
            Some(Node {
                value: Value::String(s), ..
            }) if !s.contains("${") => {
                let mut p = match embedded::sniff(&s) {
                    embedded::Syntax::Json => crate::parse::json::parse(raw.span.file, &s, 0),
                    embedded::Syntax::Yaml => crate::parse::yaml::parse(raw.span.file, &s, 0),
                };
                // computed text: every position is the property that computes it
                let whole = raw.span;
                if let Some(root) = p.root.as_mut() {
                    root.remap_spans(&|_| whole);
                }
                for d in &mut p.diagnostics {
                    d.span = whole;
                }
                p
            }
            Some(Node {
                value: Value::Unknown(r), ..
            }) => return Err(r),
            Some(Node {
                value: Value::String(_), ..
            }) => return Err("the template is built from values known only at deployment".into()),
            Some(n) if n.as_map().is_some() => return Ok(n),
            Some(n) => return Err(format!("the template is a {}, not a string", n.kind_name())),
            None => return Err("the template is AWS::NoValue".into()),
        },
    };
    let failed = parsed.root.is_none();
    model
        .diagnostics
        .extend(parsed.diagnostics.into_iter().map(|d| FileDiagnostic { diag: d, relevant: true }));
    match parsed.root {
        Some(root) if !failed => Ok(root),
        _ => Err(format!("the template in `{}` could not be read", loc.path)),
    }
}

fn policy_content(text: &str, raw: &Node, cfn: &Cfn<'_>, loc: &Loc, model: &mut Model) -> PolicyDoc {
    match &raw.value {
        Value::String(s) => {
            let parsed = embedded::parse_string_node(text, raw, s);
            let root = parsed.root;
            model
                .diagnostics
                .extend(parsed.diagnostics.into_iter().map(|d| FileDiagnostic { diag: d, relevant: true }));
            match root {
                Some(root) => PolicyDoc::from_node(&root, loc, Some(s.len())),
                None => PolicyDoc::unknown(loc.clone(), "the policy content is not valid JSON"),
            }
        }
        _ => match cfn.eval(raw) {
            None => PolicyDoc::unknown(loc.clone(), "the policy content is AWS::NoValue"),
            Some(n) => {
                if let Value::String(s) = &n.value {
                    let mut p = crate::parse::json::parse(raw.span.file, s, 0);
                    let whole = raw.span;
                    if let Some(root) = p.root.as_mut() {
                        root.remap_spans(&|_| whole);
                    }
                    match p.root {
                        Some(root) => PolicyDoc::from_node(&root, loc, Some(s.len())),
                        None => PolicyDoc::unknown(loc.clone(), "the policy content is not valid JSON"),
                    }
                } else {
                    let size = n.contains_unknown().is_none().then(|| n.to_json_string().len());
                    PolicyDoc::from_node(&n, loc, size)
                }
            }
        },
    }
}

fn targets(r: &Res<'_>, cfn: &Cfn<'_>) -> Targets {
    let Some(raw) = r.raw("TargetIds") else {
        return Targets::List(Vec::new());
    };
    let loc = r.loc_of(raw, "TargetIds");
    let items: Vec<Node> = match raw.as_seq() {
        Some(items) => items.to_vec(),
        None => match cfn.eval(raw) {
            Some(n) => match &n.value {
                Value::Seq(items) => items.clone(),
                Value::Unknown(reason) => {
                    return Targets::Unknown {
                        reason: reason.clone(),
                        loc,
                    };
                }
                _ => vec![n],
            },
            None => return Targets::List(Vec::new()),
        },
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let il = Loc::new(item.span, format!("{}/{i}", loc.path));
        // a reference to a resource of this template: its type tells the kind of target
        let by_ref = match item.as_map() {
            Some([e]) if e.key == "Ref" => e
                .value
                .as_str()
                .and_then(|id| cfn.resource_types.get(id))
                .map(|t| match t.as_str() {
                    "AWS::Organizations::OrganizationalUnit" => TargetKind::Ou,
                    "AWS::Organizations::Account" => TargetKind::Account,
                    _ => TargetKind::Reference,
                }),
            Some([e]) if e.key == "Fn::GetAtt" => {
                let attr = e.value.as_seq().and_then(|s| s.get(1)).and_then(Node::as_str).unwrap_or("");
                Some(match attr {
                    "RootId" => TargetKind::Root,
                    "AccountId" => TargetKind::Account,
                    _ => TargetKind::Reference,
                })
            }
            _ => None,
        };
        if let Some(kind) = by_ref {
            out.push(Target {
                kind,
                text: expr_text(item),
                loc: il,
            });
            continue;
        }
        match cfn.eval(item) {
            None => {}
            Some(v) => {
                let text = v.as_scalar_str().map(std::borrow::Cow::into_owned);
                let kind = text.as_deref().map_or(TargetKind::Unknown, classify_target);
                out.push(Target {
                    kind,
                    text: text.unwrap_or_else(|| expr_text(item)),
                    loc: il,
                });
            }
        }
    }
    Targets::List(out)
}

/// The kind of an Organizations target id (`r-…`, `ou-…-…`, a 12-digit account id).
#[must_use]
pub fn classify_target(s: &str) -> TargetKind {
    let lower_alnum = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if let Some(r) = s.strip_prefix("r-")
        && (4..=32).contains(&r.len())
        && lower_alnum(r)
    {
        return TargetKind::Root;
    }
    if let Some(o) = s.strip_prefix("ou-")
        && let Some((a, b)) = o.split_once('-')
        && (4..=32).contains(&a.len())
        && (8..=32).contains(&b.len())
        && lower_alnum(a)
        && lower_alnum(b)
    {
        return TargetKind::Ou;
    }
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return TargetKind::Account;
    }
    TargetKind::Unknown
}

fn expr_text(n: &Node) -> String {
    let j = n.to_json_string();
    if j.len() > 80 {
        format!("{}…", &j[..crate::source::floor_char_boundary(&j, 80)])
    } else {
        j
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

/// A stand-alone policy document file (its use, SCP or other, is not declared by the file).
pub fn policy_file(text: &str, root: &Node, display: &str, model: &mut Model) {
    let loc = Loc::new(root.span, "");
    model.anchors.note(AnchorKind::Organizations, &loc.clone());
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

/// Convert a parse diagnostic list into model diagnostics.
pub fn diagnostics(diags: Vec<Diagnostic>, relevant: bool, model: &mut Model) {
    model
        .diagnostics
        .extend(diags.into_iter().map(|diag| FileDiagnostic { diag, relevant }));
}

/// A template embedded more than [`MAX_NESTING`] levels deep (`StackSet`s and conformance packs
/// inside templates) is not read: a diagnostic, and a `cut` that makes what it may declare
/// unknown.
fn too_deep(origin: &Origin, model: &mut Model) {
    let message =
        format!("templates embedded more than {MAX_NESTING} levels deep (StackSets and conformance packs inside templates) are not read");
    model.diagnostics.push(crate::model::FileDiagnostic {
        diag: crate::parse::Diagnostic::warning(origin.loc.span, "nesting", format!("{message}; what this one declares is unknown")),
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
