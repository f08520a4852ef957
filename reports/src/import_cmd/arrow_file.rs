//! Arrow IPC files as other harnesses write them: the stream format (`datasets`'
//! `save_to_disk`, `pa.ipc.new_stream`) or the file format (`pa.ipc.new_file`, Feather
//! v2), told apart by the file format's `ARROW1` magic; and typed access to a column by
//! its path through nested structs (`model_metrics.<model>.energy_metrics.per_query_joules`),
//! whose errors name the column.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, Int32Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// Every batch of an Arrow IPC file or stream; the error is one line that says why.
pub fn read_batches(path: &Path) -> Result<Vec<RecordBatch>, String> {
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut magic = [0u8; 6];
    let is_file_format = file.read_exact(&mut magic).is_ok() && &magic == b"ARROW1";
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    let not_arrow = |e: arrow_schema::ArrowError| {
        format!(
            "it is not an Arrow IPC {} ({e}); pass the data-*.arrow files of a run",
            if is_file_format { "file" } else { "stream" }
        )
    };
    let batches: Result<Vec<RecordBatch>, _> = if is_file_format {
        arrow_ipc::reader::FileReader::try_new(BufReader::new(file), None)
            .map_err(not_arrow)?
            .collect()
    } else {
        arrow_ipc::reader::StreamReader::try_new(BufReader::new(file), None)
            .map_err(not_arrow)?
            .collect()
    };
    batches.map_err(not_arrow)
}

/// Whether the batch has a top-level column `name`.
pub fn has_column(batch: &RecordBatch, name: &str) -> bool {
    batch.schema().column_with_name(name).is_some()
}

/// The field names of the struct column `name` (the models of `model_metrics`).
pub fn struct_fields(batch: &RecordBatch, name: &str) -> Result<Vec<String>, String> {
    let col = batch
        .column_by_name(name)
        .ok_or_else(|| format!("it has no column `{name}`"))?;
    match col.data_type() {
        DataType::Struct(fields) => Ok(fields.iter().map(|f| f.name().clone()).collect()),
        other => Err(format!("its column `{name}` is {other}, not a struct")),
    }
}

/// A column found by its path, with every struct above it (a row is null when any level
/// is).
pub struct Column {
    path: String,
    levels: Vec<ArrayRef>,
}

impl Column {
    /// The column at `path` (names through nested structs); an error naming the path
    /// when a level is missing or is not a struct.
    pub fn find(batch: &RecordBatch, path: &[&str]) -> Result<Column, String> {
        let shown = path.join(".");
        let missing = || format!("it has no column `{shown}`");
        let first = batch.column_by_name(path[0]).ok_or_else(missing)?;
        let mut levels = vec![first.clone()];
        for name in &path[1..] {
            let Some(parent) = levels.last().and_then(|a| a.as_struct_opt()) else {
                return Err(format!("`{shown}`: a level above `{name}` is not a struct"));
            };
            let child = parent.column_by_name(name).ok_or_else(missing)?;
            levels.push(child.clone());
        }
        Ok(Column {
            path: shown,
            levels,
        })
    }

    /// [`Column::find`], or `None` when the path is missing (an optional column).
    pub fn optional(batch: &RecordBatch, path: &[&str]) -> Option<Column> {
        Column::find(batch, path).ok()
    }

    fn leaf(&self) -> &ArrayRef {
        &self.levels[self.levels.len() - 1]
    }

    fn is_valid(&self, row: usize) -> bool {
        self.levels.iter().all(|a| a.is_valid(row))
    }

    /// Checks that the column holds numbers, so that a row reads without surprise.
    pub fn numbers(self) -> Result<Column, String> {
        match self.leaf().data_type() {
            DataType::Float64
            | DataType::Float32
            | DataType::Int64
            | DataType::Int32
            | DataType::UInt64
            | DataType::UInt32 => Ok(self),
            other => Err(format!(
                "its column `{}` is {other}, not a number",
                self.path
            )),
        }
    }

    /// Checks that the column holds true/false values.
    pub fn booleans(self) -> Result<Column, String> {
        match self.leaf().data_type() {
            DataType::Boolean => Ok(self),
            other => Err(format!(
                "its column `{}` is {other}, not a boolean",
                self.path
            )),
        }
    }

    /// Checks that the column holds text.
    pub fn strings(self) -> Result<Column, String> {
        match self.leaf().data_type() {
            DataType::Utf8 | DataType::LargeUtf8 => Ok(self),
            other => Err(format!("its column `{}` is {other}, not text", self.path)),
        }
    }

    /// The number at `row`; `None` when null, NaN, or negative (the IPW harness writes -1
    /// for a value it did not measure).
    pub fn number(&self, row: usize) -> Option<f64> {
        if !self.is_valid(row) {
            return None;
        }
        let a = self.leaf();
        let v = if let Some(p) = a.as_primitive_opt::<Float64Type>() {
            p.value(row)
        } else if let Some(p) = a.as_primitive_opt::<Float32Type>() {
            f64::from(p.value(row))
        } else if let Some(p) = a.as_primitive_opt::<Int64Type>() {
            p.value(row) as f64
        } else if let Some(p) = a.as_primitive_opt::<Int32Type>() {
            f64::from(p.value(row))
        } else if let Some(p) = a.as_primitive_opt::<UInt64Type>() {
            p.value(row) as f64
        } else if let Some(p) = a.as_primitive_opt::<UInt32Type>() {
            f64::from(p.value(row))
        } else {
            return None;
        };
        (v.is_finite() && v >= 0.0).then_some(v)
    }

    /// The boolean at `row`; `None` when null.
    pub fn boolean(&self, row: usize) -> Option<bool> {
        if !self.is_valid(row) {
            return None;
        }
        self.leaf().as_boolean_opt().map(|b| b.value(row))
    }

    /// The text at `row`; `None` when null.
    pub fn string(&self, row: usize) -> Option<String> {
        if !self.is_valid(row) {
            return None;
        }
        let a = self.leaf();
        if let Some(s) = a.as_string_opt::<i32>() {
            return Some(s.value(row).to_string());
        }
        a.as_string_opt::<i64>().map(|s| s.value(row).to_string())
    }
}
