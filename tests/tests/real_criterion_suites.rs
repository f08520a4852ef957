//! Real criterion suites: the `benches/` of published crates, as cargo downloads them, run
//! under ipw-criterion-compat with nothing changed but the criterion dev-dependency.
//!
//! For each crate below, pinned: a scratch project depends on it and `cargo metadata`
//! downloads it into the registry cache (`CARGO_HOME`); its whole source is copied into a
//! temporary directory and its `Cargo.toml` gets one edit, the criterion dev-dependency
//! renamed to the compat crate of this workspace. Its `Cargo.lock` is replaced by the
//! workspace's, so ipw-bench builds with the versions the workspace tests, and once for
//! all suites in the shared target directory `target/real-suites`. Builds are debug
//! builds with the suite's own package at `opt-level = 3`
//! (`--config profile.dev.package.<crate>.opt-level=3`), so that base64's 30 MiB inputs
//! take milliseconds, not seconds, and the debug ipw-bench needs no release build.
//!
//! Each bench binary then runs as `cargo bench -- --test` runs it (every benchmark once),
//! lists its ids, and runs briefly in bench mode (synthetic 50 W energy). The ids are
//! checked against the count read off each suite's source (see [`SUITES`]) and against the
//! names its source spells out; every id must be in `results.json` with status ok, time
//! and energy estimates, and every group of two or more benchmarks must be compared.
//!
//! Ignored by the default `cargo test` (it downloads crates and builds several: 3 min 52 s
//! from an empty `target/real-suites` on the shared 2-core development VM, 2026-12-02,
//! with the crates already in the registry cache); `.ci/run` runs it:
//! `cargo test -p ipw-tests --test real_criterion_suites -- --ignored --nocapture`.

use ipw_tests::{read_json, results_path, run, text};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// A published crate whose bench uses criterion.
struct Suite {
    krate: &'static str,
    version: &'static str,
    /// The `[[bench]]` target.
    bench: &'static str,
    /// Benchmark ids, counted by reading the bench's source.
    ids: usize,
    /// Criterion groups of two or more benchmarks, counted the same way.
    compared_groups: usize,
}

const SUITES: [Suite; 4] = [
    // 7 `do_bench` groups (u64[0], ..., u128[max]) of 2 functions (itoa, std::fmt).
    Suite {
        krate: "itoa",
        version: "1.0.19",
        bench: "bench",
        ids: 14,
        compared_groups: 7,
    },
    // req, req_short, resp, resp_short and many_requests alone (one function each); uri:
    // 13 sizes; header: 13 names + 13 values + 8 counts; version: 3; method: 9 + 2.
    Suite {
        krate: "httparse",
        version: "1.10.1",
        bench: "parse",
        ids: 5 + 13 + 34 + 3 + 11,
        compared_groups: 4,
    },
    // 8 conversion groups of 11 inputs each, and 8 slice benchmarks on their own.
    Suite {
        krate: "half",
        version: "2.7.1",
        bench: "convert",
        ids: 8 * 11 + 8,
        compared_groups: 8,
    },
    // encode_{small,large}_input: 8 functions (with the default feature simd-unsafe)
    // over 5 and 3 sizes; decode_{small,large}_input: 5 functions over 5 and 3 sizes.
    Suite {
        krate: "base64",
        version: "0.23.1",
        bench: "benchmarks",
        ids: 8 * 8 + 5 * 8,
        compared_groups: 4,
    },
];

/// Bench mode kept short: every benchmark measured, in seconds overall.
const BRIEF: &[&str] = &[
    "--bench",
    "--sensors",
    "synthetic:50",
    "--sample-size",
    "10",
    "--warm-up-time",
    "0.01",
    "--measurement-time",
    "0.05",
    "--idle-time",
    "0.05",
    "--plots",
    "none",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The target directory all suites share.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
        .join("real-suites")
}

/// cargo, without the outer cargo's variables (a test runs inside `cargo test`).
fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if (k.starts_with("IPW_") || k.starts_with("CARGO_") || k == "RUSTC_WRAPPER")
            && k != "CARGO_HOME"
        {
            cmd.env_remove(&k);
        }
    }
    cmd.env("CARGO_TARGET_DIR", target_dir())
        .current_dir(dir)
        .args(args);
    cmd
}

fn checked(mut cmd: Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{cmd:?} failed:\n{stdout}\n{stderr}");
    stdout
}

/// Where the suites' sources were downloaded: `(crate, version)` -> source directory.
/// Downloaded once, for all tests, by `cargo metadata` on a scratch project.
fn downloaded() -> &'static BTreeMap<(String, String), PathBuf> {
    static SOURCES: OnceLock<BTreeMap<(String, String), PathBuf>> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let dir = scratch().join("fetch");
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/lib.rs"), "").unwrap();
        let deps: String = SUITES
            .iter()
            .map(|s| format!("{} = \"={}\"\n", s.krate, s.version))
            .collect();
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
                 publish = false\n\n[workspace]\n\n[dependencies]\n{deps}"
            ),
        )
        .unwrap();
        let meta = checked(cargo(&dir, &["metadata", "--format-version", "1"]));
        let meta: serde_json::Value = serde_json::from_str(&meta).expect("cargo metadata JSON");
        meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap());
                let key = (
                    p["name"].as_str().unwrap().to_string(),
                    p["version"].as_str().unwrap().to_string(),
                );
                (key, manifest.parent().unwrap().to_path_buf())
            })
            .collect()
    })
}

/// The temporary directory of this test process (outside the workspace, so a suite is a
/// workspace of its own), removed by nobody: the OS cleans `/tmp`.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap().keep())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// `manifest` with its criterion dev-dependency turned into the compat crate at `compat`:
/// the body of a `[...dev-dependencies.criterion]` table (a published, normalised manifest
/// has one) or a `criterion = ...` line of a dev-dependencies table; `None` if it has none.
fn with_compat(manifest: &str, compat: &Path) -> Option<String> {
    let path = format!("{:?}", compat.display().to_string());
    let mut out = Vec::new();
    let (mut in_dev_deps, mut in_criterion_table, mut found) = (false, false, false);
    for l in manifest.lines() {
        let t = l.trim();
        if t.starts_with('[') {
            let header = t.trim_matches(|c| c == '[' || c == ']');
            in_criterion_table = header.ends_with("dev-dependencies.criterion");
            in_dev_deps = header.ends_with("dev-dependencies");
            out.push(l.to_string());
            if in_criterion_table {
                out.push(format!("package = \"ipw-criterion-compat\"\npath = {path}"));
                found = true;
            }
        } else if in_criterion_table && !t.is_empty() {
            // The table's old body (version, features) is left out.
        } else if in_dev_deps && (t.starts_with("criterion ") || t.starts_with("criterion=")) {
            out.push(format!(
                "criterion = {{ package = \"ipw-criterion-compat\", path = {path} }}"
            ));
            found = true;
        } else {
            out.push(l.to_string());
        }
    }
    found.then(|| out.join("\n") + "\n")
}

/// The names a bench's source spells out as string literals right after `call`.
fn literals_after<'a>(source: &'a str, call: &str) -> Vec<&'a str> {
    source
        .match_indices(call)
        .filter_map(|(i, _)| {
            let rest = source[i + call.len()..].trim_start();
            let rest = rest.strip_prefix('"')?;
            rest.split_once('"').map(|(name, _)| name)
        })
        .collect()
}

/// Build one suite's bench and return its executable.
fn build(suite: &Suite) -> PathBuf {
    let key = (suite.krate.to_string(), suite.version.to_string());
    let source = downloaded()
        .get(&key)
        .unwrap_or_else(|| panic!("{key:?} was not downloaded"));
    let dir = scratch().join(format!("{}-{}", suite.krate, suite.version));
    copy_dir(source, &dir);
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let compat = workspace().join("criterion-compat");
    let renamed = with_compat(&manifest, &compat)
        .unwrap_or_else(|| panic!("{} has no criterion dev-dependency", suite.krate));
    std::fs::write(dir.join("Cargo.toml"), renamed).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let optimised = format!("profile.dev.package.{}.opt-level=3", suite.krate);
    let messages = checked(cargo(
        &dir,
        &[
            "build",
            "--bench",
            suite.bench,
            "--config",
            &optimised,
            "--config",
            "profile.dev.debug=0",
            "--message-format",
            "json-render-diagnostics",
        ],
    ));
    messages
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == suite.bench)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("no executable for the bench {}", suite.bench))
}

/// Only one suite builds or measures at a time (they share a target directory, and two
/// measurements at once would disturb each other's timings).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn check_suite(krate: &str) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let suite = SUITES.iter().find(|s| s.krate == krate).unwrap();
    let started = Instant::now();
    let exe = build(suite);
    let built = started.elapsed();
    let out = target_dir().join("ipw");
    let results = results_path(&out, suite.bench);
    // results.json merges with an earlier run's: start from none.
    let _ = std::fs::remove_dir_all(results.parent().unwrap());

    // The ids, against the count read off the source and the names it spells out.
    let o = run(&exe, &out, &["--bench", "--list"]);
    let (listed, err) = text(&o);
    assert!(o.status.success(), "{listed}\n{err}");
    let ids: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.strip_suffix(": benchmark"))
        .collect();
    assert_eq!(ids.len(), suite.ids, "{krate}: ids listed:\n{listed}");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{krate}: repeated ids:\n{listed}");
    let source = bench_source(suite);
    for call in ["bench_function(", "BenchmarkId::new(", "benchmark_group("] {
        for name in literals_after(&source, call) {
            assert!(
                ids.iter().any(|id| id.split('/').any(|part| part == name)
                    || id.starts_with(&format!("{name}/"))
                    || *id == name),
                "{krate}: `{call}\"{name}\"` in the source names no listed id"
            );
        }
    }
    let calls =
        source.matches("bench_function(").count() + source.matches("bench_with_input(").count();
    assert!(calls > 0 && ids.len() >= calls, "{krate}: {calls} calls");

    // `cargo bench -- --test`: every benchmark once, nothing written.
    let o = run(&exe, &out, &["--bench", "--test"]);
    let (tested, err) = text(&o);
    assert!(
        o.status.success(),
        "{krate}: test mode failed:\n{tested}\n{err}"
    );
    for id in &ids {
        assert!(
            tested.contains(&format!("test {id} ... ok")),
            "{krate}: {id}:\n{tested}"
        );
    }
    assert!(
        tested.contains(&format!("{} passed; 0 failed", ids.len())),
        "{krate}:\n{tested}"
    );
    assert!(!results.exists(), "test mode wrote {}", results.display());

    // Briefly in bench mode: every id measured, every group of two or more compared.
    let measured_at = Instant::now();
    let o = run(&exe, &out, BRIEF);
    let (stdout, err) = text(&o);
    assert!(
        o.status.success(),
        "{krate}: bench mode failed:\n{stdout}\n{err}"
    );
    let measured = measured_at.elapsed();
    let r = read_json(&results);
    let cases = r["cases"].as_array().unwrap();
    let in_results: BTreeSet<&str> = cases.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(in_results, unique, "{krate}: ids in results.json");
    let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for c in cases {
        let id = c["id"].as_str().unwrap();
        assert_eq!(c["status"], "ok", "{krate}: {id}: {c}");
        for m in ["time_per_iter_s", "energy_per_iter_j"] {
            let e = &c["estimates"][m];
            let (p, lo, hi) = (
                e["point"].as_f64(),
                e["ci_low"].as_f64(),
                e["ci_high"].as_f64(),
            );
            assert!(
                matches!((p, lo, hi), (Some(p), Some(lo), Some(hi)) if p > 0.0 && lo <= p && p <= hi),
                "{krate}: {id}: {m} {e}"
            );
        }
        let group = c["group"].as_str().unwrap();
        assert!(
            id == group || id.starts_with(&format!("{group}/")),
            "{id} in {group}"
        );
        groups.entry(group).or_default().insert(id);
    }
    let compared: BTreeMap<&str, BTreeSet<&str>> = r["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let variants = c["variants"].as_array().unwrap();
            let ids = variants.iter().filter_map(|v| v.as_str()).collect();
            (c["group"].as_str().unwrap(), ids)
        })
        .collect();
    let several: BTreeMap<&str, BTreeSet<&str>> = groups
        .into_iter()
        .filter(|(_, ids)| ids.len() >= 2)
        .collect();
    assert_eq!(several.len(), suite.compared_groups, "{krate}: {several:?}");
    assert_eq!(compared, several, "{krate}: compared groups");
    println!(
        "{krate} {}: {} ids, {} groups compared; built in {:.0} s, measured in {:.0} s",
        suite.version,
        ids.len(),
        several.len(),
        built.as_secs_f64(),
        measured.as_secs_f64()
    );
}

/// The bench target's source file in the copied crate.
fn bench_source(suite: &Suite) -> String {
    let dir = scratch().join(format!("{}-{}", suite.krate, suite.version));
    std::fs::read_to_string(dir.join("benches").join(format!("{}.rs", suite.bench)))
        .or_else(|_| std::fs::read_to_string(dir.join("benches").join(suite.bench).join("main.rs")))
        .unwrap_or_else(|e| panic!("{}: the bench's source: {e}", suite.krate))
}

#[test]
#[ignore = "downloads crates and builds four suites: minutes; .ci/run runs it"]
fn itoa_suite() {
    check_suite("itoa");
}

#[test]
#[ignore = "downloads crates and builds four suites: minutes; .ci/run runs it"]
fn httparse_suite() {
    check_suite("httparse");
}

#[test]
#[ignore = "downloads crates and builds four suites: minutes; .ci/run runs it"]
fn half_suite() {
    check_suite("half");
}

#[test]
#[ignore = "downloads crates and builds four suites: minutes; .ci/run runs it"]
fn base64_suite() {
    check_suite("base64");
}

#[test]
fn the_criterion_dev_dependency_is_the_one_line_changed() {
    let compat = Path::new("/w/criterion-compat");
    let normalised = "[package]\nname = \"x\"\n\n[dev-dependencies.criterion]\nversion = \"0.5\"\n\
                      default-features = false\n\n[dev-dependencies.rand]\nversion = \"0.8\"\n";
    let want = "[package]\nname = \"x\"\n\n[dev-dependencies.criterion]\n\
                package = \"ipw-criterion-compat\"\npath = \"/w/criterion-compat\"\n\n\
                [dev-dependencies.rand]\nversion = \"0.8\"\n";
    assert_eq!(with_compat(normalised, compat).as_deref(), Some(want));
    let target = "[target.\"cfg(not(miri))\".dev-dependencies.criterion]\nversion = \"0.8\"\n";
    let renamed = with_compat(target, compat).unwrap();
    assert!(
        renamed.ends_with(
            "criterion]\npackage = \"ipw-criterion-compat\"\npath = \"/w/criterion-compat\"\n"
        ),
        "{renamed}"
    );
    let inline = "[dev-dependencies]\ncriterion = \"0.5\"\nrand = \"0.8\"\n";
    let want = "[dev-dependencies]\ncriterion = { package = \"ipw-criterion-compat\", path = \
                \"/w/criterion-compat\" }\nrand = \"0.8\"\n";
    assert_eq!(with_compat(inline, compat).as_deref(), Some(want));
    assert_eq!(
        with_compat("[dependencies]\ncriterion = \"0.5\"\n", compat),
        None
    );
}
