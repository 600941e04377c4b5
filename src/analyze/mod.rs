//! Facts computed over the model: per-declaration statuses for every guardrail of the report
//! contract, with the reasons and locations that decide them, and the guardrail verdicts.
//!
//! One file per guardrail's declarations (`config_rules`, `controltower`, `policies` with `scp`,
//! `securityhub`, `alarms`, `centralized_root`), one for what rootguard did not read (`opaque`),
//! and `verdict` for how declarations combine into verdicts.

pub mod code;
pub mod scp;
pub mod wildcard;

mod alarms;
mod centralized_root;
mod config_rules;
mod controltower;
mod opaque;
mod policies;
mod securityhub;
mod verdict;

pub use crate::model::aws::{CT_RESTRICT_ROOT, CT_ROOT_MFA, standard_controls};
use crate::model::{Loc, Model, Origin, Prop, Tri};
pub use alarms::{CIS_TERMS, normalize_pattern};
pub use code::{Code, Coll};
pub use config_rules::{FREQUENCIES, HW_RULE, MFA_RULE};
pub use opaque::guardrails_of;
pub(crate) use policies::target_notes;
pub use securityhub::{root_control, standard_path};
pub use verdict::{Verdict, combine, rank};

/// The guardrails of the report contract, in report order.
pub const GUARDRAILS: &[&str] = &[
    "root-hardware-mfa-rule",
    "root-mfa-rule",
    "root-deny-scp",
    "securityhub-root-mfa-controls",
    "root-usage-alarm",
    "centralized-root-access",
];

/// Why a declaration has its status.
#[derive(Clone, Debug, PartialEq)]
pub struct Why {
    pub code: Code,
    pub message: String,
    pub loc: Loc,
}

/// One declaration's contribution to a guardrail.
#[derive(Clone, Debug, PartialEq)]
pub struct Decl {
    pub guardrail: &'static str,
    pub status: &'static str,
    /// `config_rules/3`, `policies/0`, … (the model element).
    pub element: String,
    pub loc: Loc,
    pub what: String,
    /// Every problem found, the deciding one first.
    pub why: Vec<Why>,
    /// What else to know of it, each a sentence (a policy attached to a target the module's
    /// caller supplies).
    pub notes: Vec<String>,
}

/// Everything the analysis adds to the model.
#[derive(Debug, Default)]
pub struct Facts {
    pub decls: Vec<Decl>,
    pub verdicts: Vec<Verdict>,
    /// Per Organizations policy of the model, in the same order: what its content does.
    pub policies: Vec<scp::PolicyFacts>,
    /// Per security-hub control declaration: which root control it concerns (`IAM.6`, `IAM.9`,
    /// `unknown`) or none.
    pub sh_control_ids: Vec<Option<&'static str>>,
    /// Per standard: which root controls it includes (`None` = not known).
    pub sh_standard_controls: Vec<Option<Vec<&'static str>>>,
    /// Per metric filter: is it a root-usage filter, and what is missing.
    pub filter_missing_terms: Vec<Option<Vec<&'static str>>>,
}

/// The status and reason a declaration's gates give it, when it is not surely created.
fn gate_status(o: &Origin) -> Option<(&'static str, Why)> {
    match o.created() {
        Tri::True => None,
        Tri::False => o.deciding_gate().map(|g| {
            (
                "switched-off",
                Why {
                    code: Code::SwitchedOff,
                    message: format!("`{}` is false: {}", g.expr, g.reason),
                    loc: g.loc.clone(),
                },
            )
        }),
        Tri::Unknown => o.deciding_gate().map(|g| {
            (
                "unknown",
                Why {
                    code: Code::GateUnknown,
                    message: format!("`{}` is not known statically: {}", g.expr, g.reason),
                    loc: g.loc.clone(),
                },
            )
        }),
    }
}

/// Where a property is written, else the declaration.
fn loc_or(p: &Prop, o: &Origin) -> Loc {
    p.loc.clone().unwrap_or_else(|| o.loc.clone())
}

/// Run every analysis and decide the verdicts.
pub fn run(m: &mut Model) -> Facts {
    let mut facts = Facts {
        policies: m.policies.iter().map(scp::policy).collect(),
        ..Facts::default()
    };
    let mut decls = Vec::new();
    config_rules::config_rules(m, &mut decls);
    controltower::controltower(m, &mut decls);
    policies::policies(m, &facts, &mut decls);
    securityhub::securityhub(m, &mut facts, &mut decls);
    alarms::alarms(m, &mut facts, &mut decls);
    centralized_root::centralized_root(m, &mut decls);
    opaque::opaque_modules(m, &mut decls);
    opaque::cuts(m, &mut decls);
    facts.verdicts = verdict::verdicts(&decls);
    facts.decls = decls;
    facts
}
