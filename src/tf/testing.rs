//! Helpers of the Terraform unit tests: configurations held in memory, and spans written the
//! way the tables state them (`main.tf:3:11-3:16 "b"`: file, start and end line:column, and
//! the text between).

use std::path::{Path, PathBuf};

use super::{Installed, Options, TfFile};
use crate::model::Model;
use crate::source::{Encoding, Sources, Span};

/// A span as `file:line:col-line:col` and its text in backticks.
pub(crate) fn at(sources: &Sources, span: Span) -> String {
    let f = sources.get(span.file);
    let (a, b) = sources.position(span);
    let text = f.text.get(span.range()).unwrap_or("?");
    format!("{}:{}:{}-{}:{} `{text}`", f.display, a.line, a.column, b.line, b.column)
}

/// The model of the Terraform configuration `files` (path, text): every directory a module,
/// evaluated as a scan would, with no variable files and the default options.
pub(crate) fn configuration(files: &[(&str, &str)]) -> (Sources, Model) {
    let mut sources = Sources::new();
    let mut model = Model::default();
    let mut tf = Vec::new();
    for (path, text) in files {
        let id = sources.add(PathBuf::from(path), (*path).to_owned(), (*text).to_owned(), Encoding::Utf8);
        let body = super::parse(id, text, &mut model).unwrap_or_else(|| panic!("{path} does not parse: {:?}", model.diagnostics));
        let dir = Path::new(path).parent().map(Path::to_path_buf).unwrap_or_default();
        tf.push(TfFile { id, dir, body });
    }
    super::analyze(&sources, &tf, &[], &[], &Installed::new(), &Options::default(), None, &mut model);
    (sources, model)
}

/// A property's value as the tables state it: the JSON of a known value, `unknown: WHY`,
/// `partial: TEXT` or `absent`.
pub(crate) fn value(p: &crate::model::Prop) -> String {
    use crate::model::PVal;
    match &p.val {
        PVal::Known(v) => v.to_string(),
        PVal::Partial(t) => format!("partial: {t}"),
        PVal::Unknown(why) => format!("unknown: {why}"),
        PVal::Absent => "absent".into(),
    }
}

/// What a table row looks for in a model: a value, and the span it is shown at.
pub(crate) type Query = fn(&Model) -> Option<(String, Span)>;

/// One row: its name, the configuration's files (path, text), the query, and the value and
/// location (see [`at`]) it must find.
pub(crate) type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], Query, &'a str, &'a str);

/// Check every row; all the rows that do not hold are reported at once.
pub(crate) fn check(rows: &[Row<'_>]) {
    let mut wrong = Vec::new();
    for (name, files, query, want, want_at) in rows {
        let (sources, model) = configuration(files);
        match query(&model) {
            Some((v, span)) => {
                let found = at(&sources, span);
                if v != *want || found != *want_at {
                    wrong.push(format!("{name}: {v} at {found}"));
                }
            }
            None => wrong.push(format!("{name}: nothing found in {model:#?}")),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
