//! The quick path of `cargo ipw stats`' CSV reader: plain rows (no `"`, no `\r`, one row
//! per line) are split at `,` and `\n` and their values read on several threads, a block
//! of lines each; the rows are then handed on in file order on the calling thread.
//!
//! It reads nothing differently from the `csv` crate's parser ([`super::csv::data_rows`]):
//! a row it cannot vouch for (a quote or a `\r` in its block, a blank or over-long line,
//! a ragged row, a cell that is not a finite number or a valid label) stops it, and the
//! parser reads the rest of the input from the start of that row, numbering rows and
//! lines on from where this path left off. Every message therefore comes from the
//! parser's own checks, and the values are those `str::parse` gives (see
//! [`super::decimal`]).

use super::csv::{data_rows, rows_error, scan_csv, Labels, Layout, RowSink, Selection, Source};
use super::decimal;
use super::error::StatsCmdError;
use ipw_bench::stats::csv_input::{At, RowError, Rows as CsvRows, MAX_ROW_BYTES};
use std::io::{Cursor, Read};

/// How the input is cut up: in use, [`Tuning::DEFAULT`]; the tests cut small inputs as
/// finely as large ones are.
#[derive(Debug, Clone, Copy)]
struct Tuning {
    /// Bytes of lines each thread parses at a time.
    block: usize,
    /// Threads that parse at once, at most (memory: this many blocks and their rows).
    threads: usize,
    /// Fewest bytes worth a thread of their own.
    smallest_part: usize,
}

impl Tuning {
    const DEFAULT: Tuning = Tuning {
        block: 4 << 20,
        threads: 4,
        smallest_part: 256 << 10,
    };
}
/// A UTF-8 byte order mark, which the parser strips at the start of its input.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads as [`super::csv::scan`] does, the quick way where the rows allow it.
pub(super) fn scan<R: Read>(
    reader: R,
    path: &str,
    sel: &Selection,
    groups: &mut Labels,
    row: &mut RowSink,
) -> Result<(), StatsCmdError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let tuning = Tuning {
        threads: cores.min(Tuning::DEFAULT.threads),
        ..Tuning::DEFAULT
    };
    scan_tuned(reader, path, sel, groups, row, tuning)
}

fn scan_tuned<R: Read>(
    mut reader: R,
    path: &str,
    sel: &Selection,
    groups: &mut Labels,
    row: &mut RowSink,
    tuning: Tuning,
) -> Result<(), StatsCmdError> {
    let io = |e| rows_error(path, RowError::Io(e));
    let mut buf: Vec<u8> = Vec::new();
    let mut eof = false;
    let header_end = loop {
        if let Some(p) = memchr::memchr(b'\n', &buf) {
            break Some(p);
        }
        if eof || buf.len() > MAX_ROW_BYTES {
            break None;
        }
        eof = fill(&mut reader, &mut buf, 64 << 10).map_err(io)? == 0;
    };
    let plain_header = header_end.filter(|&e| {
        e > 0 && !buf.starts_with(BOM) && memchr::memchr2(b'"', b'\r', &buf[..e]).is_none()
    });
    let Some(e) = plain_header else {
        return scan_csv(
            CsvRows::new(Cursor::new(buf).chain(reader)),
            path,
            sel,
            groups,
            row,
        );
    };
    let header = Source {
        path,
        at: At { row: 1, line: 1 },
    };
    let layout = Layout::of(&header, buf[..e].split(|&b| b == b','), sel, groups)?;
    let (threads, block) = (tuning.threads.max(1), tuning.block.max(1));
    let mut consumed = e + 1;
    // Rows read so far, the header's included; each was one line.
    let mut rows_done: u64 = 1;
    loop {
        buf.drain(..consumed);
        while !eof && buf.len() < threads * block {
            let want = threads * block - buf.len();
            eof = fill(&mut reader, &mut buf, want).map_err(io)? == 0;
        }
        if buf.is_empty() {
            return Ok(());
        }
        // Whole lines; at the end of the input the last one may lack its line feed.
        let end = match (eof, memchr::memrchr(b'\n', &buf)) {
            (true, _) => buf.len(),
            (false, Some(p)) => p + 1,
            (false, None) => 0,
        };
        let stop = if end == 0 || memchr::memchr2(b'"', b'\r', &buf[..end]).is_some() {
            Some(0)
        } else {
            let parts = parse_parts(
                &buf[..end],
                threads,
                tuning.smallest_part,
                &layout,
                sel.binary,
            );
            emit(parts, path, &layout, groups, &mut rows_done, row)?
        };
        if let Some(at) = stop {
            buf.drain(..at);
            let rest = CsvRows::resume(Cursor::new(buf).chain(reader), rows_done, rows_done + 1);
            return data_rows(rest, path, &layout, sel, groups, row);
        }
        consumed = end;
    }
}

/// Appends up to `want` bytes of `reader` to `buf`; 0 at the end of the input.
fn fill(reader: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<usize> {
    let start = buf.len();
    buf.resize(start + want, 0);
    let n = loop {
        match reader.read(&mut buf[start..]) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    buf.truncate(start + *n.as_ref().unwrap_or(&0));
    n
}

/// What one thread read of its lines.
struct Part {
    /// Where its lines begin in the block.
    start: usize,
    /// Bytes of its lines it read; short of its end when a row stopped it.
    used: usize,
    stopped: bool,
    /// Group of each row, numbered within the part by first appearance.
    groups: Vec<u32>,
    values: Vec<f64>,
    /// The part's group names, by its own numbers.
    names: Vec<String>,
}

/// Splits `block` (whole lines) into one part per thread and reads them at once.
fn parse_parts(
    block: &[u8],
    threads: usize,
    smallest_part: usize,
    layout: &Layout,
    binary: bool,
) -> Vec<Part> {
    let n = (block.len() / smallest_part.max(1)).clamp(1, threads);
    let mut bounds = vec![0];
    for k in 1..n {
        let from = (block.len() * k / n).max(*bounds.last().unwrap_or(&0));
        let cut = memchr::memchr(b'\n', &block[from..]).map_or(block.len(), |p| from + p + 1);
        bounds.push(cut);
    }
    bounds.push(block.len());
    bounds.dedup();
    let spans: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    if spans.len() == 1 {
        return vec![parse_part(block, 0, layout, binary)];
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = spans[1..]
            .iter()
            .map(|&(a, b)| s.spawn(move || parse_part(&block[a..b], a, layout, binary)))
            .collect();
        let (a, b) = spans[0];
        let mut parts = vec![parse_part(&block[a..b], a, layout, binary)];
        for h in handles {
            // A part's reading is plain slicing and parsing; it does not panic.
            parts.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        parts
    })
}

/// Reads the lines of `bytes` until the first row this path cannot vouch for.
fn parse_part(bytes: &[u8], start: usize, layout: &Layout, binary: bool) -> Part {
    let mut part = Part {
        start,
        used: 0,
        stopped: false,
        groups: Vec::with_capacity(bytes.len() / 16),
        values: Vec::with_capacity(bytes.len() / 16),
        names: Vec::new(),
    };
    // The part's names as raw cells, with a short name's bytes packed in a word too, so
    // that most rows find their group by comparing one integer.
    let mut raw_names: Vec<(u64, &[u8])> = Vec::new();
    let mut last: Option<(u64, &[u8], u32)> = None;
    let mut at = 0;
    while at < bytes.len() {
        let (end, row) = plain_row(bytes, at, layout, binary);
        let Some((value, group)) = row else {
            part.stopped = true;
            return part;
        };
        let g = match group {
            None => 0,
            Some(raw) => {
                let key = packed(raw);
                match last {
                    Some((k, name, id)) if k == key && (key != 0 || name == raw) => id,
                    _ => {
                        let known = raw_names
                            .iter()
                            .position(|&(k, name)| k == key && (key != 0 || name == raw));
                        let id = match known {
                            Some(i) => i as u32,
                            None => {
                                let Some(name) = std::str::from_utf8(raw)
                                    .ok()
                                    .filter(|n| !n.trim().is_empty())
                                else {
                                    part.stopped = true;
                                    return part;
                                };
                                part.names.push(name.to_string());
                                raw_names.push((key, raw));
                                raw_names.len() as u32 - 1
                            }
                        };
                        last = Some((key, raw, id));
                        id
                    }
                }
            }
        };
        part.groups.push(g);
        part.values.push(value);
        at = end + 1;
        part.used = at.min(bytes.len());
    }
    part
}

/// A cell of at most 7 bytes packed with its length into a word that no other cell shares;
/// 0 for a longer cell, which is compared byte by byte.
fn packed(cell: &[u8]) -> u64 {
    if cell.len() > 7 {
        return 0;
    }
    let mut word = [0u8; 8];
    word[..cell.len()].copy_from_slice(cell);
    word[7] = cell.len() as u8 + 1;
    u64::from_le_bytes(word)
}

/// A plain row's value and raw group cell (`None` without a group column).
type PlainRow<'l> = (f64, Option<&'l [u8]>);

/// The line of `bytes` at `at`: where it ends (its line feed, or the end of `bytes`),
/// and its value and raw group cell when the parser would read it as one row of
/// `layout.width` cells with a finite value (0 or 1 when `binary`); `None` for any other
/// line, which the parser is left to read.
fn plain_row<'l>(
    bytes: &'l [u8],
    at: usize,
    layout: &Layout,
    binary: bool,
) -> (usize, Option<PlainRow<'l>>) {
    let (value_at, group_at) = (layout.columns.value_at, layout.columns.group_at);
    let (mut value, mut group) = (None, None);
    let mut cell = 0;
    let mut from = at;
    let mut i = at;
    // One pass over a short line finds its cells and its end.
    loop {
        let b = bytes.get(i).copied();
        if matches!(b, None | Some(b'\n' | b',')) {
            if cell == value_at {
                value = Some(&bytes[from..i]);
            }
            if Some(cell) == group_at {
                group = Some(&bytes[from..i]);
            }
            cell += 1;
            from = i + 1;
            if b != Some(b',') {
                break;
            }
        }
        i += 1;
    }
    let end = i;
    if end == at || end - at > MAX_ROW_BYTES || cell != layout.width {
        return (end, None);
    }
    (end, plain_value(value, binary).map(|v| (v, group)))
}

/// A cell's value when it is finite (and 0 or 1 when `binary`).
fn plain_value(cell: Option<&[u8]>, binary: bool) -> Option<f64> {
    let cell = cell?;
    // A plain decimal is ASCII with nothing to trim; anything else is read as the parser's
    // checks read it.
    let v = match decimal::plain(cell) {
        Some(v) => v,
        None => {
            let text = std::str::from_utf8(cell).ok()?.trim();
            if text.is_empty() {
                return None;
            }
            text.parse::<f64>().ok()?
        }
    };
    let fits = v.is_finite() && (!binary || v == 0.0 || v == 1.0);
    fits.then_some(v)
}

/// Hands the parts' rows to `row` in file order, the groups numbered in `groups` by first
/// appearance in the file; `Some(offset)` in the block where a part stopped.
fn emit(
    parts: Vec<Part>,
    path: &str,
    layout: &Layout,
    groups: &mut Labels,
    rows_done: &mut u64,
    row: &mut RowSink,
) -> Result<Option<usize>, StatsCmdError> {
    let grouped = layout.columns.group_at.is_some();
    for part in parts {
        let mut global: Vec<Option<u32>> = vec![None; part.names.len()];
        for (&local, &v) in part.groups.iter().zip(&part.values) {
            let g = if grouped {
                *global[local as usize]
                    .get_or_insert_with(|| groups.intern(&part.names[local as usize]))
            } else {
                0
            };
            *rows_done += 1;
            let src = Source {
                path,
                at: At {
                    row: *rows_done,
                    line: *rows_done,
                },
            };
            row(&src, g, v, &[])?;
        }
        if part.stopped {
            return Ok(Some(part.start + part.used));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::super::csv::Selection;
    use super::*;
    use proptest::prelude::*;

    /// What a reader made of an input: every row (group name, value bits, row, line) and
    /// the message it ended with.
    type Read = (Vec<(String, u64, u64, u64)>, Option<String>);

    fn selection(binary: bool, grouped: bool) -> Selection {
        Selection {
            value: "value".into(),
            value_flag: "--value",
            group: grouped.then(|| "group".into()),
            labels: Vec::new(),
            binary,
        }
    }

    fn read_with(input: &[u8], sel: &Selection, tuning: Option<Tuning>) -> Read {
        let mut groups = Labels::default();
        let mut rows: Vec<(u32, u64, u64, u64)> = Vec::new();
        let mut sink = |src: &Source, g: u32, v: f64, _: &[&[u8]]| {
            rows.push((g, v.to_bits(), src.at.row, src.at.line));
            Ok(())
        };
        let end = match tuning {
            Some(t) => scan_tuned(input, "f.csv", sel, &mut groups, &mut sink, t),
            None => scan_csv(CsvRows::new(input), "f.csv", sel, &mut groups, &mut sink),
        };
        let named = rows
            .into_iter()
            .map(|(g, v, r, l)| (groups.names[g as usize].clone(), v, r, l))
            .collect();
        (named, end.err().map(|e| e.to_string()))
    }

    const FINE: Tuning = Tuning {
        block: 64,
        threads: 3,
        smallest_part: 8,
    };

    fn agree(input: &[u8], sel: &Selection) {
        let parser = read_with(input, sel, None);
        for tuning in [FINE, Tuning { block: 7, ..FINE }, Tuning::DEFAULT] {
            let quick = read_with(input, sel, Some(tuning));
            assert_eq!(
                quick,
                parser,
                "{tuning:?} on {:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn plain_files_and_every_kind_of_stop_read_as_the_parser_reads_them() {
        let sel = selection(false, true);
        let many: String = (0..500)
            .map(|i| format!("g{},{}.{}\n", i % 7, i, i % 10))
            .collect();
        for input in [
            "group,value\na,1\nb,2.5\na,-3\n".to_string(),
            "group,value\na,1\nb,2".to_string(),
            format!("group,value\n{many}"),
            format!("group,value\n{many}\n\n{many}"),
            format!("group,value\n{many}x,\"1\"\n{many}"),
            format!("group,value\n{many}x,1\r\n{many}"),
            format!("group,value\n{many}x,abc\n{many}"),
            format!("group,value\n{many}x,1,2\n{many}"),
            format!("group,value\n{many} ,1\n{many}"),
            format!("group,value\n{many}x,inf\n"),
            format!("group,value\n{many}x,1e400\n"),
            format!("group,value\n{many}\u{feff}x,1\n{many}"),
            format!("group,value\n{many}   \n{many}"),
            format!("group,value\n{many}x, 1.5e3 \n{many}"),
            "\u{feff}group,value\na,1\n".to_string(),
            "\ngroup,value\na,1\n".to_string(),
            "group,value\n".to_string(),
            "group,value".to_string(),
            String::new(),
            "value,group\n1,a\n2,b\n".to_string(),
            "other,value\n1,2\n".to_string(),
        ] {
            agree(input.as_bytes(), &sel);
        }
        agree(b"group,value\na,1\na,0\nb,2\n", &selection(true, true));
        agree(b"value\n1\n2\n\n3\n", &selection(false, false));
        let mut bad = b"group,value\na,1\n".to_vec();
        bad.extend_from_slice(b"\xff,2\na,\xfe\n");
        agree(&bad, &sel);
        let long = format!("group,value\na,1\nb,{}\n", "1".repeat(MAX_ROW_BYTES + 10));
        agree(long.as_bytes(), &sel);
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => "[0-9]{1,4}(\\.[0-9]{0,3})?",
            3 => prop::sample::select(vec!["a", "b", "g1", " a", "a "]).prop_map(String::from),
            1 => prop::sample::select(vec![
                "", " ", "\"", "\"x\"", "\r", "nan", "-inf", "1e5", "+2", ".5", "\u{feff}",
                "é", "a,b",
            ])
            .prop_map(String::from),
        ]
    }

    proptest! {
        #[test]
        fn any_rows_read_as_the_parser_reads_them(
            rows in prop::collection::vec(prop::collection::vec(cell(), 0..4), 0..60),
            binary in any::<bool>(),
            blank_end in any::<bool>(),
        ) {
            let mut input = String::from("group,value\n");
            for r in &rows {
                input.push_str(&r.join(","));
                input.push('\n');
            }
            if !blank_end {
                input.pop();
            }
            let sel = selection(binary, true);
            let parser = read_with(input.as_bytes(), &sel, None);
            for tuning in [FINE, Tuning { block: 5, threads: 2, smallest_part: 1 }] {
                let quick = read_with(input.as_bytes(), &sel, Some(tuning));
                prop_assert_eq!(&quick, &parser, "{:?}", input);
            }
        }
    }
}
