//! Resource limits: what a hostile input can make rootguard do is bounded, and reaching a bound is
//! a diagnostic (never a silent skip or pass). Set once per run from `--limit NAME=N`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::parse::Diagnostic;
use crate::parse::tree::{Node, Value};
use crate::source::Span;

/// Default largest file read, in bytes (`--max-file-size`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// The limits of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of YAML, JSON and HCL structures (brackets, braces, blocks).
    pub depth: usize,
    /// Deepest Terraform module nesting (a module that calls itself stops here).
    pub module_depth: usize,
    /// Most instances of one `count` / `for_each` resource or module call.
    pub instances: usize,
    /// Longest string a template, `format` or `join` may produce, in bytes.
    pub string_bytes: usize,
    /// The evaluation budget of one file's templates, and of the scan's Terraform
    /// configuration: steps, where values built or copied, text and module instances count too.
    pub eval_steps: u64,
    /// Most lines or entries directly inside one object literal `{ … }` of an HCL file (the
    /// HCL parser takes time quadratic in an object's keys).
    pub object_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 200,
            module_depth: 16,
            instances: 256,
            string_bytes: 1024 * 1024,
            eval_steps: 5_000_000,
            object_entries: 10_000,
        }
    }
}

/// The names accepted by `--limit`, with what they bound.
pub const NAMES: [(&str, &str); 6] = [
    ("depth", "nesting of YAML, JSON and HCL structures"),
    ("module-depth", "Terraform module nesting"),
    ("instances", "instances of one count/for_each"),
    ("string-bytes", "length of a string built by a template or function"),
    ("eval-steps", "evaluation budget per file and for the Terraform configuration"),
    ("object-entries", "lines or entries inside one object literal of an HCL file"),
];

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// The limits in force.
#[must_use]
pub fn get() -> Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Set the limits of this run (the first call wins).
pub fn set(l: Limits) {
    let _ = LIMITS.set(l);
}

/// Parse `NAME=N` settings over the defaults.
///
/// # Errors
/// An unknown name or a value that is not a positive number.
pub fn parse(settings: &[String]) -> Result<Limits, String> {
    let mut l = Limits::default();
    for s in settings {
        let (k, v) = s.split_once('=').ok_or_else(|| format!("--limit `{s}` is not NAME=N"))?;
        let n: u64 = v
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--limit {k}: `{v}` is not a positive number"))?;
        let n_usize = usize::try_from(n).unwrap_or(usize::MAX);
        match k.trim() {
            "depth" => l.depth = n_usize,
            "object-entries" => l.object_entries = n_usize,
            "module-depth" => l.module_depth = n_usize,
            "instances" => l.instances = n_usize,
            "string-bytes" => l.string_bytes = n_usize,
            "eval-steps" => l.eval_steps = n,
            other => {
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                return Err(format!("--limit: unknown limit `{other}` (known: {})", names.join(", ")));
            }
        }
    }
    Ok(l)
}

// ---------------------------------------------------------------------------------------------
// The evaluation budget

/// What one evaluation step costs.
pub const STEP: u64 = 1;
/// What one value (a list element, a map entry, a scalar) built or copied costs.
pub const VALUE: u64 = 4;
/// Bytes of text built or copied that cost one step.
pub const BYTES_PER_STEP: u64 = 8;
/// Most notes (limits reached, cycles) one budget keeps; the rest are counted in the last one.
const MAX_NOTES: usize = 64;

/// Why a value is unknown once the budget is spent.
#[must_use]
pub fn spent_reason() -> String {
    format!(
        "the evaluation budget of {} steps is spent (raise --limit eval-steps=N)",
        get().eval_steps
    )
}

/// What one unit of work (one file's templates, or the scan's Terraform configuration) may
/// spend on evaluation, and what it reports on the way: limits reached and reference cycles.
/// Every cost counts: expressions evaluated, values built or copied (by their size), text
/// built or read, module instances. The budget of a unit depends only on that unit's input,
/// never on other files, other scans or the thread it runs on.
struct Budget {
    left: u64,
    total: u64,
    spent: bool,
    notes: Vec<Diagnostic>,
    seen: BTreeSet<(Span, &'static str, String)>,
    dropped: usize,
}

impl Budget {
    fn new(total: u64) -> Self {
        Budget {
            left: total,
            total,
            spent: false,
            notes: Vec::new(),
            seen: BTreeSet::new(),
            dropped: 0,
        }
    }

    fn note(&mut self, d: Diagnostic) {
        if !self.seen.insert((d.span, d.code, d.message.clone())) {
            return;
        }
        if self.notes.len() >= MAX_NOTES {
            self.dropped += 1;
            return;
        }
        self.notes.push(d);
    }

    fn finish(mut self) -> Vec<Diagnostic> {
        if self.dropped > 0
            && let Some(last) = self.notes.last_mut()
        {
            last.message.push_str(&format!(
                " ({} more limit or cycle diagnostics in this evaluation are not shown)",
                self.dropped
            ));
        }
        self.notes
    }
}

thread_local! {
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Restores the enclosing budget when a scoped one ends (also on unwinding).
struct Restore(Option<Budget>);

impl Drop for Restore {
    fn drop(&mut self) {
        let prev = self.0.take();
        BUDGET.with(|b| *b.borrow_mut() = prev);
    }
}

/// Run `f` with a fresh evaluation budget of `--limit eval-steps` on this thread; returns its
/// result and the diagnostics of the evaluation (limits reached, cycles), in the order they
/// happened. Budgets nest: the enclosing one is restored afterwards, untouched.
pub fn scoped<R>(f: impl FnOnce() -> R) -> (R, Vec<Diagnostic>) {
    let restore = Restore(BUDGET.with(|b| b.replace(Some(Budget::new(get().eval_steps)))));
    let r = f();
    let mine = BUDGET.with(|b| b.borrow_mut().take());
    drop(restore);
    (r, mine.map(Budget::finish).unwrap_or_default())
}

/// `f` on the budget of this thread. Outside [`scoped`] (unit tests, library callers that
/// evaluate directly) a thread gets one budget of its own on first use.
fn with<R>(f: impl FnOnce(&mut Budget) -> R) -> R {
    BUDGET.with(|b| {
        let mut b = b.borrow_mut();
        let budget = b.get_or_insert_with(|| Budget::new(get().eval_steps));
        f(budget)
    })
}

/// Charge `cost` to the budget; false (and the value at hand must be unknown) when it does not
/// fit. The first time, a diagnostic at `at` says where evaluation stopped.
#[must_use]
pub fn charge(cost: u64, at: Span) -> bool {
    with(|b| {
        if !b.spent && cost <= b.left {
            b.left -= cost;
            return true;
        }
        if !b.spent {
            b.spent = true;
            b.left = 0;
            let total = b.total;
            b.note(Diagnostic::warning(
                at,
                "eval-budget",
                format!(
                    "evaluation stopped after {total} steps (expressions, values built or copied, text and module instances all count); values past this point are unknown (raise --limit eval-steps=N)"
                ),
            ));
        }
        false
    })
}

/// Count one evaluation step at `at`; false once the budget is spent.
#[must_use]
pub fn step(at: Span) -> bool {
    charge(STEP, at)
}

/// Charge `bytes` of text built or read.
#[must_use]
pub fn charge_bytes(bytes: usize, at: Span) -> bool {
    charge((bytes as u64).div_ceil(BYTES_PER_STEP), at)
}

/// Charge a copy of `n` (its size, see [`measure`]); false when it does not fit.
#[must_use]
pub fn charge_copy(n: &Node, at: Span) -> bool {
    let left = with(|b| b.left);
    let (cost, _) = measure(n, left.saturating_add(1));
    charge(cost, at)
}

/// What the evaluation under way on this thread has spent so far.
#[must_use]
pub fn used() -> u64 {
    with(|b| b.total - b.left)
}

/// Has the budget of this thread's evaluation run out?
#[must_use]
pub fn spent() -> bool {
    with(|b| b.spent)
}

/// Report a diagnostic of the evaluation under way (a limit reached, a cycle), once per
/// place and message.
pub fn note(d: Diagnostic) {
    with(|b| b.note(d));
}

/// Report that limit `name` (one of [`NAMES`]) of `value` was reached at `at`: `message` says
/// what was cut and what is unknown because of it; the way to raise the limit is added.
pub fn reached(name: &'static str, value: u64, at: Span, message: &str) {
    note(Diagnostic::warning(
        at,
        "limit",
        format!("limit `{name}` ({value}) reached: {message} (raise --limit {name}=N)"),
    ));
}

/// The cost of a copy of `n` (each value, map keys included, [`VALUE`], each
/// [`BYTES_PER_STEP`] bytes of text one step) and its nesting depth; counting stops once the cost passes `cap`. Iterative: the value
/// may be deeper than the stack allows recursion.
#[must_use]
pub fn measure(n: &Node, cap: u64) -> (u64, usize) {
    let (mut cost, mut depth) = (0u64, 0usize);
    let mut stack: Vec<(&Node, usize)> = vec![(n, 1)];
    while let Some((x, d)) = stack.pop() {
        depth = depth.max(d);
        cost = cost.saturating_add(VALUE);
        match &x.value {
            Value::String(t) | Value::Number(t) | Value::Unknown(t) => cost = cost.saturating_add((t.len() as u64) / BYTES_PER_STEP),
            Value::Seq(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Map(entries) => {
                for e in entries {
                    // the key is a value of its own
                    cost = cost.saturating_add(VALUE + (e.key.len() as u64) / BYTES_PER_STEP);
                    stack.push((&e.value, d + 1));
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
        if cost > cap {
            break;
        }
    }
    (cost, depth)
}

/// The bracket shape of a text, found in one pass outside double-quoted strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The deepest nesting of `(`, `[` and `{`.
    pub depth: usize,
    /// The most lines or entries (newlines and commas) directly inside one HCL object literal
    /// `{ … }` (a `{` in expression position: after `=`, `:`, `(`, `[`, `,` or `?`): an upper
    /// bound of the keys of any object literal. Block bodies are not counted.
    pub widest_object: usize,
}

/// The [`Shape`] of `text`: checked before the recursive parsers (and hcl-edit's object parser,
/// quadratic in an object's keys) see it.
#[must_use]
pub fn shape(text: &str) -> Shape {
    // per open bracket: does it open an object literal, and its entries so far
    let mut stack: Vec<(bool, usize)> = Vec::new();
    let mut out = Shape::default();
    let (mut in_str, mut esc, mut last) = (false, false, b'\n');
    for b in text.bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'(' | b'[' | b'{' => {
                stack.push((b == b'{' && matches!(last, b'=' | b':' | b'(' | b'[' | b',' | b'?'), 0));
                out.depth = out.depth.max(stack.len());
            }
            b')' | b']' | b'}' => {
                stack.pop();
            }
            b'\n' | b',' => {
                if let Some((true, n)) = stack.last_mut() {
                    *n += 1;
                    out.widest_object = out.widest_object.max(*n);
                }
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
    }
    out
}

/// The deepest bracket nesting of `text` (`(`, `[`, `{`), outside double-quoted strings.
#[must_use]
pub fn bracket_depth(text: &str) -> usize {
    shape(text).depth
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_settings() {
        let l = parse(&["depth=50".into(), "eval-steps=1_000".into()]).unwrap();
        assert_eq!((l.depth, l.eval_steps), (50, 1000));
        assert!(parse(&["depth=0".into()]).is_err());
        assert!(parse(&["nope=1".into()]).unwrap_err().contains("known: depth"));
        assert!(parse(&["depth".into()]).is_err());
    }

    #[test]
    fn each_scope_has_a_budget_of_its_own() {
        let at = Span::default();
        let total = get().eval_steps;
        let ((), notes) = scoped(|| {
            assert!(charge(total, at));
            assert!(!step(at), "spent");
            assert!(!step(at), "stays spent");
            // a nested scope starts afresh and leaves the enclosing one as it was
            let ((), inner) = scoped(|| assert!(charge(total - 1, at) && !spent()));
            assert!(inner.is_empty(), "{inner:?}");
            assert!(spent());
        });
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].code, "eval-budget");
        assert!(notes[0].message.contains(&format!("evaluation stopped after {total} steps")));
        // the next scope does not inherit the spent budget
        let (fresh, notes) = scoped(|| step(at) && !spent() && used() == STEP);
        assert!(fresh && notes.is_empty());
    }

    #[test]
    fn notes_are_kept_once_and_counted_past_the_cap() {
        let ((), notes) = scoped(|| {
            for i in 0..(MAX_NOTES + 5) {
                reached("instances", 256, Span::new(crate::source::FileId(0), i, i), "cut");
                reached("instances", 256, Span::new(crate::source::FileId(0), i, i), "cut");
            }
        });
        assert_eq!(notes.len(), MAX_NOTES);
        assert!(
            notes[0]
                .message
                .contains("limit `instances` (256) reached: cut (raise --limit instances=N)")
        );
        assert!(
            notes[MAX_NOTES - 1].message.contains("5 more limit or cycle diagnostics"),
            "{:?}",
            notes.last()
        );
    }

    #[test]
    fn measure_counts_values_and_text_and_depth() {
        let at = Span::default();
        let leaf = |t: &str| Node::new(at, Value::String(t.into()));
        let list = Node::new(
            at,
            Value::Seq(vec![leaf(&"x".repeat(80)), Node::new(at, Value::Seq(vec![leaf("y")]))]),
        );
        let (cost, depth) = measure(&list, u64::MAX);
        assert_eq!(cost, 4 * VALUE + 80 / BYTES_PER_STEP);
        assert_eq!(depth, 3);
        // a map entry's key is a value too
        let map = Node::new(
            at,
            Value::Map(vec![crate::parse::tree::Entry {
                key: "k".into(),
                key_span: at,
                value: leaf("v"),
            }]),
        );
        assert_eq!(measure(&map, u64::MAX), (3 * VALUE, 2));
        // counting stops past the cap
        assert!(measure(&list, 1).0 <= VALUE + 80 / BYTES_PER_STEP + VALUE);
        // iterative: a value deeper than the stack would allow recursion
        let mut deep = leaf("z");
        for _ in 0..100_000 {
            deep = Node::new(at, Value::Seq(vec![deep]));
        }
        assert_eq!(measure(&deep, u64::MAX).1, 100_001);
        // (dropping it recursively would overflow the test thread's stack)
        let mut stack = vec![deep];
        while let Some(n) = stack.pop() {
            if let Value::Seq(items) = n.value {
                stack.extend(items);
            }
        }
    }

    #[test]
    fn widest_braces_counts_entries_of_one_level() {
        let wide = |t: &str| shape(t).widest_object;
        assert_eq!(wide("a = { x = 1, y = 2, z = { p = 1 } }"), 2);
        // block bodies do not count, nor braces in strings
        assert_eq!(wide("locals {\n  a = 1\n  b = \"{,,,}\"\n}\n"), 0);
        assert_eq!(wide("x = [1, 2, 3]"), 0);
        assert_eq!(wide("x = [{\n a = 1\n b = 2\n}]"), 3);
    }

    #[test]
    fn depth_outside_strings() {
        assert_eq!(bracket_depth(r#"{"a": [1, {"b": "[[[[\"]]"}]}"#), 3);
        assert_eq!(bracket_depth("((()))"), 3);
        assert_eq!(bracket_depth(""), 0);
    }
}
