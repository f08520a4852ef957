//! Safe, unique file names for pages named after benches, cases and groups.

use std::collections::HashSet;

/// Longest file stem we produce, so that a long case id stays under file-system limits
/// once a uniquifying suffix and `.html` are added.
pub const MAX_STEM: usize = 64;

/// A file stem made from any text: ASCII letters, digits, `-`, `_` and `.` kept, every
/// other run of characters turned into one `-`, no leading dot (so no `..` or hidden
/// file), never empty, at most [`MAX_STEM`] bytes.
pub fn file_stem(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(MAX_STEM));
    let mut pending_dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' || (c == '.' && !out.is_empty()) {
            if pending_dash && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            pending_dash = false;
            // Two dots in a row could read as a parent directory in a careless join.
            if c == '.' && out.ends_with('.') {
                continue;
            }
            out.push(c);
        } else {
            pending_dash = true;
        }
        if out.len() >= MAX_STEM {
            break;
        }
    }
    let trimmed = out.trim_end_matches(['.', '-']);
    if trimmed.is_empty() {
        "unnamed".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Hands out file stems, making each unique (case-insensitively, for file systems that
/// fold case) by appending `-2`, `-3`, ...
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    /// No stem handed out yet.
    pub fn new() -> UniqueNames {
        UniqueNames::default()
    }

    /// A unique stem for `name`.
    pub fn stem(&mut self, name: &str) -> String {
        let base = file_stem(name);
        if self.taken.insert(base.to_ascii_lowercase()) {
            return base;
        }
        let mut n = 2usize;
        loop {
            let suffix = format!("-{n}");
            let mut head = base.clone();
            head.truncate(MAX_STEM - suffix.len());
            let candidate = format!("{head}{suffix}");
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_safe(stem: &str) -> bool {
        !stem.is_empty()
            && stem.len() <= MAX_STEM
            && !stem.contains("..")
            && !stem.starts_with('.')
            && stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    }

    #[test]
    fn hostile_names_become_plain_stems() {
        for name in [
            "../../etc/passwd",
            "<script>alert(1)</script>",
            "a/b\\c",
            "..",
            ".",
            "",
            "/",
            "ünïcødé/名前",
            "C:\\Windows\\system32",
            "a\0b",
            &"x".repeat(500),
        ] {
            let s = file_stem(name);
            assert!(is_safe(&s), "{name:?} -> {s:?}");
        }
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(
            file_stem("<script>alert(1)</script>"),
            "script-alert-1-script"
        );
        assert_eq!(file_stem("group/name/variant"), "group-name-variant");
        assert_eq!(file_stem("a..b"), "a.b");
        assert_eq!(file_stem(".."), "unnamed");
        assert_eq!(file_stem(&"x".repeat(500)).len(), MAX_STEM);
    }

    #[test]
    fn colliding_names_get_distinct_stems() {
        let mut names = UniqueNames::new();
        let a = names.stem("sized/1");
        let b = names.stem("sized:1");
        let c = names.stem("SIZED-1");
        assert_eq!(a, "sized-1");
        assert_eq!(b, "sized-1-2");
        assert_eq!(c, "SIZED-1-3");
        let long = "y".repeat(200);
        let d = names.stem(&long);
        let e = names.stem(&long);
        assert_ne!(d, e);
        assert!(is_safe(&d) && is_safe(&e));
    }
}
