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
        // (line, base, [(cell, start, end)])
        type Case<'a> = (&'a str, usize, &'a [(&'a str, usize, usize)]);
        let cases: &[Case] = &[
            ("a,\"b,c\",,d", 10, &[("a", 10, 11), ("b,c", 12, 17), ("", 18, 18), ("d", 19, 20)]),
            ("a,", 0, &[("a", 0, 1), ("", 2, 2)]),
            ("", 0, &[("", 0, 0)]),
            (",", 5, &[("", 5, 5), ("", 6, 6)]),
            // a doubled quote inside quotes is one quote
            ("\"a\"\"b\",c", 0, &[("a\"b", 0, 6), ("c", 7, 8)]),
            // what follows a closing quote up to the comma belongs to the cell's range, not its text
            ("\"a\"x,b", 0, &[("a", 0, 4), ("b", 5, 6)]),
            // an unterminated quote runs to the end of the line
            ("\"ab,c", 0, &[("ab,c", 0, 5)]),
            // ranges are bytes: `é` is two
            ("é,\"ü\",x", 0, &[("é", 0, 2), ("ü", 3, 7), ("x", 8, 9)]),
        ];
        for (line, base, want) in cases {
            let got = csv_cells(line, *base);
            let got: Vec<(&str, usize, usize)> = got.iter().map(|(c, s, e)| (c.as_str(), *s, *e)).collect();
            assert_eq!(got, *want, "{line:?}");
        }
    }

    const HEADER: &str = "user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active,cert_1_active";

    /// (fact, value, start, end, logical path) of each fact read.
    fn facts(r: &Read) -> Vec<(Fact, bool, u32, u32, &str)> {
        r.facts
            .iter()
            .map(|(f, s)| (*f, s.value, s.loc.span.start, s.loc.span.end, s.loc.path.as_str()))
            .collect()
    }

    #[test]
    fn root_row_facts_with_exact_ranges() {
        let root = "<root_account>,arn:aws:iam::123456789012:root,not_supported,true,false,TRUE,N/A";
        let text = format!("{HEADER}\nalice,arn:aws:iam::123456789012:user/alice,true,false,true,false,false\n{root}\n");
        let at = text.find("<root_account>").unwrap_or_default() as u32;
        let r = credential_report(FileId(0), &text, 0).unwrap();
        assert_eq!(r.kind, ExportKind::CredentialReport);
        let (acct, loc) = r.account.clone().unwrap();
        assert_eq!(acct, "123456789012");
        assert_eq!((loc.span.start, loc.span.end, loc.path.as_str()), (at + 15, at + 45, "row 3/arn"));
        assert_eq!(
            facts(&r),
            [
                // `not_supported` (password) and `N/A` (certificate) say nothing
                (Fact::Mfa, true, at + 60, at + 64, "<root_account>/mfa_active"),
                (Fact::Keys, false, at + 65, at + 70, "<root_account>/access_key_1_active"),
                (Fact::Keys, true, at + 71, at + 75, "<root_account>/access_key_2_active"),
            ]
        );

        // CRLF line ends and a BOM: ranges stop before `\r`; a used password is a fact
        let text = "\u{feff}user,arn,password_enabled,password_last_used,mfa_active,access_key_1_active,access_key_2_active\r\n<root_account>,arn:aws:iam::111122223333:root,false,2024-05-01T10:00:00+00:00,false,false,false\r\n";
        let at = text.find("<root_account>").unwrap_or_default() as u32;
        let r = credential_report(FileId(0), text, 0).unwrap();
        assert_eq!(
            facts(&r),
            [
                (Fact::Mfa, false, at + 78, at + 83, "<root_account>/mfa_active"),
                (Fact::Password, false, at + 46, at + 51, "<root_account>/password_enabled"),
                (Fact::Keys, false, at + 84, at + 89, "<root_account>/access_key_1_active"),
                (Fact::Keys, false, at + 90, at + 95, "<root_account>/access_key_2_active"),
                (Fact::PasswordUsed, true, at + 52, at + 77, "<root_account>/password_last_used"),
            ]
        );
    }

    #[test]
    fn damaged_reports_are_problems_with_exact_ranges() {
        let row = "<root_account>,arn:aws:iam::123456789012:root,false,true,false,false,false";
        let h = HEADER.len();
        // (text, message part, start, end)
        let cases: Vec<(String, &str, usize, usize)> = vec![
            (String::new(), "without the credential report column `user`", 0, 0),
            (
                "user,arn,password_enabled,access_key_1_active,access_key_2_active\n".to_owned(),
                "without the credential report column `mfa_active`",
                0,
                65,
            ),
            (
                format!("{HEADER}\n{row}\nbob,arn,true\n"),
                "line 3 has 3 cells, the header 7: the report is cut short or damaged",
                h + row.len() + 2,
                h + row.len() + 14,
            ),
            (
                format!("{HEADER}\n{row},extra\n"),
                "line 2 has 8 cells, the header 7",
                h + 1,
                h + 1 + row.len() + 6,
            ),
            (
                format!("{HEADER}\nbob,arn:aws:iam::123456789012:user/bob,true,true,false,false,false\n"),
                "has no `<root_account>` row",
                0,
                h,
            ),
            (
                format!("{HEADER}\n<root_account>,arn:aws:iam::123456789012:root,false,maybe,false,false,false\n"),
                "`mfa_active` of `<root_account>` is neither true nor false",
                h + 1 + 52,
                h + 1 + 57,
            ),
            (
                format!("{HEADER}\n<root_account>,arn:aws:iam::123456789012:root,false,,false,false,false\n"),
                "`mfa_active` of `<root_account>` is neither true nor false",
                h + 1 + 52,
                h + 1 + 52,
            ),
        ];
        for (text, message, start, end) in cases {
            let Err(p) = credential_report(FileId(0), &text, 0) else {
                panic!("{text:?} was read");
            };
            assert!(p.message.contains(message), "{text:?}: {}", p.message);
            assert_eq!(
                (p.loc.span.start as usize, p.loc.span.end as usize),
                (start, end),
                "{text:?}: {}",
                p.message
            );
        }
    }
}
