//! Errors of `cargo ipw stats`: each names the file, the row and the column, and says what
//! to do. User text in them is quoted through `csv_input::shown`, so each is one short line.

use ipw_bench::stats::csv_input::{At, RowError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StatsCmdError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The rows themselves cannot be read: an unclosed quote, an endless row, a read error.
    #[error("{path}: {source}")]
    Rows { path: String, source: RowError },
    #[error("{path} is empty: it needs a header line naming the columns")]
    Empty { path: String },
    #[error("{path} has a header but no data rows")]
    NoRows { path: String },
    #[error("{path}: column '{column}' not found in the header (columns: {available}); pass {flag} COL to pick one")]
    MissingColumn {
        path: String,
        column: String,
        flag: &'static str,
        available: String,
    },
    #[error("{path}: column '{column}' appears twice in the header (columns {first} and {second}); rename one")]
    DuplicateColumn {
        path: String,
        column: String,
        first: usize,
        second: usize,
    },
    #[error(
        "{path}: {at} has {found} field(s) where the header has {expected}; {}",
        if found > expected { "quote fields that contain commas" } else { "fill in the missing cells" }
    )]
    Ragged {
        path: String,
        at: At,
        found: usize,
        expected: usize,
    },
    #[error("{path}: {at}, column '{column}': the cell is empty; fill it in or remove the row")]
    MissingCell {
        path: String,
        at: At,
        column: String,
    },
    #[error(
        "{path}: {at}, column '{column}': '{cell}' is not a number; fix the cell or remove the row"
    )]
    BadNumber {
        path: String,
        at: At,
        column: String,
        cell: String,
    },
    #[error("{path}: {at}, column '{column}': '{cell}' is not a finite number (NaN or infinity); fix the cell or remove the row")]
    NonFinite {
        path: String,
        at: At,
        column: String,
        cell: String,
    },
    #[error("{path}: {at}, column '{column}': '{cell}' is too large for f64 (beyond 1.8e308); rescale the column")]
    OutOfRange {
        path: String,
        at: At,
        column: String,
        cell: String,
    },
    #[error(
        "{path}: {at}, column '{column}': '{cell}' is not an outcome; write 0 (wrong) or 1 (right)"
    )]
    NotBinary {
        path: String,
        at: At,
        column: String,
        cell: String,
    },
    #[error(
        "{path}: {at}, column '{column}': the cell is not valid UTF-8; save the file as UTF-8"
    )]
    Utf8 {
        path: String,
        at: At,
        column: String,
    },
    /// A file read more than once (for the median) gave other rows the second time.
    #[error("{path} changed while it was read (a later pass saw other rows): read it again when nothing writes to it")]
    Changed { path: String },
    #[error("{path}: not a readable Parquet file ({message}); check that the file is complete")]
    Parquet { path: String, message: String },
    #[error("{path}: column '{column}' holds {found} where it needs {want}; pick another column")]
    ColumnType {
        path: String,
        column: String,
        found: String,
        want: &'static str,
    },
    /// Any other problem with the data or the flags, already worded for the user.
    #[error("{0}")]
    Input(String),
}
