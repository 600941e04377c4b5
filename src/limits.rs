//! Resource limits: what a hostile input can make rootguard do is bounded, and reaching a bound is
//! a diagnostic (never a silent skip or pass). Set once per run from `--limit NAME=N`.

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::parse::Diagnostic;
use crate::parse::tree::{Node, Value};
use crate::source::Span;

pub use crate::bounds::{DEFAULT_MAX_FILE_BYTES, LimitError, Limits, NAMES, Shape, bracket_depth, get, parse, set, shape};

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
            Value::String(t) | Value::Number(t) => cost = cost.saturating_add((t.len() as u64) / BYTES_PER_STEP),
            Value::Unknown(u) => {
                cost = cost.saturating_add((u.reason.len() as u64) / BYTES_PER_STEP);
                // the known attributes of an object count like a map's entries
                if let crate::parse::tree::Is::Object(o) = &u.is {
                    for e in &o.attrs {
                        cost = cost.saturating_add(VALUE + (e.key.len() as u64) / BYTES_PER_STEP);
                        stack.push((&e.value, d + 1));
                    }
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
