//! The IAM credential report CSV: its cells with their byte ranges, and what the
//! `<root_account>` row says.

use super::read::read_of;
use super::{ExportKind, Fact, Problem, Read, Seen, arn_account, problem};
use crate::model::Loc;
use crate::source::{FileId, Span};

/// The cells of one CSV line with their byte ranges (double-quoted cells are unquoted).
fn csv_cells(line: &str, base: usize) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        let mut cell = String::new();
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        cell.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                let ch_end = line[i..].chars().next().map_or(i + 1, |c| i + c.len_utf8());
                cell.push_str(&line[i..ch_end]);
                i = ch_end;
            }
            while i < b.len() && b[i] != b',' {
                i += 1;
            }
        } else {
            let end = line[i..].find(',').map_or(line.len(), |k| i + k);
            cell.push_str(&line[i..end]);
            i = end;
        }
        out.push((cell, base + start, base + i));
        if i >= b.len() {
            break;
        }
        i += 1; // the comma
        if i == b.len() {
            out.push((String::new(), base + i, base + i));
            break;
        }
    }
    out
}

pub(super) fn credential_report(id: FileId, text: &str, base: usize) -> Result<Read, Problem> {
    let mut r = read_of(ExportKind::CredentialReport, id);
    let mut lines = Vec::new();
    let mut off = 0;
    for l in text.split('\n') {
        let content = l.strip_suffix('\r').unwrap_or(l);
        lines.push((content, base + off));
        off += l.len() + 1;
    }
    let Some(&(header, hoff)) = lines.first() else {
        return Err(problem(id, 0, 0, "an empty credential report"));
    };
    let head: Vec<String> = csv_cells(header.trim_start_matches('\u{feff}'), hoff)
        .into_iter()
        .map(|c| c.0)
        .collect();
    let col = |name: &str| head.iter().position(|h| h == name);
    let required = [
        "user",
        "arn",
        "password_enabled",
        "mfa_active",
        "access_key_1_active",
        "access_key_2_active",
    ];
    if let Some(missing) = required.iter().find(|c| col(c).is_none()) {
        return Err(problem(
            id,
            hoff,
            hoff + header.len(),
            format!("a CSV without the credential report column `{missing}`"),
        ));
    }
    let idx = |name: &str| col(name).unwrap_or(usize::MAX);
    let mut root_row = None;
    for (n, &(line, loff)) in lines.iter().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cells = csv_cells(line, loff);
        if cells.len() != head.len() {
            return Err(problem(
                id,
                loff,
                loff + line.len(),
                format!(
                    "line {} has {} cells, the header {}: the report is cut short or damaged",
                    n + 1,
                    cells.len(),
                    head.len()
                ),
            ));
        }
        if cells.get(idx("user")).is_some_and(|c| c.0 == "<root_account>") {
            root_row = Some((cells, n));
        }
    }
    let Some((cells, n)) = root_row else {
        return Err(problem(
            id,
            hoff,
            hoff + header.len(),
            "the credential report has no `<root_account>` row, so it says nothing about the root user",
        ));
    };
    let cell = |name: &str| cells.get(idx(name));
    if let Some((arn, s, e)) = cell("arn")
        && let Some((acct, _)) = arn_account(arn)
    {
        r.account = Some((acct.to_owned(), Loc::new(Span::new(id, *s, *e), format!("row {}/arn", n + 1))));
    }
    for (name, fact) in [
        ("mfa_active", Fact::Mfa),
        ("password_enabled", Fact::Password),
        ("access_key_1_active", Fact::Keys),
        ("access_key_2_active", Fact::Keys),
        ("cert_1_active", Fact::Certs),
        ("cert_2_active", Fact::Certs),
    ] {
        let Some((v, s, e)) = cell(name) else { continue };
        let value = match v.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            // `not_supported` (the root password in older reports), `N/A`: says nothing
            _ => continue,
        };
        r.facts.push((
            fact,
            Seen {
                value,
                loc: Loc::new(Span::new(id, *s, *e), format!("<root_account>/{name}")),
                from: r.kind,
            },
        ));
    }
    // a date here: the root user signed in with a password, so it has (or had) one
    if let Some((v, s, e)) = cell("password_last_used")
        && !matches!(v.to_ascii_lowercase().as_str(), "" | "n/a" | "no_information" | "not_supported")
    {
        r.facts.push((
            Fact::PasswordUsed,
            Seen {
                value: true,
                loc: Loc::new(Span::new(id, *s, *e), "<root_account>/password_last_used".to_owned()),
                from: r.kind,
            },
        ));
    }
    if !r.facts.iter().any(|(f, _)| *f == Fact::Mfa) {
        let (_, s, e) = cell("mfa_active").cloned().unwrap_or_default();
        return Err(problem(id, s, e, "`mfa_active` of `<root_account>` is neither true nor false"));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_with_offsets_and_quotes() {
        let c = csv_cells("a,\"b,c\",,d", 10);
        let cells: Vec<&str> = c.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(cells, ["a", "b,c", "", "d"]);
        assert_eq!((c[0].1, c[0].2), (10, 11));
        assert_eq!((c[3].1, c[3].2), (19, 20));
        assert_eq!(csv_cells("a,", 0).len(), 2);
    }
}
