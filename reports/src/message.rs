//! Text from the user's files and flags, made fit to quote in a one-line message (the rule
//! of `ipw_bench::stats::csv_input::shown`, which the CSV readers use too).

pub use ipw_bench::stats::csv_input::shown;

/// At most this many characters of a file name.
pub const SHOWN_PATH_CHARS: usize = 60;

/// A file name for a message: control characters escaped, long ones cut.
pub fn shown_path(path: &std::path::Path) -> String {
    shown(&path.to_string_lossy(), SHOWN_PATH_CHARS)
}

/// The whole message on one line: line breaks and other control characters escaped.
pub fn one_line(message: &str) -> String {
    shown(message, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_names_stay_on_one_line() {
        assert_eq!(one_line("one\ntwo\r\u{1b}"), "one\\ntwo\\r\\u{1b}");
        let long = format!("/tmp/{}\n.json", "x".repeat(100));
        let shown = shown_path(std::path::Path::new(&long));
        assert_eq!(shown.chars().count(), SHOWN_PATH_CHARS + 3);
        assert!(!shown.contains('\n'));
    }
}
