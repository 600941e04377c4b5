//! The root-usage alarm: a CIS root-usage metric filter, and a created alarm on its metric that
//! notifies someone.

use super::verdict::rank_order;
use super::{Code, Coll, Decl, Facts, Why, gate_status, loc_or};
use crate::model::{Model, PVal, Tri};

/// The three terms of the CIS root-usage filter, as they read with blanks and quotes removed.
pub const CIS_TERMS: &[(&str, &str)] = &[
    ("$.userIdentity.type=Root", "$.userIdentity.type = \"Root\""),
    ("$.userIdentity.invokedByNOTEXISTS", "$.userIdentity.invokedBy NOT EXISTS"),
    ("$.eventType!=AwsServiceEvent", "$.eventType != \"AwsServiceEvent\""),
];

/// Normalize a filter pattern: no blanks, no quotes.
#[must_use]
pub fn normalize_pattern(p: &str) -> String {
    p.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect()
}

/// Does an alarm notify anyone? (`AlarmActions` given, and actions not disabled)
fn notifies(a: &crate::model::MetricAlarm) -> Tri {
    if matches!(&a.actions_enabled.val, PVal::Known(serde_json::Value::Bool(false)))
        || a.actions_enabled.known_text().as_deref() == Some("false")
    {
        return Tri::False;
    }
    match &a.actions.val {
        PVal::Known(serde_json::Value::Array(v)) if !v.is_empty() => Tri::True,
        PVal::Unknown(_) | PVal::Partial(_) => Tri::Unknown,
        _ => Tri::False,
    }
}

/// One `root-usage-alarm` declaration per root-usage metric filter.
pub(super) fn alarms(m: &Model, facts: &mut Facts, out: &mut Vec<Decl>) {
    for (i, f) in m.metric_filters.iter().enumerate() {
        // (status, reason) pairs; the contract's order picks the status
        let mut found: Vec<(&'static str, Why)> = Vec::new();
        let ploc = loc_or(&f.pattern, &f.origin);
        let missing: Option<Vec<&'static str>> = match f.pattern.known_text() {
            Some(p) => {
                let n = normalize_pattern(&p);
                n.contains("userIdentity.type=Root").then(|| {
                    if n.contains("||") {
                        found.push(("incomplete", Why { code: Code::OrPattern, message: "the pattern joins terms with `||`, so it matches more than root activity and the terms are not all required".into(), loc: ploc.clone() }));
                    }
                    CIS_TERMS.iter().filter(|(t, _)| !n.contains(t)).map(|(_, shown)| *shown).collect()
                })
            }
            None => f.pattern.unknown_reason().map(|r| {
                found.push((
                    "unknown",
                    Why {
                        code: Code::PatternUnknown,
                        message: format!("the filter pattern is not known statically: {r}"),
                        loc: ploc.clone(),
                    },
                ));
                Vec::new()
            }),
        };
        facts.filter_missing_terms.push(missing.clone());
        let Some(missing) = missing else { continue };
        if let Some((s, w)) = gate_status(&f.origin) {
            found.push((s, w));
        }
        if !missing.is_empty() {
            let terms = missing.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(" and ");
            found.push((
                "incomplete",
                Why {
                    code: Code::MissingTerms,
                    message: format!("the pattern lacks {terms}"),
                    loc: ploc.clone(),
                },
            ));
        }
        // an alarm on the filter's metric, that is created and notifies someone
        let (mn, ns) = (f.metric_name.known_text(), f.namespace.known_text());
        if mn.is_none() || ns.is_none() {
            found.push((
                "unknown",
                Why {
                    code: Code::MetricUnknown,
                    message: "the filter's metric name or namespace is not known statically".into(),
                    loc: loc_or(&f.metric_name, &f.origin),
                },
            ));
        } else {
            let live = |a: &&crate::model::MetricAlarm| a.origin.created() != Tri::False;
            let matching: Vec<&crate::model::MetricAlarm> = m
                .metric_alarms
                .iter()
                .filter(live)
                .filter(|a| a.metric_name.known_text().is_some() && a.metric_name.known_text() == mn && a.namespace.known_text() == ns)
                .collect();
            // an alarm whose metric is written but not known may watch this filter; one with no
            // metric at all (metric math) does not
            let maybe = m.metric_alarms.iter().filter(live).any(|a| {
                (a.metric_name.unknown_reason().is_some() || a.namespace.unknown_reason().is_some()) && !a.metric_name.is_absent()
            });
            let sure = matching
                .iter()
                .find(|a| a.origin.created() == Tri::True && notifies(a) == Tri::True);
            if sure.is_none() {
                if let Some(a) = matching
                    .iter()
                    .find(|a| a.origin.created() == Tri::Unknown || notifies(a) == Tri::Unknown)
                {
                    let w = match gate_status(&a.origin) {
                        Some((_, g)) => Why {
                            code: Code::AlarmUnknown,
                            message: format!("the alarm on this metric may not be created: {}", g.message),
                            loc: g.loc,
                        },
                        None => Why {
                            code: Code::AlarmUnknown,
                            message: "the alarm's actions are not known statically".into(),
                            loc: loc_or(&a.actions, &a.origin),
                        },
                    };
                    found.push(("unknown", w));
                } else if let Some(a) = matching.first() {
                    let disabled = notifies(a) == Tri::False && !a.actions_enabled.is_absent();
                    let message = if disabled {
                        "the alarm on this metric has `actions_enabled = false`, so it notifies no one"
                    } else {
                        "the alarm on this metric has no `AlarmActions`, so it notifies no one"
                    };
                    let loc = if disabled {
                        loc_or(&a.actions_enabled, &a.origin)
                    } else {
                        loc_or(&a.actions, &a.origin)
                    };
                    found.push((
                        "incomplete",
                        Why {
                            code: Code::NoActions,
                            message: message.into(),
                            loc,
                        },
                    ));
                } else if maybe {
                    found.push((
                        "unknown",
                        Why {
                            code: Code::AlarmUnknown,
                            message: "an alarm's metric is not known statically, so it may or may not watch this filter".into(),
                            loc: f.origin.loc.clone(),
                        },
                    ));
                } else {
                    let (mn, ns) = (mn.unwrap_or_default(), ns.unwrap_or_default());
                    found.push((
                        "incomplete",
                        Why {
                            code: Code::NoAlarm,
                            message: format!("no CloudWatch alarm watches metric `{mn}` in namespace `{ns}`"),
                            loc: loc_or(&f.metric_name, &f.origin),
                        },
                    ));
                }
            }
        }
        let status = ["switched-off", "unknown", "incomplete"]
            .into_iter()
            .find(|s| found.iter().any(|(x, _)| x == s))
            .unwrap_or("deployed");
        found.sort_by_key(|(s, _)| std::cmp::Reverse(rank_order(s)));
        out.push(Decl {
            guardrail: "root-usage-alarm",
            status,
            element: Coll::MetricFilters.at(i),
            loc: f.origin.loc.clone(),
            what: format!("metric filter `{}`", f.origin.name),
            why: found.into_iter().map(|(_, w)| w).collect(),
            notes: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_normalize() {
        let p = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }";
        let n = normalize_pattern(p);
        assert!(CIS_TERMS.iter().all(|(t, _)| n.contains(t)));
    }
}
