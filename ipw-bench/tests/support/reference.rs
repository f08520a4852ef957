//! What the statistics reference tests share: loading a committed reference vector and
//! tallying the worst disagreement per quantity (`#[path]`-included).

use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Reads `tests/reference/{dir}/{name}` as JSON, panicking with the path on any error.
pub fn load<T: DeserializeOwned>(dir: &str, name: &str) -> T {
    let path = format!(
        "{}/tests/reference/{dir}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Records the worst disagreement per quantity and fails on any beyond tolerance.
#[derive(Default)]
pub struct Tally {
    worst: BTreeMap<String, f64>,
    failures: Vec<String>,
}

impl Tally {
    pub fn record(&mut self, what: &str, err: f64, tol: f64, detail: String) {
        let slot = self.worst.entry(what.to_string()).or_insert(0.0);
        *slot = slot.max(err);
        if err.is_nan() || err > tol {
            self.failures
                .push(format!("{what}: error {err:.3e} > {tol:e} ({detail})"));
        }
    }

    /// Relative error, falling back to absolute when the reference is 0.
    pub fn rel(&mut self, what: &str, case: &str, got: f64, want: f64, tol: f64) {
        let err = if want == 0.0 {
            got.abs()
        } else {
            ((got - want) / want).abs()
        };
        self.record(
            what,
            err,
            tol,
            format!("{case}: got {got:e}, want {want:e}"),
        );
    }

    pub fn abs(&mut self, what: &str, case: &str, got: f64, want: f64, tol: f64) {
        self.record(
            what,
            (got - want).abs(),
            tol,
            format!("{case}: got {got:e}, want {want:e}"),
        );
    }

    /// Prints the worst agreement per quantity (names padded to `width`), then fails
    /// listing every disagreement beyond tolerance.
    pub fn finish(self, title: &str, width: usize) {
        eprintln!("{title}: worst agreement");
        for (what, err) in &self.worst {
            eprintln!("  {what:<width$} {err:.2e}");
        }
        assert!(self.failures.is_empty(), "{}", self.failures.join("\n"));
    }
}
