//! The guardrail model: a small, typed record of every guardrail-relevant declaration found in
//! the scanned files, each with its source location and how it was reached.
//!
//! It holds facts, not templates. Its JSON form (see `docs/model.md`) is what rule policies are
//! evaluated against, and what `rootguard model` prints.

pub mod aws;
pub mod cfn;
pub mod eval;
pub mod policy;

use crate::parse::{Diagnostic, tree::Node};
use crate::source::Span;

pub use policy::PolicyDoc;

/// Version of the model's JSON shape. Bumped on any incompatible change.
pub const SCHEMA: &str = "rootguard-model/1";

/// A span plus the logical path to it (`Resources/RootHwMfa/Properties/Source/SourceIdentifier`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub span: Span,
    pub path: String,
}

impl Loc {
    #[must_use]
    pub fn new(span: Span, path: impl Into<String>) -> Self {
        Loc { span, path: path.into() }
    }

    /// The location of a child, one path segment down.
    #[must_use]
    pub fn child(&self, span: Span, seg: &str) -> Loc {
        Loc {
            span,
            path: join_path(&self.path, seg),
        }
    }
}

#[must_use]
pub fn join_path(a: &str, b: &str) -> String {
    if a.is_empty() { b.to_owned() } else { format!("{a}/{b}") }
}

/// Which kind of input a declaration came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    CloudFormation,
    ConformancePack,
    PolicyJson,
    Terraform,
    TerraformPlan,
}

impl Format {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::ConformancePack => "conformance-pack",
            Format::PolicyJson => "policy-json",
            Format::Terraform => "terraform",
            Format::TerraformPlan => "terraform-plan",
        }
    }
}

/// One step of the way a declaration was reached (a `StackSet`, a conformance pack body, a module call).
#[derive(Clone, Debug, PartialEq)]
pub struct Via {
    pub kind: &'static str,
    pub name: String,
    pub loc: Loc,
}

/// A three-valued truth: what static evaluation can say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    #[must_use]
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    #[must_use]
    pub fn and(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    #[must_use]
    pub fn or(self, o: Tri) -> Tri {
        match (self, o) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }
}

/// Why a declaration may not be created: a `CloudFormation` `Condition`, a `count`, a `for_each`.
#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    /// `Condition: IsLevel2`, `count = var.enabled ? 1 : 0`, …
    pub expr: String,
    pub value: Tri,
    pub loc: Loc,
    /// What decided the value (a parameter default, a variable in a tfvars file), when known.
    pub decided_by: Option<Loc>,
    /// In words, for messages: `parameter ProfileLevel defaults to "Level 1"`.
    pub reason: String,
}

/// Where a declaration came from and under which conditions it exists.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin {
    pub format: Format,
    /// Logical id (`CloudFormation`) or resource address (Terraform); the file name for a
    /// stand-alone policy document.
    pub name: String,
    pub loc: Loc,
    pub via: Vec<Via>,
    pub gates: Vec<Gate>,
}

impl Origin {
    /// Whether the declaration is created: every gate, `ANDed`.
    #[must_use]
    pub fn created(&self) -> Tri {
        self.gates.iter().fold(Tri::True, |acc, g| acc.and(g.value))
    }

    /// The gate that switches it off (first false), else the first unknown one.
    #[must_use]
    pub fn deciding_gate(&self) -> Option<&Gate> {
        self.gates
            .iter()
            .find(|g| g.value == Tri::False)
            .or_else(|| self.gates.iter().find(|g| g.value == Tri::Unknown))
    }
}

/// A statically evaluated value of a property.
#[derive(Clone, Debug, PartialEq)]
pub enum PVal {
    Absent,
    Known(serde_json::Value),
    /// A string with placeholders resolved only at deployment (`arn:${AWS::Partition}:…`).
    Partial(String),
    Unknown(String),
}

/// A property with the location of its value (or of its owner, when absent).
#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    pub val: PVal,
    pub loc: Option<Loc>,
}

impl Prop {
    #[must_use]
    pub fn absent() -> Self {
        Prop {
            val: PVal::Absent,
            loc: None,
        }
    }

    /// A property read from an evaluated node: strings holding unresolved `${…}` are unknown.
    #[must_use]
    pub fn from_node(n: Option<&Node>, loc: Option<Loc>) -> Self {
        let val = match n {
            None => PVal::Absent,
            Some(n) => match n.contains_unknown() {
                Some(r) => PVal::Unknown(r.to_owned()),
                None => match &n.value {
                    crate::parse::tree::Value::String(s) if s.contains("${") => PVal::Partial(s.clone()),
                    _ => PVal::Known(n.to_json()),
                },
            },
        };
        Prop { val, loc }
    }

    /// A list whose length is known even when some items are not (`AlarmActions: [!Ref Topic]`):
    /// unknown items become the string `(known after deployment)`.
    #[must_use]
    pub fn list_from_node(n: Option<&Node>, loc: Option<Loc>) -> Self {
        match n.map(|n| &n.value) {
            Some(crate::parse::tree::Value::Seq(items)) => {
                let v = items
                    .iter()
                    .map(|i| {
                        if i.contains_unknown().is_some() {
                            serde_json::Value::String("(known after deployment)".into())
                        } else {
                            i.to_json()
                        }
                    })
                    .collect();
                Prop {
                    val: PVal::Known(serde_json::Value::Array(v)),
                    loc,
                }
            }
            _ => Prop::from_node(n, loc),
        }
    }

    #[must_use]
    pub fn known_str(&self) -> Option<&str> {
        match &self.val {
            PVal::Known(serde_json::Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// Known scalar as text (numbers and booleans too).
    #[must_use]
    pub fn known_text(&self) -> Option<String> {
        match &self.val {
            PVal::Known(serde_json::Value::String(s)) => Some(s.clone()),
            PVal::Known(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => Some(v.to_string()),
            _ => None,
        }
    }

    /// Known text, or the text of a partially known string with its placeholders.
    #[must_use]
    pub fn text_or_partial(&self) -> Option<String> {
        match &self.val {
            PVal::Partial(s) => Some(s.clone()),
            _ => self.known_text(),
        }
    }

    #[must_use]
    pub fn is_absent(&self) -> bool {
        matches!(self.val, PVal::Absent)
    }

    #[must_use]
    pub fn unknown_reason(&self) -> Option<String> {
        match &self.val {
            PVal::Unknown(r) => Some(r.clone()),
            PVal::Partial(s) => Some(format!("`{s}` holds a value known only at deployment")),
            _ => None,
        }
    }
}

/// Account-level or organization-level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Account,
    Organization,
}

/// An AWS Config rule (`AWS::Config::ConfigRule`, `OrganizationConfigRule`, their Terraform
/// counterparts, or a rule inside a conformance pack).
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigRule {
    pub origin: Origin,
    pub scope: Scope,
    pub name: Prop,
    /// `Source.Owner`; organization managed rules are `AWS`, custom ones `CUSTOM_LAMBDA` / `CUSTOM_POLICY`.
    pub owner: Prop,
    /// `Source.SourceIdentifier` / `RuleIdentifier`.
    pub identifier: Prop,
    pub frequency: Prop,
    pub input_parameters: Prop,
    pub excluded_accounts: Prop,
    /// Index of the conformance pack it belongs to, if any.
    pub pack: Option<usize>,
}

/// Where a conformance pack's template is.
#[derive(Clone, Debug, PartialEq)]
pub enum PackBody {
    /// Inline body (or a local file) whose rules are in [`Model::config_rules`].
    Inline { loc: Loc },
    /// Only by reference (S3 URI, SSM document, unresolved): its rules cannot be seen.
    Opaque { reference: String, loc: Loc },
    /// The template body is a value known only at deployment.
    Unknown { reason: String, loc: Loc },
    /// A stand-alone conformance-pack template file: the file is the body.
    File,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConformancePack {
    pub origin: Origin,
    pub scope: Scope,
    pub name: Prop,
    pub body: PackBody,
    pub excluded_accounts: Prop,
    /// Both an inline body and an S3 URI: AWS uses the S3 URI.
    pub body_ignored: Option<Loc>,
}

/// What an attachment points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Root,
    Ou,
    Account,
    /// Known to be a target, not which kind (a reference to a resource of unknown type).
    Reference,
    Unknown,
}

impl TargetKind {
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            TargetKind::Root => "root",
            TargetKind::Ou => "ou",
            TargetKind::Account => "account",
            TargetKind::Reference => "reference",
            TargetKind::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub kind: TargetKind,
    /// The id or the expression, as written.
    pub text: String,
    pub loc: Loc,
    /// Why the target is not known, when its value is not, as the message says it ("the
    /// attachment target `var.x` is not known statically: …"); a target of kind `Unknown`
    /// without it is a known text that is no root, OU or account id.
    pub unknown: Option<String>,
    /// What else to know of it (a target the module's caller supplies).
    pub note: Option<String>,
}

impl Target {
    /// A target of `kind`, written `text` at `loc`.
    #[must_use]
    pub fn new(kind: TargetKind, text: String, loc: Loc) -> Self {
        Target {
            kind,
            text,
            loc,
            unknown: None,
            note: None,
        }
    }
}

/// The targets of an Organizations policy.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// Known list (possibly empty).
    List(Vec<Target>),
    /// Not known statically.
    Unknown { reason: String, loc: Loc },
}

/// An AWS Organizations policy (an SCP, or another policy type).
#[derive(Clone, Debug, PartialEq)]
pub struct OrgPolicy {
    pub origin: Origin,
    pub name: Prop,
    /// `Type`; `SERVICE_CONTROL_POLICY` when Terraform leaves it out; `None` for a stand-alone
    /// document whose use is not declared.
    pub policy_type: Prop,
    pub content: PolicyDoc,
    pub targets: Targets,
}

/// A Security Hub standard subscription (explicit, or implied by `EnableDefaultStandards`).
#[derive(Clone, Debug, PartialEq)]
pub struct ShStandard {
    pub origin: Origin,
    pub arn: Prop,
    /// Set when the subscription is implied by a hub resource.
    pub implied: bool,
}

/// A declaration about one Security Hub control.
#[derive(Clone, Debug, PartialEq)]
pub struct ShControl {
    pub origin: Origin,
    /// The control as written: a standards-control ARN, `IAM.6`, `cis-aws-foundations-benchmark/v/1.2.0/1.14`.
    pub control: Prop,
    /// `disabled`, `enabled`, or `not-enabled` (left out of an allow-list of enabled controls).
    pub status: &'static str,
    pub reason: Prop,
    /// The standard the declaration is scoped to, when it names one (`standards_arn`).
    pub standard: Prop,
}

/// The Security Hub controls that decide the root MFA guardrails: `IAM.6` (hardware MFA) and
/// `IAM.9` (MFA).
pub const ROOT_MFA_CONTROLS: &[&str] = &["IAM.6", "IAM.9"];

impl ShControl {
    /// The root MFA controls an allow-list of enabled controls (`EnabledSecurityControlIdentifiers`,
    /// `enabled_control_identifiers`) leaves out, each a `not-enabled` declaration at `loc`:
    /// Security Hub disables every control the list does not name. None when the list holds a
    /// value not known statically.
    #[must_use]
    pub fn left_out(origin: &Origin, list: &Node, loc: Option<&Loc>) -> Vec<ShControl> {
        if list.contains_unknown().is_some() {
            return Vec::new();
        }
        let items = list.as_seq().unwrap_or_default();
        ROOT_MFA_CONTROLS
            .iter()
            .filter(|id| !items.iter().any(|c| c.as_str() == Some(**id)))
            .map(|id| ShControl {
                origin: origin.clone(),
                control: Prop {
                    val: PVal::Known((*id).into()),
                    loc: loc.cloned(),
                },
                status: "not-enabled",
                reason: Prop::absent(),
                standard: Prop::absent(),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetricFilter {
    pub origin: Origin,
    pub pattern: Prop,
    pub metric_name: Prop,
    pub namespace: Prop,
    pub log_group: Prop,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetricAlarm {
    pub origin: Origin,
    pub metric_name: Prop,
    pub namespace: Prop,
    pub actions: Prop,
    /// `ActionsEnabled` / `actions_enabled` (absent: true).
    pub actions_enabled: Prop,
}

/// A Control Tower control enabled on a target.
#[derive(Clone, Debug, PartialEq)]
pub struct CtControl {
    pub origin: Origin,
    pub identifier: Prop,
    pub target: Prop,
    pub parameters: Prop,
}

/// `aws_iam_organizations_features`.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgFeatures {
    pub origin: Origin,
    pub features: Prop,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Recorder {
    pub origin: Origin,
    /// `Some(false)` for a recorder status declared disabled.
    pub enabled: Prop,
}

/// A template the analyzer cannot see into (`StackSet` or nested stack by URL).
#[derive(Clone, Debug, PartialEq)]
pub struct OpaqueTemplate {
    pub origin: Origin,
    /// `stackset`, `stack`, `module`, `file` (a file the reader refused), or `cut`: declarations rootguard stopped short of
    /// reading because a limit was reached (instances beyond the `instances` limit, or all
    /// that follows once the evaluation budget is spent).
    pub kind: &'static str,
    pub reference: String,
    /// A module source the user declared as not declaring guardrails (`--known-module`).
    pub known_clean: bool,
    /// For a `cut`: the resource type of the declarations not read, `*` for any.
    pub resource_type: String,
}

/// A removal a Terraform plan would make.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedDelete {
    pub origin: Origin,
    pub resource_type: String,
}

/// Everything found in one scan.
#[derive(Debug, Default)]
pub struct Model {
    pub config_rules: Vec<ConfigRule>,
    pub conformance_packs: Vec<ConformancePack>,
    pub policies: Vec<OrgPolicy>,
    pub securityhub_standards: Vec<ShStandard>,
    pub securityhub_controls: Vec<ShControl>,
    pub metric_filters: Vec<MetricFilter>,
    pub metric_alarms: Vec<MetricAlarm>,
    pub controltower_controls: Vec<CtControl>,
    pub organizations_features: Vec<OrgFeatures>,
    pub configuration_recorders: Vec<Recorder>,
    pub opaque_templates: Vec<OpaqueTemplate>,
    pub planned_deletes: Vec<PlannedDelete>,
    /// Problems met while reading files (they become findings).
    pub diagnostics: Vec<FileDiagnostic>,
    /// Where the scan found declarations, for findings about something absent.
    pub anchors: Anchors,
}

/// A parse or read problem, with the kind of file it was found in.
#[derive(Clone, Debug, PartialEq)]
pub struct FileDiagnostic {
    pub diag: Diagnostic,
    /// Does the file look like infrastructure-as-code (so that a failure to read it may hide a guardrail)?
    pub relevant: bool,
}

/// Useful places to point at when a guardrail is absent.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// First declaration of any Config rule.
    pub config: Option<Loc>,
    /// First Organizations resource or policy.
    pub organizations: Option<Loc>,
    /// First Security Hub resource.
    pub securityhub: Option<Loc>,
    /// First `CloudWatch` / `CloudTrail` / Logs resource.
    pub logging: Option<Loc>,
    /// First file that was read at all.
    pub any: Option<Loc>,
}

impl Anchors {
    fn set(slot: &mut Option<Loc>, loc: &Loc) {
        let better = match slot {
            None => true,
            Some(cur) => (loc.span.file, loc.span.start) < (cur.span.file, cur.span.start),
        };
        if better {
            *slot = Some(loc.clone());
        }
    }

    pub fn note(&mut self, which: AnchorKind, loc: &Loc) {
        match which {
            AnchorKind::Config => Self::set(&mut self.config, loc),
            AnchorKind::Organizations => Self::set(&mut self.organizations, loc),
            AnchorKind::SecurityHub => Self::set(&mut self.securityhub, loc),
            AnchorKind::Logging => Self::set(&mut self.logging, loc),
            AnchorKind::Any => Self::set(&mut self.any, loc),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum AnchorKind {
    Config,
    Organizations,
    SecurityHub,
    Logging,
    Any,
}

impl Model {
    /// The diagnostics of an evaluation (limits reached, cycles) join the model. When its budget
    /// ran out, a `cut` template at that place says that what was not evaluated may declare or
    /// disable any guardrail (`what` names the evaluation: a file, the Terraform configuration).
    pub fn add_eval_notes(&mut self, notes: Vec<Diagnostic>, format: Format, what: &str) {
        if let Some(d) = notes.iter().find(|d| d.code == "eval-budget") {
            self.opaque_templates.push(OpaqueTemplate {
                origin: Origin {
                    format,
                    name: what.to_owned(),
                    loc: Loc::new(d.span, ""),
                    via: Vec::new(),
                    gates: Vec::new(),
                },
                kind: "cut",
                reference: format!(
                    "its evaluation stopped here, the budget of {} steps spent (raise --limit eval-steps=N)",
                    crate::limits::get().eval_steps
                ),
                known_clean: false,
                resource_type: "*".into(),
            });
        }
        self.diagnostics
            .extend(notes.into_iter().map(|diag| FileDiagnostic { diag, relevant: true }));
    }

    /// Append another model (from another file) to this one, keeping pack indexes right.
    pub fn extend(&mut self, other: Model) {
        let offset = self.conformance_packs.len();
        self.config_rules.extend(other.config_rules.into_iter().map(|mut r| {
            r.pack = r.pack.map(|p| p + offset);
            r
        }));
        self.conformance_packs.extend(other.conformance_packs);
        self.policies.extend(other.policies);
        self.securityhub_standards.extend(other.securityhub_standards);
        self.securityhub_controls.extend(other.securityhub_controls);
        self.metric_filters.extend(other.metric_filters);
        self.metric_alarms.extend(other.metric_alarms);
        self.controltower_controls.extend(other.controltower_controls);
        self.organizations_features.extend(other.organizations_features);
        self.configuration_recorders.extend(other.configuration_recorders);
        self.opaque_templates.extend(other.opaque_templates);
        self.planned_deletes.extend(other.planned_deletes);
        self.diagnostics.extend(other.diagnostics);
        for (k, l) in [
            (AnchorKind::Config, other.anchors.config),
            (AnchorKind::Organizations, other.anchors.organizations),
            (AnchorKind::SecurityHub, other.anchors.securityhub),
            (AnchorKind::Logging, other.anchors.logging),
            (AnchorKind::Any, other.anchors.any),
        ] {
            if let Some(l) = l {
                self.anchors.note(k, &l);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::tree::Value;
    use crate::source::FileId;

    fn node(value: Value) -> Node {
        Node {
            span: Span::new(FileId(0), 0, 1),
            value,
        }
    }

    fn list(items: &[&str]) -> Node {
        node(Value::Seq(items.iter().map(|s| node(Value::String((*s).into()))).collect()))
    }

    #[test]
    fn root_controls_an_allow_list_leaves_out() {
        let origin = Origin {
            format: Format::Terraform,
            name: "aws_securityhub_configuration_policy.p".into(),
            loc: Loc::new(Span::new(FileId(0), 0, 1), ""),
            via: Vec::new(),
            gates: Vec::new(),
        };
        let at = Loc::new(Span::new(FileId(0), 5, 9), "list");
        let ids = |l: &Node| -> Vec<String> {
            ShControl::left_out(&origin, l, Some(&at))
                .iter()
                .map(|c| {
                    assert_eq!((c.status, c.control.loc.as_ref()), ("not-enabled", Some(&at)));
                    c.control.known_text().unwrap_or_default()
                })
                .collect()
        };
        assert_eq!(ids(&list(&["IAM.6", "IAM.9", "S3.1"])), Vec::<String>::new());
        assert_eq!(ids(&list(&["IAM.6"])), ["IAM.9"]);
        assert_eq!(ids(&list(&["S3.1", "IAM.60"])), ["IAM.6", "IAM.9"]);
        assert_eq!(ids(&list(&[])), ["IAM.6", "IAM.9"]);
        // a list with an unknown element: what it leaves out is not known
        let unknown = node(Value::Seq(vec![node(Value::unknown("var.ids"))]));
        assert_eq!(ids(&unknown), Vec::<String>::new());
    }
}
