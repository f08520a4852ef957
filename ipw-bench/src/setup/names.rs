//! Names and paths that users give: which are usable, and how to show any of them on one
//! line.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// Why `name` cannot name a baseline file (`<bench_dir>/baselines/<name>.json`), if it
/// cannot: it must stay inside that folder and be one plain file name on every system.
pub(crate) fn baseline_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.contains(['/', '\\']) {
        return Some("it contains a path separator");
    }
    if name.contains("..") || name == "." {
        return Some("it contains '..' or is '.'");
    }
    if name.chars().any(|c| c.is_control() || c == ':') {
        return Some("it contains a control character or ':'");
    }
    None
}

/// Why `path` cannot be a folder or file that a run writes or reads, if it cannot: an
/// empty path means no path, and a control character in a path is a pasting accident.
pub(crate) fn path_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("it is empty");
    }
    if path.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    None
}

/// `s` with its control characters escaped (`\n`, `\t`, `\u{1b}`), so that it stays on
/// one line; everything else, non-ASCII letters included, is kept.
pub(crate) fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A possibly non-UTF-8 argument or variable as a quoted line: its UTF-8 parts as
/// [`escape_controls`] shows them, every other byte as `\xNN`.
pub(crate) fn escape_os(s: &OsStr) -> String {
    let mut out = String::from('"');
    for chunk in s.as_bytes().utf8_chunks() {
        out.push_str(&escape_controls(chunk.valid()).replace('"', "\\\""));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    #[test]
    fn baseline_names_stay_one_plain_file_name() {
        assert_eq!(baseline_name_problem("main"), None);
        assert_eq!(baseline_name_problem("v1.2_rc-3"), None);
        assert_eq!(baseline_name_problem(""), Some("it is empty"));
        for bad in ["a/b", "a\\b", "/abs"] {
            assert_eq!(
                baseline_name_problem(bad),
                Some("it contains a path separator"),
                "{bad}"
            );
        }
        for bad in ["..", ".", "a..b"] {
            assert_eq!(
                baseline_name_problem(bad),
                Some("it contains '..' or is '.'"),
                "{bad}"
            );
        }
        for bad in ["a\nb", "tab\t", "c:", "\u{7f}"] {
            assert_eq!(
                baseline_name_problem(bad),
                Some("it contains a control character or ':'"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn paths_must_be_something_printable() {
        assert_eq!(path_problem("target/ipw"), None);
        assert_eq!(path_problem("/tmp/with space/é"), None);
        assert_eq!(path_problem(""), Some("it is empty"));
        assert_eq!(path_problem("\n"), Some("it contains a control character"));
        assert_eq!(
            path_problem("out\u{1b}[0m"),
            Some("it contains a control character")
        );
    }

    #[test]
    fn escaping_keeps_text_on_one_line() {
        assert_eq!(escape_controls("sort/1000"), "sort/1000");
        assert_eq!(escape_controls("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(escape_controls("\u{1b}[1mé"), "\\u{1b}[1mé");
        let os = OsString::from_vec(b"ab\xff\n\"c".to_vec());
        assert_eq!(escape_os(&os), "\"ab\\xff\\n\\\"c\"");
        assert_eq!(escape_os(OsStr::new("é")), "\"é\"");
    }
}
