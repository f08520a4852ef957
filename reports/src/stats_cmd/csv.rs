//! Streaming CSV reading for `cargo ipw stats`: only the needed columns are kept, values as
//! `f64`, labels interned to small integers.

use super::error::StatsCmdError;
use std::collections::HashMap;
use std::io::BufRead;

/// Which columns to read. A `None` group means "one group named `all`".
#[derive(Debug, Clone)]
pub struct Selection {
    pub value: String,
    pub value_flag: &'static str,
    pub group: Option<String>,
    /// Label columns kept row by row (`--pair`, `--factor`), with the flag that names them.
    pub labels: Vec<(String, &'static str)>,
}

/// Interned labels of one column, numbered by first appearance.
#[derive(Debug, Default, Clone)]
pub struct Labels {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Labels {
    fn intern(&mut self, name: &str) -> u32 {
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

/// Splits one CSV record into fields (RFC 4180 quoting: `""` inside quotes is a quote).
/// Field contents go to `buf`, their ranges to `fields`. Returns false while a quoted field
/// is still open at the end of `line` (it continues on the next line).
fn split_record(line: &[u8], buf: &mut Vec<u8>, fields: &mut Vec<(usize, usize)>) -> bool {
    buf.clear();
    fields.clear();
    let mut i = 0;
    let n = line.len();
    loop {
        let start = buf.len();
        if i < n && line[i] == b'"' {
            i += 1;
            loop {
                match line[i..].iter().position(|&c| c == b'"') {
                    None => return false,
                    Some(off) => {
                        buf.extend_from_slice(&line[i..i + off]);
                        i += off + 1;
                        if i < n && line[i] == b'"' {
                            buf.push(b'"');
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
            }
            // Anything between the closing quote and the comma is kept as written.
            let end = line[i..]
                .iter()
                .position(|&c| c == b',')
                .map_or(n, |o| i + o);
            buf.extend_from_slice(&line[i..end]);
            i = end;
        } else {
            let end = line[i..]
                .iter()
                .position(|&c| c == b',')
                .map_or(n, |o| i + o);
            buf.extend_from_slice(&line[i..end]);
            i = end;
        }
        fields.push((start, buf.len()));
        if i >= n {
            return true;
        }
        i += 1; // the comma
        if i == n {
            fields.push((buf.len(), buf.len()));
            return true;
        }
    }
}

/// Reads one record (one line, or several when a quoted field spans lines) into `line`.
/// Returns the number of physical lines read; 0 at the end of input.
fn read_record<R: BufRead>(
    reader: &mut R,
    line: &mut Vec<u8>,
    buf: &mut Vec<u8>,
    fields: &mut Vec<(usize, usize)>,
    path: &str,
    first_line: u64,
) -> Result<u64, StatsCmdError> {
    line.clear();
    let mut lines = 0;
    loop {
        let got = reader
            .read_until(b'\n', line)
            .map_err(|source| StatsCmdError::Io {
                path: path.to_string(),
                source,
            })?;
        if got == 0 {
            if lines == 0 {
                return Ok(0);
            }
            return Err(StatsCmdError::OpenQuote { line: first_line });
        }
        lines += 1;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if split_record(line, buf, fields) {
            return Ok(lines);
        }
        line.push(b'\n');
    }
}

fn cell<'a>(
    buf: &'a [u8],
    field: (usize, usize),
    line: u64,
    column: &str,
) -> Result<&'a str, StatsCmdError> {
    std::str::from_utf8(&buf[field.0..field.1]).map_err(|_| StatsCmdError::Utf8 {
        line,
        column: column.to_string(),
    })
}

fn parse_value(text: &str, line: u64, column: &str) -> Result<f64, StatsCmdError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(StatsCmdError::MissingCell {
            line,
            column: column.to_string(),
        });
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(StatsCmdError::NonFinite {
            line,
            column: column.to_string(),
            cell: t.to_string(),
        }),
        Err(_) => Err(StatsCmdError::BadNumber {
            line,
            column: column.to_string(),
            cell: t.to_string(),
        }),
    }
}

fn find_column(header: &[String], name: &str, flag: &'static str) -> Result<usize, StatsCmdError> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| StatsCmdError::MissingColumn {
            column: name.to_string(),
            flag,
            available: header.join(", "),
        })
}

/// Reads the selected columns of a CSV with a header line. `path` is only for messages.
pub fn read_table<R: BufRead>(
    mut reader: R,
    path: &str,
    sel: &Selection,
) -> Result<Table, StatsCmdError> {
    let (mut line, mut buf, mut fields) = (Vec::new(), Vec::new(), Vec::new());
    let mut line_no: u64 = 1;
    let got = read_record(&mut reader, &mut line, &mut buf, &mut fields, path, line_no)?;
    if got == 0 {
        return Err(StatsCmdError::Empty {
            path: path.to_string(),
        });
    }
    let mut header = Vec::with_capacity(fields.len());
    for &f in &fields {
        header.push(cell(&buf, f, 1, "header")?.trim().to_string());
    }
    if let Some(first) = header.first_mut() {
        // A UTF-8 byte order mark, as spreadsheet programs write.
        if let Some(stripped) = first.strip_prefix('\u{feff}') {
            *first = stripped.to_string();
        }
    }
    line_no += got;
    let value_at = find_column(&header, &sel.value, sel.value_flag)?;
    let group_at = match &sel.group {
        Some(g) => Some(find_column(&header, g, "--group")?),
        None => None,
    };
    let mut label_at = Vec::new();
    for (name, flag) in &sel.labels {
        label_at.push(find_column(&header, name, flag)?);
    }
    let keep_rows = !sel.labels.is_empty();
    let mut groups = Labels::default();
    let mut by_group: Vec<Vec<f64>> = Vec::new();
    if group_at.is_none() {
        groups.intern("all");
        by_group.push(Vec::new());
    }
    let mut rows = Rows {
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
    // Files are usually sorted by group: remember the last group to skip the hash lookup.
    let mut last_group: Option<(Vec<u8>, u32)> = None;
    loop {
        let got = read_record(&mut reader, &mut line, &mut buf, &mut fields, path, line_no)?;
        if got == 0 {
            break;
        }
        let this = line_no;
        line_no += got;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if fields.len() != header.len() {
            return Err(StatsCmdError::Ragged {
                line: this,
                found: fields.len(),
                expected: header.len(),
            });
        }
        let value = parse_value(
            cell(&buf, fields[value_at], this, &sel.value)?,
            this,
            &sel.value,
        )?;
        let g = match group_at {
            None => 0,
            Some(at) => {
                let (s, e) = fields[at];
                let raw = &buf[s..e];
                match &last_group {
                    Some((name, id)) if name.as_slice() == raw => *id,
                    _ => {
                        let column = sel.group.as_deref().unwrap_or("group");
                        let name = cell(&buf, fields[at], this, column)?;
                        if name.trim().is_empty() {
                            return Err(StatsCmdError::MissingCell {
                                line: this,
                                column: column.to_string(),
                            });
                        }
                        let id = groups.intern(name);
                        if id as usize == by_group.len() {
                            by_group.push(Vec::new());
                        }
                        last_group = Some((raw.to_vec(), id));
                        id
                    }
                }
            }
        };
        by_group[g as usize].push(value);
        if keep_rows {
            rows.values.push(value);
            rows.group.push(g);
            for (col, &at) in rows.labels.iter_mut().zip(&label_at) {
                let name = cell(&buf, fields[at], this, &col.name)?;
                if name.trim().is_empty() {
                    return Err(StatsCmdError::MissingCell {
                        line: this,
                        column: col.name.clone(),
                    });
                }
                let id = col.labels.intern(name);
                col.rows.push(id);
            }
        }
    }
    if by_group.iter().all(Vec::is_empty) {
        return Err(StatsCmdError::NoRows {
            path: path.to_string(),
        });
    }
    Ok(Table {
        value_column: sel.value.clone(),
        group_column: sel.group.clone(),
        groups: groups.names,
        by_group,
        rows: keep_rows.then_some(rows),
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
        }
    }

    #[test]
    fn quoted_fields_and_crlf() {
        let data = "group,value,note\r\n\"a,1\",1.5,\"say \"\"hi\"\"\"\r\nb,2,\"two\nlines\"\r\n\"a,1\",3,x\r\n";
        let t = read_table(data.as_bytes(), "test", &sel(Some("group"))).unwrap();
        assert_eq!(t.groups, vec!["a,1", "b"]);
        assert_eq!(t.by_group, vec![vec![1.5, 3.0], vec![2.0]]);
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad = "group,value\na,1\na,x\n";
        let e = read_table(bad.as_bytes(), "f", &sel(Some("group"))).unwrap_err();
        assert!(e.to_string().contains("line 3, column 'value'"), "{e}");
        let nan = "group,value\na,NaN\n";
        let e = read_table(nan.as_bytes(), "f", &sel(Some("group"))).unwrap_err();
        assert!(matches!(e, StatsCmdError::NonFinite { line: 2, .. }), "{e}");
        let e = read_table("g,value\n".as_bytes(), "f", &sel(Some("group"))).unwrap_err();
        assert!(e.to_string().contains("--group"), "{e}");
        let e = read_table("group,value\na,1,2\n".as_bytes(), "f", &sel(None)).unwrap_err();
        assert!(matches!(e, StatsCmdError::Ragged { line: 2, .. }));
        let e = read_table("group,value\n\"a,1\n".as_bytes(), "f", &sel(None)).unwrap_err();
        assert!(matches!(e, StatsCmdError::OpenQuote { line: 2 }));
    }

    #[test]
    fn trailing_empty_field_counts() {
        let (mut buf, mut f) = (Vec::new(), Vec::new());
        assert!(split_record(b"a,b,", &mut buf, &mut f));
        assert_eq!(f.len(), 3);
        assert!(!split_record(b"a,\"b", &mut buf, &mut f));
    }
}
