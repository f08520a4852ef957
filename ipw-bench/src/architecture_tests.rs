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

/// The most lines a source file may have, tests included (#18).
const MAX_FILE_LINES: usize = 500;
/// The most lines a function may have, from its `fn` line to its closing brace (#18).
const MAX_FN_LINES: usize = 120;

/// The text with the insides of comments, strings and character literals blanked to
/// spaces, newlines kept, so braces and `fn` lines left are code.
fn blank_non_code(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = c.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for ch in &mut out[from..to] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    };
    let ident_char = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            let end = (i..c.len()).find(|&k| c[k] == '\n').unwrap_or(c.len());
            blank(&mut out, i, end);
            i = end;
        } else if c[i] == '/' && next == Some('*') {
            let (mut depth, mut k) = (1, i + 2);
            while k < c.len() && depth > 0 {
                if c[k] == '/' && c.get(k + 1) == Some(&'*') {
                    depth += 1;
                    k += 1;
                } else if c[k] == '*' && c.get(k + 1) == Some(&'/') {
                    depth -= 1;
                    k += 1;
                }
                k += 1;
            }
            blank(&mut out, i, k);
            i = k;
        } else if c[i] == 'r'
            && (i == 0 || !ident_char(c[i - 1]) || c[i - 1] == 'b')
            && matches!(next, Some('"' | '#'))
        {
            let hashes = c[i + 1..].iter().take_while(|&&ch| ch == '#').count();
            if c.get(i + 1 + hashes) != Some(&'"') {
                i += 1;
                continue;
            }
            let close: Vec<char> = format!("\"{}", "#".repeat(hashes)).chars().collect();
            let start = i + 2 + hashes;
            let end = (start..c.len())
                .find(|&k| c[k..].starts_with(&close))
                .map_or(c.len(), |k| k + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if c[i] == '"' {
            let mut k = i + 1;
            while k < c.len() && c[k] != '"' {
                k += if c[k] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i, (k + 1).min(c.len()));
            i = k + 1;
        } else if c[i] == '\'' && next == Some('\\') {
            // From the third character on, so `'\''` ends at its last quote.
            let end = (i + 3..c.len())
                .find(|&k| c[k] == '\'')
                .map_or(c.len(), |k| k + 1);
            blank(&mut out, i, end);
            i = end;
        } else if c[i] == '\'' && c.get(i + 2) == Some(&'\'') {
            blank(&mut out, i, i + 3);
            i += 3;
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// The name of the function a (blanked) line opens, if it starts with `fn` after any of
/// `pub`, `pub(...)`, `const`, `async`, `unsafe` and `extern`.
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(inner) => inner.split_once(')')?.1,
            None => after,
        };
        if !rest.starts_with(char::is_whitespace) {
            return None;
        }
        rest = rest.trim_start();
    }
    loop {
        let before = rest;
        for word in ["const ", "async ", "unsafe "] {
            rest = rest.strip_prefix(word).unwrap_or(rest).trim_start();
        }
        if let Some(after) = rest.strip_prefix("extern ") {
            let after = after.trim_start();
            rest = match after.strip_prefix('"') {
                Some(abi) => abi.split_once('"')?.1.trim_start(),
                None => after,
            };
        }
        if rest == before {
            break;
        }
    }
    let name = ident(rest.strip_prefix("fn ")?);
    (!name.is_empty()).then_some(name)
}

/// `(line, name, lines)` for every function in a file longer than `MAX_FN_LINES`.
fn long_fns(text: &str) -> Vec<(usize, String, usize)> {
    let code = blank_non_code(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let mut depth = 0usize;
        let mut opened = false;
        let mut end = None;
        'scan: for (k, l) in lines.iter().enumerate().skip(start) {
            for ch in l.chars() {
                match ch {
                    ';' if !opened => break 'scan,
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' if opened => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(k);
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(end) = end {
            let len = end - start + 1;
            if len > MAX_FN_LINES {
                out.push((start + 1, name, len));
            }
        }
    }
    out
}

/// Every file over `MAX_FILE_LINES` lines and every function over `MAX_FN_LINES`, as
/// one line each.
fn too_long(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(src)
            .expect("under src")
            .display()
            .to_string();
        let text = std::fs::read_to_string(&file).expect("a source file");
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            bad.push(format!("{rel}: {lines} lines"));
        }
        for (line, name, len) in long_fns(&text) {
            bad.push(format!("{rel}:{line}: fn {name} is {len} lines"));
        }
    }
    bad
}

#[test]
fn no_file_or_function_is_too_long() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = too_long(&src);
    assert!(
        bad.is_empty(),
        "files over {MAX_FILE_LINES} lines or functions over {MAX_FN_LINES} lines \
         (split them, #18):\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn the_length_check_finds_a_long_file_and_a_long_function() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let body = |n: usize| "    let x = 1;\n".repeat(n);
    // 118 body lines + the `fn` line + the closing brace = 120 lines: allowed.
    let ok = format!("pub(crate) fn fits() {{\n{}}}\n", body(118));
    // Braces in strings, characters and comments do not end the function early.
    let long = format!(
        "const fn too_long() -> u32 {{\n    let s = \"}}\"; let c = '}}'; // }}\n    \
         let r = r#\"}}\"#; /* }} */\n{}    0\n}}\n",
        body(118)
    );
    let decl = "trait T {\n    fn declared_only(&self);\n}\n";
    std::fs::write(dir.path().join("short.rs"), format!("{ok}{long}{decl}")).expect("write");
    std::fs::create_dir_all(dir.path().join("stage")).expect("mkdir");
    std::fs::write(dir.path().join("stage/big.rs"), "// a line\n".repeat(501)).expect("write");
    assert_eq!(
        too_long(dir.path()),
        [
            "short.rs:121: fn too_long is 123 lines",
            "stage/big.rs: 501 lines"
        ]
    );
}
