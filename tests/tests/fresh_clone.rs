//! A newcomer's first minutes: clone the repository into a temporary directory and run the
//! README's two quickstart commands there, as written (the bench command with a short
//! `--measurement-time`), with no other step. Then check that the report and the results
//! exist and hold every case of every example bench.
//!
//! The clone is of the committed `HEAD` (a copy of the tree, builds left out, where there
//! is no `.git`); it builds in its own `target/` like a fresh machine would, so this test
//! takes a quarter of an hour on two cores. It is ignored by the default `cargo test`,
//! which a newcomer runs, and `.ci/run` runs it explicitly:
//! `cargo test -p ipw-tests --test fresh_clone -- --ignored`. It times both commands,
//! prints the times and writes them to `target/ipw-fresh-clone.txt`. The inner
//! `cargo test --workspace` would skip it anyway (`IPW_INSIDE_FRESH_CLONE`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const GUARD: &str = "IPW_INSIDE_FRESH_CLONE";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The quickstart commands of the README, in order.
fn quickstart() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split_once("```"))
        .map(|(body, _)| body)
        .expect("the README opens with a sh block");
    block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A command run in `dir` in a newcomer's environment: no `IPW_*` settings, none of the
/// outer cargo's variables, its own target directory.
fn newcomer(dir: &Path, words: &[&str]) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(if words[0] == "cargo" {
        cargo.as_str()
    } else {
        words[0]
    });
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if (k.starts_with("IPW_") || k.starts_with("CARGO_") || k == "RUSTC_WRAPPER")
            && k != "CARGO_HOME"
        {
            cmd.env_remove(&k);
        }
    }
    cmd.env(GUARD, "1").current_dir(dir).args(&words[1..]);
    cmd
}

fn run(dir: &Path, words: &[&str]) -> String {
    let out = newcomer(dir, words)
        .output()
        .unwrap_or_else(|e| panic!("{words:?}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "`{}` failed ({}):\n{}\n{}",
        words.join(" "),
        out.status,
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Copy the tree at `from` to `to`, without `target/` directories.
fn copy_sources(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (path, kind) = (entry.path(), entry.file_type().unwrap());
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            if entry.file_name() != "target" {
                copy_sources(&path, &dest);
            }
        } else if kind.is_file() {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// `text` as tera escapes it in a page.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

/// The bench targets of the example suite: those a plain `cargo bench` runs.
fn suite(manifest: &str) -> Vec<String> {
    manifest
        .split("[[bench]]")
        .skip(1)
        .map(|t| t.split("\n[").next().unwrap())
        .filter(|t| !t.contains("bench = false"))
        .filter_map(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("name = \""))
                .map(|n| n.trim_end_matches('"').to_string())
        })
        .collect()
}

#[test]
#[ignore = "clones and builds the workspace again (about 15 minutes); .ci/run runs it"]
fn readme_quickstart_works_in_a_fresh_clone() {
    if std::env::var_os(GUARD).is_some() {
        return;
    }
    let src = root();
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("ipw-bench");
    if src.join(".git").exists() {
        run(
            tmp.path(),
            &[
                "git",
                "clone",
                "--quiet",
                "--no-hardlinks",
                src.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
    } else {
        // A source tree without git (an unpacked archive): copy it, leaving out builds.
        eprintln!(
            "no .git in {}: copying the tree instead of cloning",
            src.display()
        );
        copy_sources(&src, &clone);
    }

    let commands = quickstart();
    assert_eq!(commands, ["cargo bench", "cargo test --workspace"]);
    let mut times = String::new();
    for command in &commands {
        let mut words: Vec<&str> = command.split_whitespace().collect();
        if command == "cargo bench" {
            words.extend(["--", "--measurement-time", "0.3", "--warm-up-time", "0.1"]);
        }
        let started = std::time::Instant::now();
        run(&clone, &words);
        let line = format!(
            "{:.0} s  {} (cold, in a fresh clone)\n",
            started.elapsed().as_secs_f64(),
            words.join(" ")
        );
        eprint!("{line}");
        times.push_str(&line);
    }
    let record = root().join("target").join("ipw-fresh-clone.txt");
    if let Err(e) = std::fs::write(&record, &times) {
        eprintln!("cannot record the times in {}: {e}", record.display());
    }

    let ipw = clone.join("target").join("ipw");
    let index = std::fs::read_to_string(ipw.join("report").join("index.html"))
        .expect("target/ipw/report/index.html");
    let manifest = std::fs::read_to_string(clone.join("examples").join("Cargo.toml")).unwrap();
    let benches = suite(&manifest);
    assert!(benches.len() >= 5, "{benches:?}");
    for bench in &benches {
        let listed: BTreeSet<String> = run(
            &clone,
            &[
                "cargo",
                "bench",
                "-q",
                "-p",
                "ipw-examples",
                "--bench",
                bench,
                "--",
                "--list",
            ],
        )
        .lines()
        .filter_map(|l| l.strip_suffix(": benchmark"))
        .map(String::from)
        .collect();
        assert!(!listed.is_empty(), "{bench} lists no case");
        let path = ipw.join(bench).join("results.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let results: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cases = results["cases"].as_array().unwrap();
        let ids: BTreeSet<String> = cases
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, listed, "{bench}: results.json against --list");
        for c in cases {
            let id = c["id"].as_str().unwrap();
            assert!(
                matches!(c["status"].as_str(), Some("ok" | "skipped")),
                "{id}: {}",
                c["message"]
            );
            assert!(
                index.contains(&html_escaped(id)),
                "{id} missing from the report index"
            );
        }
    }
}
