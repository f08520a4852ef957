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

/// An error and its causes, joined with `: `, leaving out a cause whose text the message
/// already holds (an error that prints its source, as `{path}: {source}` does, would
/// otherwise say it twice).
pub fn chain_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read f.csv: {source}")]
    struct Prints {
        source: std::io::Error,
    }

    #[test]
    fn a_cause_is_said_once() {
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(Prints { source: io() });
        assert_eq!(chain_text(&e), "cannot read f.csv: no such file");
        let e = anyhow::Error::new(io()).context("reading f.csv");
        assert_eq!(chain_text(&e), "reading f.csv: no such file");
    }

    #[test]
    fn messages_and_names_stay_on_one_line() {
        assert_eq!(one_line("one\ntwo\r\u{1b}"), "one\\ntwo\\r\\u{1b}");
        let long = format!("/tmp/{}\n.json", "x".repeat(100));
        let shown = shown_path(std::path::Path::new(&long));
        assert_eq!(shown.chars().count(), SHOWN_PATH_CHARS + 3);
        assert!(!shown.contains('\n'));
    }
}
