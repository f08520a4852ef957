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
fn readme_rust_blocks_are_the_example_benches() {
    let readme = read("README.md");
    let rust = blocks(&readme, "rust");
    let names: Vec<&str> = rust
        .iter()
        .map(|b| {
            b.lines()
                .next()
                .and_then(|l| l.strip_prefix("// benches/"))
                .expect("each Rust block names its file on its first line")
        })
        .collect();
    // The complete example, then the criterion one: both compiled and run by `cargo test`.
    assert_eq!(names, ["quickstart.rs", "criterion_joules.rs"]);
    let manifest = read("examples/Cargo.toml");
    for (block, name) in rust.iter().zip(&names) {
        let body = block.split_once('\n').unwrap().1;
        assert_eq!(body, read(&format!("examples/benches/{name}")), "{name}");
        let stem = name.trim_end_matches(".rs");
        let target = format!("name = \"{stem}\"\nharness = false\ntest = true");
        assert!(
            manifest.contains(&target),
            "{stem} must be a tested bench target"
        );
    }
    let toml = blocks(&readme, "toml");
    assert!(toml[0].contains("name = \"quickstart\"\nharness = false"));
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
