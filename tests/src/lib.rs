//! Helpers for the end-to-end tests: run a bench binary and read what it wrote.

use std::ffi::OsStr;
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

/// Bench mode, briefly, on a synthetic 50 W source: for checking that cases run and
/// carry time and energy, not for their values.
pub const BRIEF_BENCH: &[&str] = &[
    "--bench",
    "--sensors",
    "synthetic:50",
    "--warm-up-time",
    "0.05",
    "--measurement-time",
    "0.2",
    "--idle-time",
    "0.1",
    "--sample-size",
    "10",
];

/// Run `exe` with `args` and a clean `IPW_*` environment, writing under `out`.
pub fn run(exe: &Path, out: &Path, args: &[&str]) -> Output {
    run_with_env(exe, out, args, &[])
}

/// [`run`] with extra environment variables (which may be `IPW_*` ones).
pub fn run_with_env(exe: &Path, out: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Output {
    command(exe, out, args, env)
        .output()
        .expect("the bench binary runs")
}

/// The command [`run_with_env`] runs, for a test that starts it and watches it.
pub fn command(exe: &Path, out: &Path, args: &[&str], env: &[(&str, &OsStr)]) -> Command {
    let mut cmd = Command::new(exe);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("IPW_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("IPW_OUTPUT_DIR", out)
        .env("RUST_BACKTRACE", "0")
        .envs(env.iter().copied())
        .args(args);
    cmd
}

/// The fake `libnvidia-ml.so` of the `ipw-fake-nvml` crate, built into this target
/// directory's debug profile. `cargo test` does not build that workspace member for these
/// tests, so they ask cargo; up to date, that costs a fraction of a second.
pub fn fake_nvml_library() -> PathBuf {
    use std::env::consts::{DLL_PREFIX, DLL_SUFFIX};
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    let lib = target
        .join("debug")
        .join(format!("{DLL_PREFIX}ipw_fake_nvml{DLL_SUFFIX}"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "ipw-fake-nvml"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &target)
        .status();
    match status {
        Ok(s) if s.success() => {}
        // Without cargo (a copied test binary), a library built earlier still serves.
        Err(_) if lib.exists() => {}
        other => panic!("building ipw-fake-nvml failed: {other:?}"),
    }
    assert!(lib.exists(), "{} was not built", lib.display());
    lib
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
