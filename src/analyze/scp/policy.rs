//! A whole policy: whether AWS accepts it, whether it is attached, and the status of its
//! `root-deny-scp` declaration with the reason that decides it.

use super::statement::{shape, statement};
use super::{Code, MAX_SCP_BYTES, PolicyFacts, Reason, RootEffect, StatementFacts};
use crate::model::{Format, Gate, Loc, OrgPolicy, PVal, TargetKind, Targets, Tri};

/// Analyze a policy and decide its `root-deny-scp` declaration status.
#[must_use]
pub fn policy(p: &OrgPolicy) -> PolicyFacts {
    let doc = &p.content;
    let mut invalid = Vec::new();
    let decl_loc = p.origin.loc.clone();
    let reason = |code, effect, message: String, loc: &Loc| Reason {
        code,
        effect,
        message,
        loc: loc.clone(),
    };
    // a stand-alone document whose statements name a `Principal` is a resource-based policy (a
    // bucket, key or endpoint policy, a resource control policy): not an SCP, whatever it says,
    // unless something deploys it as SCP content (then it is that policy's content, not this file)
    let resource_based = p.origin.format == Format::PolicyJson
        && matches!(p.policy_type.val, PVal::Absent)
        && doc.statements.iter().any(|s| s.principal.is_some() || s.not_principal.is_some());
    let is_scp = match &p.policy_type.val {
        _ if resource_based => Tri::False,
        PVal::Absent => Tri::True,
        PVal::Known(serde_json::Value::String(t)) => {
            if t == "SERVICE_CONTROL_POLICY" {
                Tri::True
            } else {
                Tri::False
            }
        }
        _ => Tri::Unknown,
    };
    let statements: Vec<StatementFacts> = doc.statements.iter().map(statement).collect();
    let mut content = statements.iter().map(|s| s.effect).max().unwrap_or(RootEffect::None);
    if doc.unread_statements > 0 {
        // statements not read may deny root, but AWS rejects the policy (see `MAX_STATEMENTS`)
        content = content.max(RootEffect::Ineffective);
    }
    if let Some(u) = &doc.unknown {
        content = RootEffect::Unknown;
        invalid.clear();
        let _ = u;
    }
    if doc.unknown.is_none() {
        match &doc.version.val {
            PVal::Absent => invalid.push(reason(
                Code::NoVersion,
                RootEffect::Ineffective,
                "the policy has no `Version`; every SCP must say `\"Version\": \"2012-10-17\"`".into(),
                &doc.loc,
            )),
            PVal::Known(serde_json::Value::String(v)) if v == "2012-10-17" => {}
            PVal::Known(v) => invalid.push(reason(
                Code::BadVersion,
                RootEffect::Ineffective,
                format!("`Version` is {v}; an SCP must use `2012-10-17`"),
                doc.version.loc.as_ref().unwrap_or(&doc.loc),
            )),
            _ => {}
        }
        if let Some(n) = doc.size_bytes
            && n > MAX_SCP_BYTES
            && is_scp != Tri::False
        {
            invalid.push(reason(
                Code::TooLarge,
                RootEffect::Ineffective,
                format!("the policy is {n} bytes as submitted; an SCP may have at most {MAX_SCP_BYTES}"),
                &doc.loc,
            ));
        }
        for (l, m) in &doc.problems {
            invalid.push(reason(Code::Shape, RootEffect::Ineffective, m.clone(), l));
        }
        if is_scp != Tri::False {
            for s in &doc.statements {
                for mut g in shape(s) {
                    g.message.push_str(": AWS rejects the whole policy");
                    invalid.push(g);
                }
            }
        }
    }
    let mut warnings: Vec<Reason> = statements
        .iter()
        .flat_map(|s| s.reasons.iter().filter(|r| r.effect == RootEffect::Full).cloned())
        .collect();
    if is_scp == Tri::False {
        // the SCP grammar, size and conditions do not apply to a backup, tag, AI opt-out,
        // declarative or resource control policy, nor to a resource-based policy
        invalid.clear();
        warnings.clear();
    }
    let attached = match &p.targets {
        Targets::List(t) if t.is_empty() => Tri::False,
        Targets::List(t) if t.iter().all(|t| t.kind == TargetKind::Unknown) => Tri::Unknown,
        Targets::List(_) => Tri::True,
        Targets::Unknown { .. } => Tri::Unknown,
    };
    // a statement the code writes and a value switches off decides the policy when the policy
    // denies root only through it; one a value may switch off, when it would deny root more
    let switched: Vec<(RootEffect, &Gate)> = doc.switched.iter().map(|s| (statement(&s.statement).effect, &s.gate)).collect();
    let gate = switched
        .iter()
        .find(|(e, g)| g.value == Tri::Unknown && *e > content)
        .or_else(|| {
            switched
                .iter()
                .find(|(e, g)| g.value == Tri::False && *e > RootEffect::None && content == RootEffect::None)
        })
        .map(|(_, g)| (*g).clone());
    let best_stmt = statements.iter().filter(|s| s.effect == content).min_by_key(|s| s.index);
    let first_of = |e: RootEffect| best_stmt.and_then(|s| s.reasons.iter().find(|r| r.effect == e)).cloned();
    let created = p.origin.created();
    let (status, decisive) = if (content == RootEffect::None && gate.is_none()) || resource_based {
        (None, None)
    } else if created == Tri::False {
        let g = p.origin.deciding_gate();
        (
            Some("switched-off"),
            g.map(|g| reason(Code::SwitchedOff, RootEffect::Ineffective, g.reason.clone(), &g.loc)),
        )
    } else if created == Tri::Unknown {
        let g = p.origin.deciding_gate();
        (
            Some("unknown"),
            g.map(|g| {
                reason(
                    Code::GateUnknown,
                    RootEffect::Unknown,
                    format!("`{}` is not known statically: {}", g.expr, g.reason),
                    &g.loc,
                )
            }),
        )
    } else if let Some(g) = &gate {
        if g.value == Tri::False {
            (
                Some("switched-off"),
                Some(reason(Code::SwitchedOff, RootEffect::Ineffective, g.reason.clone(), &g.loc)),
            )
        } else {
            (
                Some("unknown"),
                Some(reason(
                    Code::GateUnknown,
                    RootEffect::Unknown,
                    format!("`{}` is not known statically: {}", g.expr, g.reason),
                    &g.loc,
                )),
            )
        }
    } else if content == RootEffect::Unknown {
        let d = doc.unknown.as_ref().map(|u| {
            reason(
                Code::ContentUnknown,
                RootEffect::Unknown,
                format!("the policy content is not known statically: {u}"),
                &doc.loc,
            )
        });
        (Some("unknown"), d.or_else(|| first_of(RootEffect::Unknown)))
    } else if is_scp == Tri::Unknown {
        (
            Some("unknown"),
            Some(reason(
                Code::TypeUnknown,
                RootEffect::Unknown,
                "the policy type is not known statically".into(),
                p.policy_type.loc.as_ref().unwrap_or(&decl_loc),
            )),
        )
    } else if attached == Tri::Unknown {
        let l = match &p.targets {
            Targets::Unknown { loc, reason: why } => reason(
                Code::TargetsUnknown,
                RootEffect::Unknown,
                format!("the attachment targets are not known statically: {why}"),
                loc,
            ),
            // a target whose value is not known says so; only known texts are invalid ids
            Targets::List(t) => match t.iter().find_map(|t| t.unknown.as_ref().map(|why| (t, why))) {
                Some((t, why)) => reason(Code::TargetsUnknown, RootEffect::Unknown, why.clone(), &t.loc),
                None => reason(
                    Code::TargetsUnknown,
                    RootEffect::Unknown,
                    "no attachment target is a valid root, OU or account id".into(),
                    t.first().map_or(&decl_loc, |t| &t.loc),
                ),
            },
        };
        (Some("unknown"), Some(l))
    } else if is_scp == Tri::False {
        let t = p.policy_type.known_text().unwrap_or_default();
        (
            Some("ineffective"),
            Some(reason(
                Code::NotAnScp,
                RootEffect::Ineffective,
                format!("the policy type is `{t}`, not `SERVICE_CONTROL_POLICY`: it does not restrict principals"),
                p.policy_type.loc.as_ref().unwrap_or(&decl_loc),
            )),
        )
    } else if let Some(i) = invalid.first() {
        (Some("ineffective"), Some(i.clone()))
    } else if content == RootEffect::Ineffective {
        (Some("ineffective"), first_of(RootEffect::Ineffective))
    } else if attached == Tri::False {
        let at = best_stmt.and_then(|b| doc.statements.get(b.index)).map_or(&decl_loc, |s| &s.loc);
        (
            Some("unattached"),
            Some(reason(
                Code::Unattached,
                RootEffect::Ineffective,
                "this root deny is in a policy attached to no root, OU or account, so it protects nothing".into(),
                at,
            )),
        )
    } else if content == RootEffect::Partial {
        (Some("partial"), first_of(RootEffect::Partial))
    } else {
        (Some("enforced"), None)
    };
    PolicyFacts {
        is_scp,
        content,
        statements,
        invalid,
        warnings,
        attached,
        status,
        decisive,
        gate: gate.filter(|_| !resource_based && created == Tri::True),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Format, Origin, Prop};
    use crate::parse::json;
    use crate::source::FileId;

    fn facts(src: &str) -> PolicyFacts {
        facts_typed(src, None)
    }

    /// A stand-alone document (`ty` `None`), or the content of a CloudFormation policy of type
    /// `ty`.
    fn facts_typed(src: &str, ty: Option<&str>) -> PolicyFacts {
        let root = json::parse(FileId(0), src, 0).root.unwrap();
        let loc = Loc::new(root.span, "");
        let p = OrgPolicy {
            origin: Origin {
                format: if ty.is_some() { Format::CloudFormation } else { Format::PolicyJson },
                name: "t.json".into(),
                loc: loc.clone(),
                via: vec![],
                gates: vec![],
            },
            name: Prop::absent(),
            policy_type: ty.map_or_else(Prop::absent, |t| Prop {
                val: PVal::Known(serde_json::Value::String(t.into())),
                loc: None,
            }),
            content: crate::model::PolicyDoc::from_node(&root, &loc, Some(src.len())),
            targets: Targets::List(vec![]),
        };
        policy(&p)
    }

    fn stmt(effect: &str, action: &str, cond: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"{effect}",{action},"Resource":"*","Condition":{cond}}}]}}"#)
    }

    #[test]
    fn statements_past_the_cap_make_the_policy_rejected_not_missing() {
        let other = r#"{"Effect":"Deny","Action":"s3:x","Resource":"*"}"#;
        let root = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}"#;
        let n = crate::model::policy::MAX_STATEMENTS + 500;
        // the root deny past the cap: not read, yet the policy counts as an ineffective root deny
        let mut v: Vec<&str> = vec![other; n];
        v[n - 1] = root;
        let src = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, v.join(","));
        let f = facts(&src);
        assert_eq!(f.statements.len(), crate::model::policy::MAX_STATEMENTS);
        assert_eq!(f.content, RootEffect::Ineffective);
        assert_eq!(f.status, Some("ineffective"));
        assert!(
            f.invalid
                .iter()
                .any(|r| r.message.contains(&format!("the policy has {n} statements")))
        );
    }

    #[test]
    fn canonical_root_deny_is_full_and_unattached() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":["arn:aws:iam::*:root"]}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
        assert_eq!(f.status, Some("unattached"));
    }

    #[test]
    fn key_names_are_case_insensitive_and_stringlike_works() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"StringLike":{"aws:PrincipalARN":"arn:*:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
    }

    #[test]
    fn string_equals_with_wildcard_is_ineffective() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Ineffective);
        assert_eq!(f.status, Some("ineffective"));
        assert_eq!(f.decisive.unwrap().code, Code::StringEqualsWildcard);
    }

    #[test]
    fn arn_equals_honours_wildcards() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
    }

    #[test]
    fn allow_principal_type_and_username_are_ineffective() {
        for (e, c) in [
            ("Allow", r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#),
            ("Deny", r#"{"StringEquals":{"aws:PrincipalType":"Root"}}"#),
            ("Deny", r#"{"StringEquals":{"aws:username":"root"}}"#),
        ] {
            assert_eq!(facts(&stmt(e, r#""Action":"*""#, c)).content, RootEffect::Ineffective, "{e} {c}");
        }
        assert_eq!(
            facts(&stmt(
                "Deny",
                r#""Action":"*""#,
                r#"{"StringEquals":{"aws:PrincipalType":"Account"}}"#
            ))
            .content,
            RootEffect::Full
        );
    }

    #[test]
    fn narrowing_is_partial() {
        for (a, c) in [
            (
                r#""NotAction":["s3:GetBucketPolicy"]"#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
            ),
            (r#""Action":"iam:*""#, r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#),
            (
                r#""Action":"*""#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:root"}}"#,
            ),
            (
                r#""Action":"*""#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}"#,
            ),
            (
                r#""Action":"*""#,
                r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#,
            ),
        ] {
            assert_eq!(facts(&stmt("Deny", a, c)).content, RootEffect::Partial, "{a} {c}");
        }
    }

    #[test]
    fn assumed_root_exemption_is_not_narrowing() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Null":{"aws:AssumedRoot":"true"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
    }

    #[test]
    fn bool_mfa_warns() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"},"Bool":{"aws:MultiFactorAuthPresent":"false"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Partial);
        assert!(f.warnings.iter().any(|w| w.code == Code::MfaBool));
    }

    #[test]
    fn no_root_condition_is_not_a_root_deny() {
        let f = facts(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateAccessKey","Resource":"arn:aws:iam::*:root"}]}"#,
        );
        assert_eq!(f.content, RootEffect::None);
        assert_eq!(f.status, None);
    }

    #[test]
    fn missing_version_and_principal_make_it_ineffective() {
        let f = facts(
            r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}"#,
        );
        assert_eq!(f.status, Some("ineffective"));
        let with_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}"#;
        // deployed as an SCP, it is rejected as a whole: reported once, as a grammar error
        let f = facts_typed(with_principal, Some("SERVICE_CONTROL_POLICY"));
        assert_eq!(f.status, Some("ineffective"));
        assert_eq!(f.decisive.unwrap().code, Code::Principal);
        // a stand-alone document with `Principal` is a resource-based policy, not an SCP
        let f = facts(with_principal);
        assert_eq!((f.is_scp, f.status, f.invalid.len()), (Tri::False, None, 0));
    }

    /// A policy of another type is not judged by the SCP grammar (a backup policy has no
    /// `Version` nor `Statement`).
    #[test]
    fn other_policy_types_are_not_judged_as_scps() {
        let f = facts_typed(
            r#"{"plans":{"daily":{"regions":{"@@assign":["us-east-1"]}}}}"#,
            Some("BACKUP_POLICY"),
        );
        assert_eq!((f.is_scp, f.status, f.invalid.len(), f.warnings.len()), (Tri::False, None, 0, 0));
    }

    #[test]
    fn a_grammar_error_in_any_statement_rejects_the_policy() {
        let root = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}"#;
        for other in [
            r#"{"Effect":"Deny","Action":"s3:*","NotAction":"s3:Get*","Resource":"*"}"#,
            r#"{"Action":"s3:*","Resource":"*"}"#,
        ] {
            let f = facts(&format!(r#"{{"Version":"2012-10-17","Statement":[{root},{other}]}}"#));
            assert_eq!(f.status, Some("ineffective"), "{other}");
        }
    }

    #[test]
    fn unknown_targets_come_before_ineffective_content() {
        // the contract's order: unknown before ineffective
        let src = &stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}"#,
        );
        let root = json::parse(FileId(0), src, 0).root.unwrap();
        let loc = Loc::new(root.span, "");
        let p = OrgPolicy {
            origin: Origin {
                format: Format::CloudFormation,
                name: "p".into(),
                loc: loc.clone(),
                via: vec![],
                gates: vec![],
            },
            name: Prop::absent(),
            policy_type: Prop::absent(),
            content: crate::model::PolicyDoc::from_node(&root, &loc, Some(src.len())),
            targets: Targets::Unknown {
                reason: "a parameter without default".into(),
                loc,
            },
        };
        assert_eq!(policy(&p).status, Some("unknown"));
    }

    #[test]
    fn partition_placeholder_counts_as_every_account() {
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:${PARTITION}:iam::*:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Full);
        let f = facts(&stmt(
            "Deny",
            r#""Action":"*""#,
            r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${AWS::AccountId}:root"}}"#,
        ));
        assert_eq!(f.content, RootEffect::Partial);
    }

    /// An attached SCP (`doc`) with one statement `switched` its code writes under a gate of
    /// value `value`.
    fn with_switched(doc: &str, switched: &str, value: Tri) -> PolicyFacts {
        let root = json::parse(FileId(0), doc, 0).root.unwrap();
        let st = json::parse(FileId(1), switched, 0).root.unwrap();
        let loc = Loc::new(root.span, "");
        let gate = Gate {
            expr: "for_each = var.deny_root ? [1] : []".into(),
            value,
            loc: Loc::new(st.span, "dynamic.statement[1]/for_each"),
            decided_by: None,
            reason: "for_each is empty: `var.deny_root` is `false`".into(),
        };
        let p = OrgPolicy {
            origin: Origin {
                format: Format::Terraform,
                name: "aws_organizations_policy.scp".into(),
                loc: loc.clone(),
                via: vec![],
                gates: vec![],
            },
            name: Prop::absent(),
            policy_type: Prop {
                val: PVal::Known(serde_json::Value::String("SERVICE_CONTROL_POLICY".into())),
                loc: None,
            },
            content: crate::model::PolicyDoc::from_node(&root, &loc, Some(doc.len())).with_switched(vec![(st, gate)]),
            targets: Targets::List(vec![crate::model::Target {
                kind: TargetKind::Root,
                text: "r-ab12".into(),
                loc: loc.clone(),
                unknown: None,
                note: None,
            }]),
        };
        policy(&p)
    }

    /// A statement written in a `dynamic "statement"` block that a value switches off decides
    /// the policy only when the policy denies root through nothing else; one whose `for_each`
    /// is not known, whenever it would deny root more.
    #[test]
    fn a_switched_off_root_deny_decides_only_where_nothing_else_denies_root() {
        let root = r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}"#;
        let other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#;
        let f = with_switched(other, root, Tri::False);
        assert_eq!(f.content, RootEffect::None);
        assert_eq!(f.status, Some("switched-off"));
        let d = f.decisive.unwrap();
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::SwitchedOff, "for_each is empty: `var.deny_root` is `false`")
        );
        assert_eq!(f.gate.map(|g| g.value), Some(Tri::False));
        let f = with_switched(other, root, Tri::Unknown);
        assert_eq!(f.status, Some("unknown"));
        assert_eq!(f.decisive.map(|d| d.code), Some(Code::GateUnknown));
        // the policy's own statements deny root: the switched statement changes nothing
        let full = format!(r#"{{"Version":"2012-10-17","Statement":[{root}]}}"#);
        let f = with_switched(&full, root, Tri::False);
        assert_eq!((f.status, f.gate), (Some("enforced"), None));
        let f = with_switched(&full, root, Tri::Unknown);
        assert_eq!((f.status, f.gate), (Some("enforced"), None));
        // a switched statement that would not deny root decides nothing
        let leave = r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#;
        let f = with_switched(other, leave, Tri::False);
        assert_eq!((f.status, f.gate), (None, None));
        // a partial root deny, and a switch that may make it full: not known
        let partial = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}"#;
        assert_eq!(with_switched(partial, root, Tri::Unknown).status, Some("unknown"));
        assert_eq!(with_switched(partial, root, Tri::False).status, Some("partial"));
    }
}
