//! Where results go: `<output-dir>/<bench binary>/results.json`, like `target/criterion/`.

use std::path::{Path, PathBuf};

/// The bench binary's name without cargo's `-<hash>` suffix.
pub fn bench_name() -> String {
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_deref()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bench".to_string());
    strip_hash(&stem).to_string()
}

fn strip_hash(stem: &str) -> &str {
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            name
        }
        _ => stem,
    }
}

/// The default output directory: `$CARGO_TARGET_DIR/ipw`, else the target directory that
/// holds this binary (`<target>/<profile>/deps/<bin>`), else `target/ipw`.
pub fn default_output_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("ipw");
    }
    let exe = std::env::current_exe().ok();
    target_dir_of(exe.as_deref())
        .unwrap_or_else(|| PathBuf::from("target"))
        .join("ipw")
}

fn target_dir_of(exe: Option<&Path>) -> Option<PathBuf> {
    let deps = exe?.parent()?;
    if deps.file_name()? != "deps" {
        return None;
    }
    Some(deps.parent()?.parent()?.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_cargo_hash_only() {
        assert_eq!(strip_hash("micro-0123456789abcdef"), "micro");
        assert_eq!(strip_hash("digits-models"), "digits-models");
        assert_eq!(strip_hash("a-0123"), "a-0123");
    }

    #[test]
    fn finds_target_dir_from_deps() {
        let p = Path::new("/w/target/release/deps/micro-0123456789abcdef");
        assert_eq!(target_dir_of(Some(p)), Some(PathBuf::from("/w/target")));
        assert_eq!(target_dir_of(Some(Path::new("/usr/bin/x"))), None);
    }
}
