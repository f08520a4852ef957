//! The stages import one way: a module may use its own stage and earlier ones, never a
//! later one (ARCHITECTURE.md). Test code at the end of a file (`#[cfg(test)] mod ...`)
//! may use anything, such as the example builders of `results`.

use std::path::{Path, PathBuf};

/// The crate's top-level modules in pipeline order. `stats` and `survival` are libraries
/// every stage may use; `pipeline` and the integrations sit above all stages.
const STAGES: &[&str] = &[
    "stats",
    "survival",
    "setup",
    "measure",
    "attribution",
    "analysis",
    "results",
    "output",
    "report",
    "pipeline",
];

/// Names at the crate root that re-export a stage's module.
const ROOT_REEXPORTS: &[(&str, &str)] = &[("sampler", "measure"), ("sensor", "measure")];

fn rank(module: &str) -> Option<usize> {
    let module = ROOT_REEXPORTS
        .iter()
        .find(|(name, _)| *name == module)
        .map_or(module, |(_, stage)| *stage);
    STAGES.iter().position(|s| *s == module)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments and without the test module at its end.
fn code(text: &str) -> String {
    let end = ["#[cfg(test)]\nmod ", "#[cfg(test)]\npub(crate) mod "]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
        .unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Every `crate::NAME` a piece of code names, also inside `crate::{a::x, b}`.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        match after.strip_prefix('{') {
            Some(group) => {
                // Only the first segment of each item matters; nested braces belong to
                // an item already counted.
                let mut depth = 0;
                let mut item_start = true;
                for (k, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            out.push(ident(&group[k..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            }
            None => out.push(ident(after)),
        }
        rest = after;
    }
    out
}

/// `(file, stage it is in, stage it names)` for every import that runs back up.
fn backward_imports(src: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut bad = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).expect("under src");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|s| s.trim_end_matches(".rs").to_string())
            .unwrap_or_default();
        let Some(own) = rank(&top) else {
            // lib.rs, the integrations and this test sit above every stage.
            continue;
        };
        if rel.to_str().is_some_and(|r| r.ends_with("tests.rs")) {
            // A test module in its own file (`#[cfg(test)] #[path = "..."] mod tests;`) is
            // test code, like the `#[cfg(test)] mod` blocks `code` leaves out.
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a source file");
        for name in crate_paths(&code(&text)) {
            if rank(&name).is_some_and(|r| r > own) {
                bad.push((rel.display().to_string(), top.clone(), name));
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

#[test]
fn no_stage_imports_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = backward_imports(&src);
    assert!(
        bad.is_empty(),
        "imports that run back up the stages ({}):\n{}",
        STAGES.join(" -> "),
        bad.iter()
            .map(|(f, from, to)| format!("  {f}: {from} uses {to}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_check_finds_a_backward_import() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let measure = dir.path().join("measure");
    std::fs::create_dir_all(&measure).expect("mkdir");
    std::fs::write(
        measure.join("runner.rs"),
        "//! crate::report in a comment is fine\nuse crate::stats::Rng;\nuse crate::analysis::x;\n\
         use crate::{setup::a, output::{b, c}};\n\
         #[cfg(test)]\nmod tests {\n    use crate::report::y;\n}\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("lib.rs"), "use crate::report::z;\n").expect("write");
    assert_eq!(
        backward_imports(dir.path()),
        [
            (
                "measure/runner.rs".to_string(),
                "measure".to_string(),
                "analysis".to_string()
            ),
            (
                "measure/runner.rs".to_string(),
                "measure".to_string(),
                "output".to_string()
            )
        ]
    );
}
