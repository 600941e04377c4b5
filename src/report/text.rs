//! Text from scanned files (file names, values, names) made safe for the medium it is printed
//! in: a file name with a newline must not forge a report line, an ANSI escape must not drive the
//! terminal, and a value with Markdown must not become a link, an image or a mention.

/// Is `c` a character that moves or styles a terminal, or reorders text (bidirectional
/// controls), rather than showing a glyph?
fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One line of terminal text: every control character (newlines too) written as a visible
/// escape (`\n`, `\u{1b}`).
#[must_use]
pub fn terminal(s: &str) -> String {
    if !s.chars().any(is_control) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push(' '),
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Source text shown in an excerpt: lines stay lines (`\n`, and `\r` before it), tabs stay, and
/// every other control character becomes `?` bytes of the same length, so byte offsets into
/// the text still hold.
#[must_use]
pub fn terminal_source(s: &str) -> String {
    if !s.chars().any(|c| is_control(c) && c != '\n' && c != '\t' && c != '\r') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_control(c) && !keep {
            out.push_str(&"?".repeat(c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Text in a Markdown table cell: no line breaks, no cell break, and none of the constructs a
/// value could use to become something else (emphasis, code, links, images, HTML, mentions,
/// references).
#[must_use]
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '|' | '~' | '&' | '#' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // a word joiner after `@` keeps it from being a mention
            '@' => out.push_str("@\u{2060}"),
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `s` literally (fenced with more backticks than any run in it),
/// safe in a table cell.
#[must_use]
pub fn markdown_code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' || is_control(c) { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let mut longest = 0usize;
    let mut run = 0usize;
    for c in clean.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if longest > 0 || clean.starts_with(' ') || clean.ends_with(' ') {
        format!("{fence} {clean} {fence}")
    } else {
        format!("{fence}{clean}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_has_no_control_characters() {
        assert_eq!(terminal("a\nb\x1b[31mc"), "a\\nb\\u{1b}[31mc");
        assert_eq!(terminal("evil\u{202e}txt"), "evil\\u{202e}txt");
        assert_eq!(terminal("plain"), "plain");
        let src = "a: \x1b[2J\r\nb: \u{202e}x\n";
        let clean = terminal_source(src);
        assert_eq!(clean.len(), src.len());
        assert_eq!(clean, "a: ?[2J\r\nb: ???x\n");
    }

    #[test]
    fn markdown_cannot_become_links_images_html_or_mentions() {
        let m = markdown("![x](https://t.example/p.png) [y](https://e.example) <img src=x> @admins `code` | cell\nline");
        assert!(!m.contains("!["), "{m}");
        assert!(!m.contains("](") || m.contains("\\]("), "{m}");
        assert!(m.contains("\\<img"), "{m}");
        assert!(m.contains("@\u{2060}admins"), "{m}");
        assert!(m.contains("\\`code\\`") && m.contains("\\| cell line"), "{m}");
        assert_eq!(markdown_code("a`b|c\nd"), "`` a`b\\|c d ``");
        assert_eq!(markdown_code("plain.tf"), "`plain.tf`");
    }
}
