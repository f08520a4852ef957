//! Names that users give to what a run stores: which are usable.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
