//! Centralized root access: `RootCredentialsManagement` among the organization's features.

use super::{Code, Coll, Decl, Why, gate_status, loc_or};
use crate::model::{Model, PVal};

/// One `centralized-root-access` declaration per organization features declaration.
pub(super) fn centralized_root(m: &Model, out: &mut Vec<Decl>) {
    for (i, f) in m.organizations_features.iter().enumerate() {
        let has = match &f.features.val {
            PVal::Known(serde_json::Value::Array(v)) => v.iter().any(|x| x.as_str() == Some("RootCredentialsManagement")),
            _ => false,
        };
        let mut why = Vec::new();
        let status = if let Some((_, w)) = gate_status(&f.origin) {
            why.push(w);
            "missing"
        } else if has {
            "enabled"
        } else {
            why.push(Why {
                code: Code::FeatureMissing,
                message: "`RootCredentialsManagement` is not among the enabled features".into(),
                loc: loc_or(&f.features, &f.origin),
            });
            "missing"
        };
        out.push(Decl {
            guardrail: "centralized-root-access",
            status,
            element: Coll::OrganizationsFeatures.at(i),
            loc: f.origin.loc.clone(),
            what: format!("organization features `{}`", f.origin.name),
            why,
            notes: Vec::new(),
        });
    }
}
