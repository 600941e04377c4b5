//! IAM wildcard matching: `*` matches any run of characters, `?` exactly one.

/// Does `pattern` match all of `text`?
#[must_use]
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `ArnLike` / `ArnEquals`: the six colon-separated parts are matched one by one (the last part
/// keeps any further colons).
#[must_use]
pub fn arn_matches(pattern: &str, arn: &str) -> bool {
    if !pattern.contains(':') {
        return pattern.chars().all(|c| c == '*') && !pattern.is_empty();
    }
    let pp: Vec<&str> = pattern.splitn(6, ':').collect();
    let ap: Vec<&str> = arn.splitn(6, ':').collect();
    pp.len() == 6 && ap.len() == 6 && pp.iter().zip(&ap).all(|(p, a)| matches(p, a))
}

/// Does an action pattern cover every action (`*`, `*:*`)?
#[must_use]
pub fn covers_all_actions(pattern: &str) -> bool {
    match pattern.split_once(':') {
        None => !pattern.is_empty() && pattern.chars().all(|c| c == '*'),
        Some((svc, act)) => !svc.is_empty() && !act.is_empty() && svc.chars().all(|c| c == '*') && act.chars().all(|c| c == '*'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        assert!(matches("*", ""));
        assert!(matches("arn:aws:iam::*:root", "arn:aws:iam::123456789012:root"));
        assert!(!matches("arn:aws:iam::*:root", "arn:aws:iam::123456789012:role/root"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*:root", "arn:aws:iam::1:root"));
        assert!(matches("a*b*c", "axxbyyc"));
        assert!(!matches("a*b*c", "axxbyy"));
    }

    #[test]
    fn arn_parts_are_matched_separately() {
        assert!(arn_matches("arn:*:iam::*:root", "arn:aws-us-gov:iam::123456789012:root"));
        // `*` within a part does not cross a colon
        assert!(!arn_matches("arn:aws:iam:*:root", "arn:aws:iam::123456789012:root"));
        assert!(arn_matches("*", "arn:aws:iam::123456789012:root"));
        assert!(!arn_matches("arn:aws:iam::*:user/*", "arn:aws:iam::123456789012:root"));
    }

    #[test]
    fn action_coverage() {
        assert!(covers_all_actions("*"));
        assert!(covers_all_actions("*:*"));
        assert!(!covers_all_actions("iam:*"));
        assert!(!covers_all_actions("s3:Get*"));
    }
}
