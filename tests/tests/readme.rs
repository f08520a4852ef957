//! The README's code is real: its example is a bench that runs in test mode, and its
//! test command is the one CI runs.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The fenced blocks of a Markdown text with the given info string.
fn blocks<'a>(md: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    md.split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once("```").map(|(body, _)| body))
        .collect()
}

#[test]
fn readme_example_is_the_quickstart_bench() {
    let readme = read("README.md");
    let rust = blocks(&readme, "rust");
    assert_eq!(rust.len(), 1, "one Rust block, the example");
    let body = rust[0]
        .strip_prefix("// benches/quickstart.rs\n")
        .expect("the block names its file");
    assert_eq!(body, read("examples/benches/quickstart.rs"));
    let toml = blocks(&readme, "toml");
    assert!(toml[0].contains("name = \"quickstart\"\nharness = false"));
    let manifest = read("examples/Cargo.toml");
    assert!(manifest.contains("name = \"quickstart\"\nharness = false"));
}

#[test]
fn quickstart_is_two_commands_and_ci_runs_the_test_one() {
    let readme = read("README.md");
    let sh = blocks(&readme, "sh");
    let commands: Vec<&str> = sh[0]
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(commands, ["cargo bench", "cargo test --workspace"]);
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test --workspace"),
        ".ci/run must call the README's test command"
    );
}
