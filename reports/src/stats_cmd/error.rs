//! Errors of `cargo ipw stats`: each names the row or column and says what to do.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StatsCmdError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is empty: it needs a header line naming the columns")]
    Empty { path: String },
    #[error("{path} has a header but no data rows")]
    NoRows { path: String },
    #[error("column '{column}' not found in the header (columns: {available}); pass {flag} COL to pick one")]
    MissingColumn {
        column: String,
        flag: &'static str,
        available: String,
    },
    #[error("line {line}: {found} field(s) where the header has {expected}; quote fields that contain commas")]
    Ragged {
        line: u64,
        found: usize,
        expected: usize,
    },
    #[error("line {line}, column '{column}': the cell is empty; fill it in or remove the row")]
    MissingCell { line: u64, column: String },
    #[error(
        "line {line}, column '{column}': '{cell}' is not a number; fix the cell or remove the row"
    )]
    BadNumber {
        line: u64,
        column: String,
        cell: String,
    },
    #[error("line {line}, column '{column}': '{cell}' is not a finite number (NaN or infinity); fix the cell or remove the row")]
    NonFinite {
        line: u64,
        column: String,
        cell: String,
    },
    #[error("line {line}, column '{column}': the cell is not valid UTF-8; save the file as UTF-8")]
    Utf8 { line: u64, column: String },
    #[error("line {line}: a quoted field is never closed; add the closing '\"'")]
    OpenQuote { line: u64 },
    /// Any other problem with the data or the flags, already worded for the user.
    #[error("{0}")]
    Input(String),
}
