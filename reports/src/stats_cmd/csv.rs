//! Streaming CSV reading for `cargo ipw stats`: only the needed columns are kept, values as
//! `f64`, labels interned to small integers.

use super::error::StatsCmdError;
use crate::message::SHOWN_PATH_CHARS;
use ipw_bench::stats::csv_input::{
    duplicate, listed, shown, text, At, RowError, Rows as CsvRows, SHOWN_CHARS,
};
use std::collections::HashMap;
use std::io::Read;

/// Which columns to read. A `None` group means "one group named `all`".
#[derive(Debug, Clone)]
pub struct Selection {
    pub value: String,
    pub value_flag: &'static str,
    pub group: Option<String>,
    /// Label columns kept row by row (`--pair`, `--factor`), with the flag that names them.
    pub labels: Vec<(String, &'static str)>,
    /// Values must be 0 or 1 (outcomes: wrong or right).
    pub binary: bool,
}

/// Interned labels of one column, numbered by first appearance.
#[derive(Debug, Default, Clone)]
pub struct Labels {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Labels {
    pub(crate) fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

/// A label column kept row by row.
#[derive(Debug, Clone)]
pub struct LabelColumn {
    pub name: String,
    pub labels: Labels,
    /// Label index of each row.
    pub rows: Vec<u32>,
}

/// What was read.
#[derive(Debug, Clone)]
pub struct Table {
    pub value_column: String,
    pub group_column: Option<String>,
    /// Group names in order of first appearance.
    pub groups: Vec<String>,
    /// Values of each group, in file order.
    pub by_group: Vec<Vec<f64>>,
    /// Row-wise data, kept only when label columns were asked for.
    pub rows: Option<Rows>,
}

/// Row-wise view for pairing and two-way designs.
#[derive(Debug, Clone)]
pub struct Rows {
    pub values: Vec<f64>,
    pub group: Vec<u32>,
    pub labels: Vec<LabelColumn>,
}

/// Where the data come from: the file's name for messages, and the row being read.
pub(crate) struct Source<'a> {
    pub(super) path: &'a str,
    pub(super) at: At,
}

impl Source<'_> {
    fn path(&self) -> String {
        self.path.to_string()
    }

    fn cell<'c>(&self, cell: &'c [u8], column: &str) -> Result<&'c str, StatsCmdError> {
        text(cell).ok_or_else(|| StatsCmdError::Utf8 {
            path: self.path(),
            at: self.at,
            column: shown(column, SHOWN_CHARS),
        })
    }

    /// A label (group, pair, factor level): any text but an empty one.
    pub(super) fn label<'c>(&self, cell: &'c [u8], column: &str) -> Result<&'c str, StatsCmdError> {
        let name = self.cell(cell, column)?;
        if name.trim().is_empty() {
            return Err(StatsCmdError::MissingCell {
                path: self.path(),
                at: self.at,
                column: shown(column, SHOWN_CHARS),
            });
        }
        Ok(name)
    }

    pub(super) fn value(&self, cell: &[u8], column: &str) -> Result<f64, StatsCmdError> {
        let t = self.cell(cell, column)?.trim();
        let column = || shown(column, SHOWN_CHARS);
        if t.is_empty() {
            return Err(StatsCmdError::MissingCell {
                path: self.path(),
                at: self.at,
                column: column(),
            });
        }
        let cell = || shown(t, SHOWN_CHARS);
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            // Rust reads "1e400" as infinity; only the words mean NaN or infinity.
            Ok(v) if v.is_infinite() && t.bytes().any(|b| b.is_ascii_digit()) => {
                Err(StatsCmdError::OutOfRange {
                    path: self.path(),
                    at: self.at,
                    column: column(),
                    cell: cell(),
                })
            }
            Ok(_) => Err(StatsCmdError::NonFinite {
                path: self.path(),
                at: self.at,
                column: column(),
                cell: cell(),
            }),
            Err(_) => Err(StatsCmdError::BadNumber {
                path: self.path(),
                at: self.at,
                column: column(),
                cell: cell(),
            }),
        }
    }

    /// An outcome: 0 (wrong) or 1 (right), as a number.
    pub(super) fn outcome(&self, cell: &[u8], column: &str) -> Result<f64, StatsCmdError> {
        let v = self.value(cell, column)?;
        if v == 0.0 || v == 1.0 {
            return Ok(v);
        }
        Err(StatsCmdError::NotBinary {
            path: self.path(),
            at: self.at,
            column: shown(column, SHOWN_CHARS),
            cell: shown(self.cell(cell, column)?.trim(), SHOWN_CHARS),
        })
    }
}

fn find_column(
    header: &[String],
    name: &str,
    flag: &'static str,
    path: &str,
) -> Result<usize, StatsCmdError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| StatsCmdError::MissingColumn {
            path: path.to_string(),
            column: shown(name, SHOWN_CHARS),
            flag,
            available: listed(header),
        })
}

pub(super) fn rows_error(path: &str, source: RowError) -> StatsCmdError {
    StatsCmdError::Rows {
        path: path.to_string(),
        source,
    }
}

/// Label columns a selection may keep row by row (`--pair`, or anova2's two factors).
pub(super) const MAX_LABELS: usize = 2;

/// Where the selected columns are in a header (CSV's first row, Parquet's schema).
pub(super) struct Columns {
    pub(super) value_at: usize,
    pub(super) group_at: Option<usize>,
    pub(super) label_at: Vec<usize>,
}

/// Finds the selected columns in `header`: each once, the label columns at most
/// [`MAX_LABELS`].
pub(super) fn columns(
    header: &[String],
    sel: &Selection,
    path: &str,
) -> Result<Columns, StatsCmdError> {
    if let Some((column, first, second)) = duplicate(header) {
        return Err(StatsCmdError::DuplicateColumn {
            path: path.to_string(),
            column: shown(column, SHOWN_CHARS),
            first,
            second,
        });
    }
    let value_at = find_column(header, &sel.value, sel.value_flag, path)?;
    let group_at = match &sel.group {
        Some(g) => Some(find_column(header, g, "--group", path)?),
        None => None,
    };
    let mut label_at = Vec::new();
    for (name, flag) in &sel.labels {
        label_at.push(find_column(header, name, flag, path)?);
    }
    if label_at.len() > MAX_LABELS {
        return Err(StatsCmdError::Input(format!(
            "at most {MAX_LABELS} label columns (--pair, --factor) can be read, got {}",
            label_at.len()
        )));
    }
    Ok(Columns {
        value_at,
        group_at,
        label_at,
    })
}

/// The last group read and its number: files are usually sorted by group, so most rows
/// skip the hash lookup.
#[derive(Default)]
pub(super) struct LastGroup(Option<(Vec<u8>, u32)>);

impl LastGroup {
    /// The number of the group named by the cell `raw`, interned into `groups`.
    pub(super) fn id(
        &mut self,
        groups: &mut Labels,
        src: &Source,
        raw: &[u8],
        column: &str,
    ) -> Result<u32, StatsCmdError> {
        match &self.0 {
            Some((name, id)) if name.as_slice() == raw => Ok(*id),
            _ => {
                let id = groups.intern(src.label(raw, column)?);
                self.0 = Some((raw.to_vec(), id));
                Ok(id)
            }
        }
    }
}

/// Reads the rows of a CSV with a header line once, in file order: each data row's group
/// (interned into `groups`, numbered by first appearance), its checked value, and the raw
/// cells of the label columns, handed to `row`. Only the selected columns are looked at.
/// `path` names the input in messages.
///
/// Plain rows (no quotes, `\n` line ends) are split by [`super::fast_csv`], on several
/// threads; from the first row that is not plain on, the `csv` crate's parser reads the
/// rest, so both give the same rows, values and messages.
pub(crate) fn scan<R: Read>(
    reader: R,
    path: &str,
    sel: &Selection,
    groups: &mut Labels,
    mut row: impl FnMut(&Source, u32, f64, &[&[u8]]) -> Result<(), StatsCmdError>,
) -> Result<(), StatsCmdError> {
    let path = &shown(path, SHOWN_PATH_CHARS);
    if sel.labels.is_empty() {
        return super::fast_csv::scan(reader, path, sel, groups, &mut row);
    }
    scan_csv(CsvRows::new(reader), path, sel, groups, &mut row)
}

/// [`scan`] by the `csv` crate's parser alone, from the header on.
pub(super) fn scan_csv<R: Read>(
    mut rows: CsvRows<R>,
    path: &str,
    sel: &Selection,
    groups: &mut Labels,
    row: &mut RowSink,
) -> Result<(), StatsCmdError> {
    let Some((at, first)) = rows.next_row().map_err(|e| rows_error(path, e))? else {
        return Err(StatsCmdError::Empty {
            path: path.to_string(),
        });
    };
    let layout = Layout::of(&Source { path, at }, first.iter(), sel, groups)?;
    data_rows(rows, path, &layout, sel, groups, row)
}

/// Where a CSV's selected columns are, from its header.
pub(super) struct Layout {
    /// Cells in the header: every row must have as many.
    pub(super) width: usize,
    pub(super) columns: Columns,
}

impl Layout {
    /// The header's names (trimmed, a byte order mark inside quotes dropped) and the
    /// selected columns among them; with no group column, every row is in group `all`.
    pub(super) fn of<'c>(
        src: &Source,
        cells: impl Iterator<Item = &'c [u8]>,
        sel: &Selection,
        groups: &mut Labels,
    ) -> Result<Layout, StatsCmdError> {
        let mut header = Vec::new();
        for (i, cell) in cells.enumerate() {
            let name = src.cell(cell, &format!("#{}", i + 1))?.trim();
            // A byte order mark inside quotes, which the byte source leaves.
            header.push(name.trim_start_matches('\u{feff}').to_string());
        }
        let columns = columns(&header, sel, src.path)?;
        if columns.group_at.is_none() {
            groups.intern("all");
        }
        Ok(Layout {
            width: header.len(),
            columns,
        })
    }
}

/// The data rows of [`scan`] by the `csv` crate's parser, from wherever `rows` stands.
pub(super) fn data_rows<R: Read>(
    mut rows: CsvRows<R>,
    path: &str,
    layout: &Layout,
    sel: &Selection,
    groups: &mut Labels,
    row: &mut RowSink,
) -> Result<(), StatsCmdError> {
    let Columns {
        value_at,
        group_at,
        ref label_at,
    } = layout.columns;
    let group_column = sel.group.as_deref().unwrap_or("group");
    let mut last_group = LastGroup::default();
    while let Some((at, record)) = rows.next_row().map_err(|e| rows_error(path, e))? {
        let src = Source { path, at };
        if record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if record.len() != layout.width {
            return Err(StatsCmdError::Ragged {
                path: path.to_string(),
                at: src.at,
                found: record.len(),
                expected: layout.width,
            });
        }
        let value = if sel.binary {
            src.outcome(&record[value_at], &sel.value)?
        } else {
            src.value(&record[value_at], &sel.value)?
        };
        let g = match group_at {
            None => 0,
            Some(at) => last_group.id(groups, &src, &record[at], group_column)?,
        };
        let mut cells: [&[u8]; MAX_LABELS] = [&[]; MAX_LABELS];
        for (cell, &at) in cells.iter_mut().zip(label_at) {
            *cell = &record[at];
        }
        row(&src, g, value, &cells[..label_at.len()])?;
    }
    Ok(())
}

/// Hands each row to the callback of [`collect`]: its source, group, value and label cells.
pub(crate) type RowSink<'s> =
    dyn FnMut(&Source, u32, f64, &[&[u8]]) -> Result<(), StatsCmdError> + 's;

/// Reads the selected columns of a CSV with a header line into memory: only the values of
/// the selected columns are kept. `path` names the input in messages.
pub fn read_table<R: Read>(reader: R, path: &str, sel: &Selection) -> Result<Table, StatsCmdError> {
    collect(path, sel, |groups, row| {
        scan(reader, path, sel, groups, row)
    })
}

/// Keeps in memory what `scan_rows` reads (the CSV or the Parquet reader, handed the
/// groups to intern into and the sink of the rows).
pub(crate) fn collect(
    path: &str,
    sel: &Selection,
    scan_rows: impl FnOnce(&mut Labels, &mut RowSink) -> Result<(), StatsCmdError>,
) -> Result<Table, StatsCmdError> {
    let keep_rows = !sel.labels.is_empty();
    let mut groups = Labels::default();
    let mut by_group: Vec<Vec<f64>> = Vec::new();
    let mut rows_kept = Rows {
        values: Vec::new(),
        group: Vec::new(),
        labels: sel
            .labels
            .iter()
            .map(|(name, _)| LabelColumn {
                name: name.clone(),
                labels: Labels::default(),
                rows: Vec::new(),
            })
            .collect(),
    };
    scan_rows(&mut groups, &mut |src, g, value, cells| {
        if g as usize == by_group.len() {
            by_group.push(Vec::new());
        }
        by_group[g as usize].push(value);
        if keep_rows {
            rows_kept.values.push(value);
            rows_kept.group.push(g);
            for (col, cell) in rows_kept.labels.iter_mut().zip(cells) {
                let id = col.labels.intern(src.label(cell, &col.name)?);
                col.rows.push(id);
            }
        }
        Ok(())
    })?;
    if by_group.iter().all(Vec::is_empty) {
        return Err(StatsCmdError::NoRows {
            path: shown(path, SHOWN_PATH_CHARS),
        });
    }
    Ok(Table {
        value_column: sel.value.clone(),
        group_column: sel.group.clone(),
        groups: groups.names,
        by_group,
        rows: keep_rows.then_some(rows_kept),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(group: Option<&str>) -> Selection {
        Selection {
            value: "value".into(),
            value_flag: "--value",
            group: group.map(String::from),
            labels: vec![],
            binary: false,
        }
    }

    fn read(data: &[u8]) -> Result<Table, StatsCmdError> {
        read_table(data, "f.csv", &sel(Some("group")))
    }

    #[test]
    fn quoted_fields_and_line_ends() {
        let data = "group,value,note\r\n\"a,1\",1.5,\"say \"\"hi\"\"\"\r\nb,2,\"two\n\nlines\"\r\n\"a,1\",3,x\r\n";
        let t = read(data.as_bytes()).unwrap();
        assert_eq!(t.groups, vec!["a,1", "b"]);
        assert_eq!(t.by_group, vec![vec![1.5, 3.0], vec![2.0]]);
        for data in [
            &b"\xef\xbb\xbf\"group\",value\ra,1\rb,2\r"[..],
            b"\xef\xbb\xbfgroup,value\n\na,1\n  \nb,2",
            b"group,value\r\na,1\r\nb,2\r\n",
        ] {
            let t = read(data).unwrap();
            assert_eq!(t.by_group, vec![vec![1.0], vec![2.0]], "{data:?}");
        }
    }

    #[track_caller]
    fn fails(data: &str, want: &str) {
        let e = read(data.as_bytes()).unwrap_err().to_string();
        assert_eq!(e, want);
    }

    #[test]
    fn errors_name_file_row_and_column() {
        fails(
            "group,value\na,1\na,x\n",
            "f.csv: row 3, column 'value': 'x' is not a number; fix the cell or remove the row",
        );
        fails(
            "group,value\na,\"1\n\"\na,NaN\n",
            "f.csv: row 3 (line 4), column 'value': 'NaN' is not a finite number (NaN or \
             infinity); fix the cell or remove the row",
        );
        fails(
            "group,value\na,-1e400\n",
            "f.csv: row 2, column 'value': '-1e400' is too large for f64 (beyond 1.8e308); \
             rescale the column",
        );
        fails(
            "g,value\n",
            "f.csv: column 'group' not found in the header (columns: g, value); pass --group \
             COL to pick one",
        );
        fails(
            "group,value,value\na,1,2\n",
            "f.csv: column 'value' appears twice in the header (columns 2 and 3); rename one",
        );
        fails(
            "group,value\na,1,2\n",
            "f.csv: row 2 has 3 field(s) where the header has 2; quote fields that contain commas",
        );
        fails(
            "group,value\na\n",
            "f.csv: row 2 has 1 field(s) where the header has 2; fill in the missing cells",
        );
        fails(
            "group,value\n\"a,1\n",
            "f.csv: row 2: a quoted field is never closed; add the closing '\"'",
        );
        fails(
            "group,value\n ,1\n",
            "f.csv: row 2, column 'group': the cell is empty; fill it in or remove the row",
        );
        fails("group,value\n", "f.csv has a header but no data rows");
        fails(
            "",
            "f.csv is empty: it needs a header line naming the columns",
        );
        fails(
            "\n\n",
            "f.csv is empty: it needs a header line naming the columns",
        );
        let outcomes = Selection {
            binary: true,
            ..sel(Some("group"))
        };
        let e = read_table(&b"group,value\na,1\na,0.0\nb,2\n"[..], "f.csv", &outcomes)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "f.csv: row 4, column 'value': '2' is not an outcome; write 0 (wrong) or 1 (right)"
        );
        let e = read(b"group,value\na,\xff\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "f.csv: row 2, column 'value': the cell is not valid UTF-8; save the file as UTF-8"
        );
    }

    #[test]
    fn quoted_text_is_escaped_and_cut() {
        let cell = format!("\"1\n\u{1b}[2J{}\"", "9".repeat(500));
        let e = read(format!("group,value\na,{cell}\n").as_bytes())
            .unwrap_err()
            .to_string();
        assert!(!e.contains('\n') && !e.contains('\u{1b}'), "{e}");
        assert!(
            e.contains("'1\\n\\u{1b}[2J999") && e.contains("...'"),
            "{e}"
        );
        assert!(e.chars().count() < 200, "{} chars: {e}", e.chars().count());
        let long_path = format!("/{}\n.csv", "d".repeat(300));
        let e = read_table(&b"g\n"[..], &long_path, &sel(Some("group")))
            .unwrap_err()
            .to_string();
        assert!(!e.contains('\n') && e.chars().count() < 200, "{e}");
    }

    #[test]
    fn an_endless_row_is_an_error_not_a_full_memory() {
        let zeros = std::io::Read::take(std::io::repeat(0), 1 << 26);
        let e = read_table(zeros, "/dev/zero", &sel(Some("group")))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "/dev/zero: row 1 is longer than 1048576 bytes: is this a CSV file?"
        );
    }
}
