//! Text from the user's files and flags, made fit to quote in a one-line message.

/// At most this many characters of a quoted value: enough to recognise it.
pub const SHOWN_CHARS: usize = 40;
/// At most this many characters of a file name.
pub const SHOWN_PATH_CHARS: usize = 60;

/// `text` with control characters escaped (`\n`, `\u{1b}`) and cut to `max` characters
/// with a trailing `...`, so that quoting it keeps a message on one short line.
pub fn shown(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max {
            out.push_str("...");
            break;
        }
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

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
    fn control_characters_are_escaped_and_long_text_cut() {
        assert_eq!(shown("a\nb\r\t\u{1b}[31m", 40), "a\\nb\\r\\t\\u{1b}[31m");
        assert_eq!(shown("abcdef", 3), "abc...");
        assert_eq!(shown("abc", 3), "abc");
        assert_eq!(shown("é€😀x", 3), "é€😀...");
        assert_eq!(one_line("one\ntwo"), "one\\ntwo");
    }
}
