//! Property tests: line and column arithmetic, IAM wildcard matching, the verdict lattice.
// test helpers may unwrap: a failure is a failed test
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use rootguard::analyze::{combine, rank, wildcard};
use rootguard::source::{Encoding, Sources, Span, ceil_char_boundary, floor_char_boundary};

/// The reference: position by counting from the start.
fn naive(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The reference matcher: backtracking over characters.
fn glob(p: &[char], t: &[char]) -> bool {
    match (p.first(), t.first()) {
        (None, None) => true,
        (Some('*'), _) => glob(&p[1..], t) || (!t.is_empty() && glob(p, &t[1..])),
        (Some('?'), Some(_)) => glob(&p[1..], &t[1..]),
        (Some(a), Some(b)) if a == b => glob(&p[1..], &t[1..]),
        _ => false,
    }
}

const STATUSES: [&str; 9] = [
    "deployed",
    "partial",
    "unknown",
    "unattached",
    "misconfigured",
    "ineffective",
    "switched-off",
    "missing",
    "incomplete",
];

proptest! {
    #[test]
    fn line_and_column_match_counting(text in "[a\\n\\r\u{e9}\u{1F600}\t ]{0,60}", offset in 0usize..80) {
        let mut s = Sources::new();
        let id = s.add("t".into(), "t".into(), text.clone(), Encoding::Utf8);
        let (a, _) = s.position(Span::new(id, offset, offset));
        prop_assert_eq!((a.line, a.column), naive(&text, offset));
    }

    #[test]
    fn char_boundaries_bracket_the_offset(text in "[a\u{e9}\u{1F600}]{0,20}", offset in 0usize..100) {
        let lo = floor_char_boundary(&text, offset);
        let hi = ceil_char_boundary(&text, offset);
        prop_assert!(lo <= offset.min(text.len()) && text.is_char_boundary(lo));
        prop_assert!(hi >= offset.min(text.len()) && hi <= text.len() && text.is_char_boundary(hi));
    }

    #[test]
    fn wildcards_match_like_the_reference(p in "[ab*?:]{0,8}", t in "[ab:]{0,10}") {
        let pc: Vec<char> = p.chars().collect();
        let tc: Vec<char> = t.chars().collect();
        prop_assert_eq!(wildcard::matches(&p, &t), glob(&pc, &tc), "pattern {} text {}", p, t);
    }

    #[test]
    fn a_text_matches_itself_and_a_star(t in "[a-z0-9:/-]{0,30}") {
        prop_assert!(wildcard::matches(&t, &t));
        prop_assert!(wildcard::matches("*", &t));
        let with_star = format!("{t}*");
        prop_assert!(wildcard::matches(&with_star, &t));
    }

    #[test]
    fn root_arns_of_any_account_match_the_canonical_pattern(acct in "[0-9]{12}", part in "aws|aws-cn|aws-us-gov") {
        let arn = format!("arn:{part}:iam::{acct}:root");
        prop_assert!(wildcard::arn_matches("arn:*:iam::*:root", &arn));
        let user = format!("arn:{part}:iam::{acct}:user/root");
        prop_assert!(!wildcard::arn_matches("arn:*:iam::*:root", &user));
    }

    #[test]
    fn the_verdict_is_the_best_declaration_in_any_order(mut picks in proptest::collection::vec(0usize..9, 0..8), seed in any::<u64>()) {
        let statuses: Vec<&'static str> = picks.iter().map(|i| STATUSES[*i]).collect();
        let v = combine("root-deny-scp", &statuses);
        // order does not matter
        let by = usize::try_from(seed % 8).unwrap_or(0).min(picks.len());
        picks.rotate_left(by);
        let rotated: Vec<&'static str> = picks.iter().map(|i| STATUSES[*i]).collect();
        prop_assert_eq!(rank(combine("root-deny-scp", &rotated)), rank(v));
        // it is one of the declarations (or `missing` when there is none) and none ranks above it
        prop_assert!(statuses.contains(&v) || (statuses.is_empty() && v == "missing"));
        prop_assert!(statuses.iter().all(|s| rank(s) <= rank(v)));
        // adding a declaration never makes the verdict worse
        for extra in STATUSES {
            let mut more = statuses.clone();
            more.push(extra);
            prop_assert!(rank(combine("root-deny-scp", &more)) >= rank(v));
        }
        // idempotent: the verdict of the verdict is itself
        prop_assert_eq!(combine("root-deny-scp", &[v]), v);
    }

    #[test]
    fn one_disabled_security_hub_control_wins(picks in proptest::collection::vec(0usize..3, 0..6)) {
        let names = ["enabled", "disabled", "not-declared"];
        let statuses: Vec<&'static str> = picks.iter().map(|i| names[*i]).collect();
        let v = combine("securityhub-root-mfa-controls", &statuses);
        if statuses.contains(&"disabled") {
            prop_assert_eq!(v, "disabled");
        } else if statuses.contains(&"enabled") {
            prop_assert_eq!(v, "enabled");
        } else {
            prop_assert_eq!(v, "not-declared");
        }
    }
}
