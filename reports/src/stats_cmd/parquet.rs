//! Parquet input for `cargo ipw stats`: the selected columns only, one record batch at a
//! time, handed on row by row as the CSV reader hands them.

use super::csv::{columns, Columns, Labels, LastGroup, Selection, Source, MAX_LABELS};
use super::error::StatsCmdError;
use crate::message::SHOWN_PATH_CHARS;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use ipw_bench::stats::csv_input::{shown, At, SHOWN_CHARS};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use std::fs::File;
use std::io::Read;

/// Rows decoded at once: a batch of the needed columns stays well under a megabyte.
const BATCH_ROWS: usize = 8192;

/// Whether `path` is a Parquet file: its name ends in `.parquet` or it starts with `PAR1`.
pub(crate) fn is_parquet(path: &str, file: &mut File) -> bool {
    if path.to_ascii_lowercase().ends_with(".parquet") {
        return true;
    }
    let mut magic = [0u8; 4];
    file.read_exact(&mut magic).is_ok() && &magic == b"PAR1"
}

fn unreadable(path: &str, e: impl std::fmt::Display) -> StatsCmdError {
    StatsCmdError::Parquet {
        path: path.to_string(),
        message: shown(&e.to_string(), SHOWN_CHARS),
    }
}

fn wrong_type(path: &str, column: &str, found: &DataType, want: &'static str) -> StatsCmdError {
    StatsCmdError::ColumnType {
        path: path.to_string(),
        column: shown(column, SHOWN_CHARS),
        found: shown(&found.to_string(), SHOWN_CHARS),
        want,
    }
}

const NUMERIC: &str = "a number (integer or float)";
const LABEL: &str = "text or an integer";

/// The values of a numeric column as `f64`, into `out` (nulls as NaN, checked apart).
fn numbers(col: &ArrayRef, out: &mut Vec<f64>) -> bool {
    macro_rules! widen {
        ($t:ty) => {
            out.extend(col.as_primitive::<$t>().values().iter().map(|&v| v as f64))
        };
    }
    out.clear();
    match col.data_type() {
        DataType::Float64 => out.extend_from_slice(col.as_primitive::<Float64Type>().values()),
        DataType::Float32 => widen!(Float32Type),
        DataType::Int8 => widen!(Int8Type),
        DataType::Int16 => widen!(Int16Type),
        DataType::Int32 => widen!(Int32Type),
        DataType::Int64 => widen!(Int64Type),
        DataType::UInt8 => widen!(UInt8Type),
        DataType::UInt16 => widen!(UInt16Type),
        DataType::UInt32 => widen!(UInt32Type),
        DataType::UInt64 => widen!(UInt64Type),
        _ => return false,
    }
    true
}

fn is_label(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) || t.is_integer()
}

/// Row `i` of a label column as the bytes a CSV cell would hold; integers are written
/// into `buf`. Nulls read as an empty cell.
fn label<'a>(col: &'a ArrayRef, i: usize, buf: &'a mut String) -> &'a [u8] {
    use std::fmt::Write;
    if col.is_null(i) {
        return b"";
    }
    macro_rules! int {
        ($t:ty) => {{
            buf.clear();
            let _ = write!(buf, "{}", col.as_primitive::<$t>().value(i));
            buf.as_bytes()
        }};
    }
    match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(i).as_bytes(),
        DataType::LargeUtf8 => col.as_string::<i64>().value(i).as_bytes(),
        DataType::Utf8View => col.as_string_view().value(i).as_bytes(),
        DataType::Int8 => int!(Int8Type),
        DataType::Int16 => int!(Int16Type),
        DataType::Int32 => int!(Int32Type),
        DataType::Int64 => int!(Int64Type),
        DataType::UInt8 => int!(UInt8Type),
        DataType::UInt16 => int!(UInt16Type),
        DataType::UInt32 => int!(UInt32Type),
        _ => int!(UInt64Type),
    }
}

/// Reads the rows of a Parquet file once, in file order, as [`super::csv::scan`] reads a
/// CSV: the group (interned into `groups`), the checked value and the label cells of each
/// row, handed to `row`. Only the selected columns are decoded.
pub(crate) fn scan(
    file: File,
    path: &str,
    sel: &Selection,
    groups: &mut Labels,
    mut row: impl FnMut(&Source, u32, f64, &[&[u8]]) -> Result<(), StatsCmdError>,
) -> Result<(), StatsCmdError> {
    let path = &shown(path, SHOWN_PATH_CHARS);
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| unreadable(path, e))?;
    let schema = builder.schema().clone();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let Columns {
        value_at,
        group_at,
        label_at,
    } = columns(&header, sel, path)?;
    let value_type = schema.field(value_at).data_type();
    if !(value_type.is_integer() || value_type.is_floating()) || value_type == &DataType::Float16 {
        return Err(wrong_type(path, &sel.value, value_type, NUMERIC));
    }
    let named = group_at
        .iter()
        .map(|&at| (at, sel.group.as_deref().unwrap_or("group")))
        .chain(
            label_at
                .iter()
                .zip(&sel.labels)
                .map(|(&at, (n, _))| (at, n.as_str())),
        );
    for (at, name) in named {
        let t = schema.field(at).data_type();
        if !is_label(t) {
            return Err(wrong_type(path, name, t, LABEL));
        }
    }
    if group_at.is_none() {
        groups.intern("all");
    }
    let mut wanted: Vec<usize> = [value_at]
        .into_iter()
        .chain(group_at)
        .chain(label_at.iter().copied())
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    // The projected batch holds the wanted columns in file order.
    let place = |at: usize| wanted.binary_search(&at).unwrap_or_default();
    let mask = ProjectionMask::roots(builder.parquet_schema(), wanted.iter().copied());
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| unreadable(path, e))?;
    let group_column = sel.group.as_deref().unwrap_or("group");
    let mut values = Vec::with_capacity(BATCH_ROWS);
    let mut group_buf = String::new();
    let mut label_bufs: [String; MAX_LABELS] = Default::default();
    let mut last_group = LastGroup::default();
    let mut seen: u64 = 0;
    for batch in reader {
        let batch = batch.map_err(|e| unreadable(path, e))?;
        let value_col = batch.column(place(value_at));
        numbers(value_col, &mut values);
        let group_col = group_at.map(|at| batch.column(place(at)));
        let label_cols: Vec<&ArrayRef> =
            label_at.iter().map(|&at| batch.column(place(at))).collect();
        for (i, &value) in values.iter().enumerate() {
            seen += 1;
            let src = Source {
                path,
                at: At { row: seen, line: 0 },
            };
            let value = if value_col.is_null(i) {
                src.value(b"", &sel.value)?
            } else if !value.is_finite() || sel.binary && value != 0.0 && value != 1.0 {
                // As the CSV reader words it.
                let cell = value.to_string();
                if sel.binary {
                    src.outcome(cell.as_bytes(), &sel.value)?
                } else {
                    src.value(cell.as_bytes(), &sel.value)?
                }
            } else {
                value
            };
            let g = match group_col {
                None => 0,
                Some(col) => {
                    last_group.id(groups, &src, label(col, i, &mut group_buf), group_column)?
                }
            };
            let mut cells: [&[u8]; MAX_LABELS] = [&[]; MAX_LABELS];
            for ((cell, col), buf) in cells.iter_mut().zip(&label_cols).zip(&mut label_bufs) {
                *cell = label(col, i, buf);
            }
            row(&src, g, value, &cells[..label_cols.len()])?;
        }
    }
    Ok(())
}
