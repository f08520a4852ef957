//! CSV input for the readers of user files (`cargo ipw stats`, the Survival Game): the
//! `csv` crate's parser behind a byte source that strips a UTF-8 byte order mark, bounds
//! the length of a row and tells an unclosed quote from a clean end of the file.
//!
//! The parser takes `,` between fields, `"` around fields (a doubled `""` inside is a
//! quote; quoted fields may hold commas and line breaks), and `\n`, `\r\n` or a lone `\r`
//! at the end of a row; blank lines are skipped and not counted. Rows are numbered from the
//! header, row 1; [`At`] adds the line when a row starts further down (after a quoted
//! field over several lines). Every message quotes user text through [`shown`], so it stays one
//! short line.

use std::io::{self, Read};
use thiserror::Error;

/// The longest row read, in bytes. Past it the input is not a table (`/dev/zero`, a binary
/// file, a quote opened and never closed), and reading on would only fill memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;
/// Characters of a cell or a name quoted in a message.
pub const SHOWN_CHARS: usize = 40;
const BOM: [u8; 3] = [0xef, 0xbb, 0xbf];

/// Where a row is: its number (the header is row 1) and the line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// The row's number, counting the header as row 1 and skipping blank lines.
    pub row: u64,
    /// The line the row starts on (1-based; blank lines before it count as its start), as
    /// counted by line feeds: with lone `\r` line ends it stays 1 and is not shown.
    pub line: u64,
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}", self.row)?;
        if self.line > self.row {
            write!(f, " (line {})", self.line)?;
        }
        Ok(())
    }
}

/// Why the rows could not be read.
#[derive(Debug, Error)]
pub enum RowError {
    /// The input ends inside a quoted field.
    #[error("{at}: a quoted field is never closed; add the closing '\"'")]
    OpenQuote {
        /// The row the unclosed field is in.
        at: At,
    },
    /// A row is longer than [`MAX_ROW_BYTES`].
    #[error(
        "{at} is longer than {MAX_ROW_BYTES} bytes{}: is this a CSV file?",
        if *.in_quotes { " inside a quoted field that is never closed" } else { "" }
    )]
    LongRow {
        /// The row that is too long.
        at: At,
        /// Whether the row was still inside a quoted field when it passed the limit.
        in_quotes: bool,
    },
    /// Reading the input failed.
    #[error("cannot read it: {0}")]
    Io(#[source] io::Error),
}

/// The rows of a CSV input, one [`csv::ByteRecord`] at a time.
pub struct Rows<R: Read> {
    csv: csv::Reader<Guard<R>>,
    record: csv::ByteRecord,
    row: u64,
    /// The line after the last row read: where a row that fails to parse starts (or a
    /// blank line before it).
    next_line: u64,
    /// Lines of the input before the parser's own first line (see [`Rows::resume`]).
    line_offset: u64,
}

impl<R: Read> Rows<R> {
    /// Rows of `input`, read through a buffer; a leading UTF-8 byte order mark is skipped.
    pub fn new(input: R) -> Rows<R> {
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(Guard::new(input));
        Rows {
            csv,
            record: csv::ByteRecord::new(),
            row: 0,
            next_line: 1,
            line_offset: 0,
        }
    }

    /// The rows of an input read from a row boundary on, as if `Rows::new` had read the
    /// input from its start: the first row read is numbered `row + 1` and starts on line
    /// `line` (at least 2: the header is line 1). A byte order mark there is data, as it
    /// is in the middle of a file: the parser, which strips one at the start of what it
    /// reads, is first handed a one-cell row that is read and dropped here.
    pub fn resume(
        input: R,
        row: u64,
        line: u64,
    ) -> Rows<std::io::Chain<io::Cursor<&'static [u8]>, R>> {
        let mut rows = Rows::new(io::Cursor::new(&b"x\n"[..]).chain(input));
        // A one-cell row of one byte cannot fail to parse.
        let _ = rows.next_row();
        rows.row = row;
        rows.line_offset = line.saturating_sub(2);
        rows.next_line = line;
        rows
    }

    /// The next row and where it is, or `None` at the end of the input.
    pub fn next_row(&mut self) -> Result<Option<(At, &csv::ByteRecord)>, RowError> {
        match self.csv.read_byte_record(&mut self.record) {
            Ok(true) => {
                self.row += 1;
                let at = At {
                    row: self.row,
                    line: self.line_offset + self.record.position().map_or(self.row, |p| p.line()),
                };
                self.next_line = self.line_offset + self.csv.position().line();
                Ok(Some((at, &self.record)))
            }
            Ok(false) => Ok(None),
            Err(e) => {
                let at = At {
                    row: self.row + 1,
                    line: self.next_line,
                };
                Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => match Problem::of(&io) {
                        Some(Problem::OpenQuote) => RowError::OpenQuote { at },
                        Some(Problem::LongRow { in_quotes }) => RowError::LongRow { at, in_quotes },
                        None => RowError::Io(io),
                    },
                    // With `flexible` and byte records the parser reports nothing else.
                    other => RowError::Io(io::Error::other(format!("{other:?}"))),
                })
            }
        }
    }
}

/// A cell's bytes as text, or `None` when they are not UTF-8.
pub fn text(cell: &[u8]) -> Option<&str> {
    std::str::from_utf8(cell).ok()
}

/// `text` with control characters escaped (`\n`, `\u{1b}`) and cut to `max` characters
/// with a trailing `...`: quoting it keeps a message on one short line.
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

/// A cell's bytes for a message: [`shown`] over the text, invalid UTF-8 replaced.
pub fn shown_cell(cell: &[u8]) -> String {
    shown(&String::from_utf8_lossy(cell), SHOWN_CHARS)
}

/// The first name that appears twice, as `(name, first column, second column)`, columns
/// counted from 1. Empty names (unnamed columns) may repeat.
pub fn duplicate(names: &[String]) -> Option<(&str, usize, usize)> {
    let mut seen = std::collections::HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(name.as_str(), i) {
            return Some((name, first + 1, i + 1));
        }
    }
    None
}

/// The names of a header for a message: as many as fit in about 80 characters.
pub fn listed(names: &[String]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        let name = shown(name, SHOWN_CHARS);
        if !out.is_empty() && out.len() + name.len() > 80 {
            out.push_str(&format!(", ... ({} columns in all)", names.len()));
            return out;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&name);
    }
    out
}

/// What the guard found, carried through the parser inside an `io::Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
enum Problem {
    #[error("a quoted field is never closed")]
    OpenQuote,
    #[error("a row is longer than {MAX_ROW_BYTES} bytes")]
    LongRow { in_quotes: bool },
}

impl Problem {
    fn io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }

    fn of(e: &io::Error) -> Option<Problem> {
        e.get_ref()?.downcast_ref::<Problem>().copied()
    }
}

/// Where the quoting is, following the parser's own rules byte by byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: a doubled quote or the closing one.
    QuoteInQuoted,
}

/// The byte source under the parser. The parser asks for more only after it has used what
/// it was given, so an error returned here belongs to the row it is reading.
struct Guard<R> {
    inner: R,
    /// The first bytes, read ahead to look for byte order marks.
    head: [u8; 3],
    head_len: usize,
    head_pos: usize,
    started: bool,
    quoting: Quoting,
    row_bytes: usize,
    failed: Option<Problem>,
}

impl<R: Read> Guard<R> {
    fn new(inner: R) -> Guard<R> {
        Guard {
            inner,
            head: [0; 3],
            head_len: 0,
            head_pos: 0,
            started: false,
            quoting: Quoting::FieldStart,
            row_bytes: 0,
            failed: None,
        }
    }

    fn read_inner(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.inner.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }

    /// Drops every byte order mark at the start (the parser would strip one more).
    fn strip_boms(&mut self) -> io::Result<()> {
        loop {
            while self.head_len < 3 {
                let mut head = [0; 3];
                let n = self.read_inner(&mut head[..3 - self.head_len])?;
                if n == 0 {
                    break;
                }
                self.head[self.head_len..self.head_len + n].copy_from_slice(&head[..n]);
                self.head_len += n;
            }
            if self.head_len == 3 && self.head == BOM {
                self.head_len = 0;
            } else {
                return Ok(());
            }
        }
    }

    fn step(&mut self, b: u8) {
        use Quoting::*;
        let end_of_row = matches!(b, b'\n' | b'\r');
        self.quoting = match (self.quoting, b) {
            (Quoted, b'"') => QuoteInQuoted,
            (Quoted, _) => Quoted,
            (FieldStart, b'"') | (QuoteInQuoted, b'"') => Quoted,
            (_, b',') => FieldStart,
            (_, _) if end_of_row => FieldStart,
            _ => Unquoted,
        };
        if end_of_row && self.quoting == FieldStart {
            self.row_bytes = 0;
        } else {
            self.row_bytes += 1;
        }
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(p) = self.failed {
            return Err(p.io());
        }
        if buf.is_empty() {
            return Ok(0);
        }
        if !self.started {
            self.strip_boms()?;
            self.started = true;
        }
        let n = if self.head_pos < self.head_len {
            let n = (self.head_len - self.head_pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
            self.head_pos += n;
            n
        } else {
            self.read_inner(buf)?
        };
        if n == 0 {
            if self.quoting == Quoting::Quoted {
                self.failed = Some(Problem::OpenQuote);
                return Err(Problem::OpenQuote.io());
            }
            return Ok(0);
        }
        for (i, &b) in buf[..n].iter().enumerate() {
            self.step(b);
            if self.row_bytes > MAX_ROW_BYTES {
                let p = Problem::LongRow {
                    in_quotes: self.quoting == Quoting::Quoted,
                };
                self.failed = Some(p);
                // Hand over what comes before; the next call reports the problem.
                return if i == 0 { Err(p.io()) } else { Ok(i) };
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(input: &[u8]) -> Result<Vec<(Vec<String>, At)>, RowError> {
        let mut rows = Rows::new(input);
        let mut out = Vec::new();
        while let Some((at, r)) = rows.next_row()? {
            let cells = r
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            out.push((cells, at));
        }
        Ok(out)
    }

    fn cells(input: &[u8]) -> Vec<Vec<String>> {
        rows(input)
            .expect("valid CSV")
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    #[test]
    fn line_ends_boms_and_quotes() {
        let want = vec![vec!["a", "b"], vec!["1", "2"], vec!["3", "4"]];
        for input in [
            &b"a,b\n1,2\n3,4\n"[..],
            b"a,b\r\n1,2\r\n3,4",
            b"a,b\r1,2\r3,4\r",
            b"\xef\xbb\xbfa,b\n1,2\n3,4\n",
            b"\xef\xbb\xbf\"a\",\"b\"\n1,2\n\n\n3,4\n",
            b"\xef\xbb\xbf\xef\xbb\xbf\"a\",b\n1,2\n3,4\n",
        ] {
            assert_eq!(cells(input), want, "{}", String::from_utf8_lossy(input));
        }
        let got = cells(b"x,y\n\"two\n\n\nlines\",\"say \"\"hi\"\"\"\n");
        assert_eq!(got[1], vec!["two\n\n\nlines", "say \"hi\""]);
        // A quote inside an unquoted field is a character like any other.
        assert_eq!(cells(b"5\"x,y\n")[0], vec!["5\"x", "y"]);
    }

    #[test]
    fn rows_and_lines_are_counted_as_a_spreadsheet_shows_them() {
        let r = rows(b"a,b\n\"1\n2\",3\n4,5\n").expect("valid");
        assert_eq!(r[1].1, At { row: 2, line: 2 });
        assert_eq!(r[2].1, At { row: 3, line: 4 });
        assert_eq!(r[2].1.to_string(), "row 3 (line 4)");
        assert_eq!(r[1].1.to_string(), "row 2");
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_its_row_and_fast() {
        let mut input = b"a,b\n1,2\n\"3,4\n".to_vec();
        for i in 0..80_000 {
            input.extend_from_slice(format!("{i},x\n").as_bytes());
        }
        let start = std::time::Instant::now();
        let e = rows(&input).unwrap_err();
        assert!(
            matches!(e, RowError::OpenQuote { at } if at.row == 3),
            "{e}"
        );
        assert_eq!(
            e.to_string(),
            "row 3: a quoted field is never closed; add the closing '\"'"
        );
        // Linear: far below the 28 s the old line-by-line re-splitting took.
        assert!(start.elapsed().as_secs_f64() < 1.0, "{:?}", start.elapsed());
        // Closed at the very end is fine.
        assert_eq!(cells(b"a\n\"x\ny\"").len(), 2);
    }

    #[test]
    fn a_row_without_end_is_cut_at_the_limit() {
        let zeros = std::io::repeat(0).take(64 << 20);
        let e = Rows::new(zeros).next_row().map(|_| ()).unwrap_err();
        assert!(
            matches!(e, RowError::LongRow { at, in_quotes: false } if at.row == 1),
            "{e}"
        );
        let mut input = b"a\n\"".to_vec();
        input.resize(MAX_ROW_BYTES + 10, b'x');
        let e = rows(&input).unwrap_err();
        assert!(matches!(e, RowError::LongRow { in_quotes: true, at } if at.row == 2));
        assert!(e.to_string().contains("never closed"), "{e}");
        // Right at the limit is still a row.
        let mut ok = b"a\n".to_vec();
        ok.resize(2 + MAX_ROW_BYTES, b'x');
        assert_eq!(cells(&ok)[1][0].len(), MAX_ROW_BYTES);
    }

    /// A reader that hands out one byte per call, as a slow pipe may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(slot)) => {
                    *slot = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_bom_split_across_reads_is_still_stripped() {
        let mut rows = Rows::new(Trickle(b"\xef\xbb\xbf\"a\",b\n1,2\n"));
        let (_, header) = rows.next_row().expect("reads").expect("a row");
        assert_eq!(&header[0], b"a");
    }

    #[test]
    fn messages_quote_text_on_one_short_line() {
        assert_eq!(shown("a\nb\r\t\u{1b}[31m", 40), "a\\nb\\r\\t\\u{1b}[31m");
        assert_eq!(shown("abcdef", 3), "abc...");
        assert_eq!(shown("é€😀x", 3), "é€😀...");
        assert_eq!(shown_cell(b"\xff1\n"), "\u{fffd}1\\n");
        let names: Vec<String> = (0..100).map(|i| format!("column{i}")).collect();
        let l = listed(&names);
        assert!(l.len() < 120 && l.ends_with("(100 columns in all)"), "{l}");
        let dup = ["a", "", "b", "", "a"].map(String::from);
        assert_eq!(duplicate(&dup), Some(("a", 1, 5)));
        assert_eq!(duplicate(&dup[1..4]), None);
    }
}
