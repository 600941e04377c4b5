//! Time spent per phase of a run, for `--timings`.
//!
//! Phases are recorded in the order they finish; a phase run twice (the base revision and the
//! head in pull-request mode) is summed. Recording is cheap and always on; printing happens only
//! when asked, on standard error, so standard output stays byte-for-byte deterministic.

use std::sync::Mutex;
use std::time::{Duration, Instant};

static PHASES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());
static COUNTS: Mutex<Vec<(&'static str, usize)>> = Mutex::new(Vec::new());

/// Add `n` to counter `name` (files parsed, bytes read), shown under the phases.
pub fn count(name: &'static str, n: usize) {
    if let Ok(mut c) = COUNTS.lock() {
        match c.iter_mut().find(|(k, _)| *k == name) {
            Some((_, v)) => *v += n,
            None => c.push((name, n)),
        }
    }
}

/// Run `f` and add its wall time to phase `name`.
pub fn phase<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    record(name, start.elapsed());
    out
}

/// Add `d` to phase `name`.
pub fn record(name: &'static str, d: Duration) {
    if let Ok(mut p) = PHASES.lock() {
        match p.iter_mut().find(|(n, _)| *n == name) {
            Some((_, t)) => *t += d,
            None => p.push((name, d)),
        }
    }
}

/// The phases recorded so far.
#[must_use]
pub fn snapshot() -> Vec<(&'static str, Duration)> {
    PHASES.lock().map(|p| p.clone()).unwrap_or_default()
}

/// A table of the phases and the total wall time since `start`.
#[must_use]
pub fn render(total: Duration) -> String {
    use std::fmt::Write as _;
    let phases = snapshot();
    let width = phases.iter().map(|(n, _)| n.len()).max().unwrap_or(5).max(5);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut out = String::from("rootguard timings (wall time, milliseconds)\n");
    let mut sum = Duration::ZERO;
    for (name, d) in &phases {
        sum += *d;
        let _ = writeln!(out, "  {name:<width$}  {:>9.1}", ms(*d));
    }
    let _ = writeln!(out, "  {:<width$}  {:>9.1}", "other", ms(total.saturating_sub(sum)));
    let _ = writeln!(out, "  {:<width$}  {:>9.1}", "total", ms(total));
    let counts = COUNTS.lock().map(|c| c.clone()).unwrap_or_default();
    if !counts.is_empty() {
        let w = counts.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        out.push_str("counts\n");
        for (name, n) in counts {
            let _ = writeln!(out, "  {name:<w$}  {n:>11}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_sum_and_render() {
        record("t-test-phase", Duration::from_millis(2));
        record("t-test-phase", Duration::from_millis(3));
        let got = snapshot().into_iter().find(|(n, _)| *n == "t-test-phase").map(|(_, d)| d);
        assert_eq!(got, Some(Duration::from_millis(5)));
        let text = render(Duration::from_secs(1));
        assert!(text.contains("t-test-phase"), "{text}");
        assert!(text.contains("total"), "{text}");
    }
}
