//! Helpers for the end-to-end tests: run a bench binary and read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Flags that keep a fixture run short.
pub const QUICK: &[&str] = &[
    "--sample-size",
    "10",
    "--warm-up-time",
    "0.05",
    "--measurement-time",
    "0.3",
    "--idle-time",
    "0.1",
];

/// Run `exe` with `args` and a clean `IPW_*` environment, writing under `out`.
pub fn run(exe: &Path, out: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(exe);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("IPW_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("IPW_OUTPUT_DIR", out)
        .env("RUST_BACKTRACE", "0")
        .args(args)
        .output()
        .expect("the bench binary runs")
}

/// The results file a bench binary wrote under `out`.
pub fn results_path(out: &Path, bench: &str) -> PathBuf {
    out.join(bench).join("results.json")
}

/// Parse the results file.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("results.json is JSON")
}

/// The case with `id` in a results document.
pub fn case<'a>(results: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    results["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no case {id} in results"))
}

/// stdout and stderr as text.
pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
