//! Public registry modules known to declare no guardrail (`known-modules.tsv`, shipped with
//! rootguard): an unread call to one of them, at a version whose source was read, does not make
//! a guardrail `unknown`. A call is vouched for only when every version its `version`
//! constraint allows lies in the listed range; a call without `version` is not (any future
//! release could add a guardrail resource).

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::version::Version;

/// One row of the data file.
#[derive(Debug)]
pub struct Known {
    /// The registry source, lowercase, without a `registry.terraform.io/` host.
    pub source: String,
    /// The version range read, as written (`>= 5.0, < 6.0`). The data file also names the
    /// commit of the module's repository that was read, for whoever reviews the list.
    pub range: String,
}

const DATA: &str = include_str!("known-modules.tsv");

/// The rows of the shipped data file.
pub fn all() -> &'static [Known] {
    static ROWS: OnceLock<Vec<Known>> = OnceLock::new();
    ROWS.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                Some(Known {
                    source: normalize(cols.next()?),
                    range: cols.next()?.to_owned(),
                })
            })
            .collect()
    })
}

/// A registry source as the data file spells it: lowercase (registry addresses are
/// case-insensitive), without the default host.
fn normalize(source: &str) -> String {
    let s = source.trim().to_ascii_lowercase();
    s.strip_prefix("registry.terraform.io/").map(str::to_owned).unwrap_or(s)
}

/// The row that vouches for a call of `source` with the `version` constraint, if any.
#[must_use]
pub fn vouches(source: &str, version: Option<&str>) -> Option<&'static Known> {
    let source = normalize(source);
    let call = Range::of(version?)?;
    all()
        .iter()
        .find(|k| k.source == source && Range::of(&k.range).is_some_and(|r| r.contains(&call)))
}

#[derive(Clone, Debug)]
struct Bound {
    v: Version,
    inclusive: bool,
}

/// The versions a constraint allows, as one interval (`!=` only removes points, so it is left
/// out: the interval is never smaller than the set it stands for).
#[derive(Clone, Debug, Default)]
struct Range {
    lo: Option<Bound>,
    hi: Option<Bound>,
}

impl Range {
    fn of(constraint: &str) -> Option<Range> {
        let mut r = Range::default();
        let mut any = false;
        for part in constraint.split(',') {
            let p = part.trim();
            let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
                .iter()
                .find_map(|op| p.strip_prefix(op).map(|rest| (*op, rest.trim())))
                .unwrap_or(("=", p));
            let v = Version::parse(rest)?;
            any = true;
            let b = |inclusive| Bound { v: v.clone(), inclusive };
            match op {
                "=" => {
                    r.raise(b(true));
                    r.lower(b(true));
                }
                ">=" => r.raise(b(true)),
                ">" => r.raise(b(false)),
                "<=" => r.lower(b(true)),
                "<" => r.lower(b(false)),
                "~>" => {
                    r.raise(b(true));
                    // `~> 1.2.3` < 1.3; `~> 1.2` < 2; `~> 1` has no upper bound (go-version)
                    let written: Vec<&str> = rest.split(['-', '+']).next().unwrap_or("").split('.').collect();
                    if written.len() >= 2 {
                        let keep = written.len() - 2;
                        let mut segs: Vec<u64> = written[..keep].iter().filter_map(|s| s.parse().ok()).collect();
                        segs.push(written[keep].parse::<u64>().ok()?.checked_add(1)?);
                        let text = segs.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
                        r.lower(Bound {
                            v: Version::parse(&text)?,
                            inclusive: false,
                        });
                    }
                }
                _ => {} // `!=`
            }
        }
        any.then_some(r)
    }

    /// Tighten the lower bound.
    fn raise(&mut self, b: Bound) {
        let tighter = match &self.lo {
            None => true,
            Some(lo) => match b.v.compare(&lo.v) {
                Ordering::Greater => true,
                Ordering::Equal => !b.inclusive,
                Ordering::Less => false,
            },
        };
        if tighter {
            self.lo = Some(b);
        }
    }

    /// Tighten the upper bound.
    fn lower(&mut self, b: Bound) {
        let tighter = match &self.hi {
            None => true,
            Some(hi) => match b.v.compare(&hi.v) {
                Ordering::Less => true,
                Ordering::Equal => !b.inclusive,
                Ordering::Greater => false,
            },
        };
        if tighter {
            self.hi = Some(b);
        }
    }

    /// Does every version of `inner` lie in `self`?
    fn contains(&self, inner: &Range) -> bool {
        let lo_ok = match (&self.lo, &inner.lo) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(o), Some(i)) => match i.v.compare(&o.v) {
                Ordering::Greater => true,
                Ordering::Equal => o.inclusive || !i.inclusive,
                Ordering::Less => false,
            },
        };
        let hi_ok = match (&self.hi, &inner.hi) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(o), Some(i)) => match i.v.compare(&o.v) {
                Ordering::Less => true,
                Ordering::Equal => o.inclusive || !i.inclusive,
                Ordering::Greater => false,
            },
        };
        lo_ok && hi_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_the_commit_read() {
        for line in DATA.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "{line}");
            assert!(cols[2].len() == 40 && cols[2].bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
        }
    }

    #[test]
    fn every_row_reads_and_has_a_bounded_range() {
        assert!(all().len() > 40, "{}", all().len());
        for k in all() {
            let r = Range::of(&k.range).unwrap_or_else(|| panic!("{}: `{}`", k.source, k.range));
            assert!(r.lo.is_some() || r.hi.is_some(), "{} vouches for every version", k.source);
            assert!(
                !k.source.contains("cloudwatch"),
                "the cloudwatch modules create metric filters and alarms"
            );
        }
    }

    #[test]
    fn a_call_is_vouched_for_only_inside_the_range_read() {
        let vpc = "terraform-aws-modules/vpc/aws";
        // vpc is listed for >= 6.0, < 7.0
        for (version, vouched) in [
            (Some("~> 6.0"), true),
            (Some("6.4.1"), true),
            (Some("= 6.0.0"), true),
            (Some(">= 6.1, < 6.5"), true),
            (Some("~> 6.2.0"), true),
            (Some("~> 5.0"), false),
            (Some(">= 6.0"), false),
            (Some("~> 6"), false), // go-version: no upper bound
            (Some("7.0.0"), false),
            (Some(">= 5.9, < 6.5"), false),
            (Some("not a version"), false),
            (None, false),
        ] {
            assert_eq!(vouches(vpc, version).is_some(), vouched, "{version:?}");
        }
        // the registry host and the case do not matter; a submodule is its own source
        assert!(vouches("registry.terraform.io/Terraform-AWS-Modules/VPC/aws", Some("6.0.0")).is_some());
        assert!(vouches("terraform-aws-modules/vpc/aws//modules/flow-log", Some("6.0.0")).is_some());
        assert!(vouches("terraform-aws-modules/vpc/aws//modules/nope", Some("6.0.0")).is_none());
        assert!(vouches("terraform-aws-modules/cloudwatch/aws//modules/cis-alarms", Some("5.0.0")).is_none());
        assert!(vouches("git::https://github.com/terraform-aws-modules/terraform-aws-vpc", Some("6.0.0")).is_none());
    }

    #[test]
    fn ranges_intersect_their_clauses() {
        let r = Range::of(">= 1.0, < 2.0, >= 1.5, != 1.7.0").unwrap();
        assert_eq!(
            r.lo.as_ref().map(|b| (b.v.clone(), b.inclusive)),
            Some((Version::parse("1.5").unwrap(), true))
        );
        assert_eq!(
            r.hi.as_ref().map(|b| (b.v.clone(), b.inclusive)),
            Some((Version::parse("2.0").unwrap(), false))
        );
        assert!(Range::of("").is_none());
        assert!(Range::of(">= x").is_none());
    }
}
