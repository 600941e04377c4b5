//! What every module instance of one Terraform evaluation shares: the files and modules, the
//! values kept for policy analysis, the files read, and the stack of values under evaluation
//! (a value read again while it is evaluated is a reference cycle).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::TfFile;
use super::dirs::ModuleDirs;
use super::installed::Installed;
use crate::model::Loc;
use crate::parse::Diagnostic;
use crate::parse::tree::{Node, Value};
use crate::source::{FileId, Sources, Span};

pub(crate) struct World<'a> {
    pub sources: &'a Sources,
    pub modules: BTreeMap<PathBuf, Vec<&'a TfFile>>,
    pub structured: RefCell<BTreeMap<Span, Node>>,
    pub installed: &'a Installed,
    pub known: Option<globset::GlobSet>,
    /// The scanned paths: `file()` and `templatefile()` read only below them.
    pub roots: Vec<PathBuf>,
    /// The same, resolved, for the reader.
    pub confine: crate::source::Roots,
    pub max_file_bytes: u64,
    /// Scanned files read by `file()` / `templatefile()` (their own declarations are the module's).
    pub consumed: RefCell<BTreeSet<FileId>>,
    /// The span of a `file()` call → the scanned file it read.
    pub file_reads: RefCell<BTreeMap<Span, FileId>>,
    /// Why the targets of policies without an attachment of their own are not known: an
    /// attachment whose policy is not a resource of its own module instance, or attachments
    /// beyond the `instances` limit.
    pub unlinked_attachment: RefCell<Option<(String, Loc)>>,
    pub pruned: &'a BTreeSet<PathBuf>,
    /// Module directories by real path.
    pub dirs: ModuleDirs,
    /// The values under evaluation, innermost last (`local.a`, `module.m.var.x`,
    /// `module.m.output.y`, `data.aws_iam_policy_document.d`): reading one of them again is a
    /// reference cycle.
    pub stack: RefCell<Vec<String>>,
    /// The values found in a reference cycle, with the cycle: all of them are unknown.
    pub cyclic: RefCell<BTreeMap<String, String>>,
    /// The nesting an evaluation starts at: that of the reference being evaluated.
    pub depth: Cell<usize>,
}

impl World<'_> {
    /// Is this module source declared as not declaring guardrails?
    pub fn known_clean(&self, source: &str) -> bool {
        self.known.as_ref().is_some_and(|g| g.is_match(source))
    }

    /// Start evaluating the value named `key`, read at `at` by an evaluation at nesting `depth`.
    /// A value already under evaluation is a reference cycle: a diagnostic names the chain as
    /// Terraform does (`Cycle: local.a, local.b`), and the value read is unknown.
    pub fn enter(&self, key: String, depth: usize, at: Span) -> Result<Entered<'_>, Node> {
        let mut stack = self.stack.borrow_mut();
        if let Some(i) = stack.iter().position(|k| *k == key) {
            let chain = stack[i..].join(", ");
            crate::limits::note(Diagnostic::error(
                at,
                "cycle",
                format!("Cycle: {chain}: these values refer to each other, which Terraform rejects; rootguard takes them as unknown"),
            ));
            let why = format!("a reference cycle (Cycle: {chain})");
            let mut cyclic = self.cyclic.borrow_mut();
            for k in &stack[i..] {
                cyclic.entry(k.clone()).or_insert_with(|| why.clone());
            }
            return Err(Node::new(at, Value::Unknown(why)));
        }
        stack.push(key);
        let prev = self.depth.replace(depth + 1);
        Ok(Entered {
            stack: &self.stack,
            depth: &self.depth,
            prev,
        })
    }
}

impl World<'_> {
    /// The value evaluated for `key`, or an unknown one when `key` turned out to be in a
    /// reference cycle (its value would depend on itself).
    pub(super) fn settle(&self, key: &str, v: Node) -> Node {
        match self.cyclic.borrow().get(key) {
            Some(why) => Node::new(v.span, Value::Unknown(why.clone())),
            None => v,
        }
    }
}

/// A value under evaluation (see [`World::enter`]); leaves the stack when dropped.
pub(crate) struct Entered<'w> {
    stack: &'w RefCell<Vec<String>>,
    depth: &'w Cell<usize>,
    prev: usize,
}

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.stack.borrow_mut().pop();
        self.depth.set(self.prev);
    }
}
