//! `--parquet DIR`: the runs as four Parquet tables, `cases`, `estimates`, `samples` and
//! `questions`, for DuckDB, Polars or pandas. Every table starts with `bench, host,
//! case_id`, the key that joins them; an unavailable value is a null, never 0. Columns
//! and units: `docs/export.md`.

use anyhow::Context;
use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use ipw_bench::results::{CaseResult, RunResults};
use parquet::arrow::ArrowWriter;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Columns of one table, in order, as Arrow arrays.
#[derive(Default)]
struct Table {
    columns: Vec<(String, ArrayRef)>,
}

impl Table {
    fn text<S: AsRef<str>>(&mut self, name: &str, v: Vec<Option<S>>) {
        let a: StringArray = v.iter().map(|s| s.as_ref().map(|s| s.as_ref())).collect();
        self.columns.push((name.into(), Arc::new(a)));
    }
    fn count(&mut self, name: &str, v: Vec<Option<u64>>) {
        self.columns
            .push((name.into(), Arc::new(UInt64Array::from(v))));
    }
    fn number(&mut self, name: &str, v: Vec<Option<f64>>) {
        self.columns
            .push((name.into(), Arc::new(Float64Array::from(v))));
    }
    fn flag(&mut self, name: &str, v: Vec<Option<bool>>) {
        self.columns
            .push((name.into(), Arc::new(BooleanArray::from(v))));
    }

    /// The table as the bytes of one Parquet file.
    fn parquet(self, table: &str) -> anyhow::Result<Vec<u8>> {
        let batch = RecordBatch::try_from_iter(self.columns)
            .with_context(|| format!("cannot build the {table} table"))?;
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, batch.schema(), None)
            .with_context(|| format!("cannot write the {table} table"))?;
        writer
            .write(&batch)
            .and_then(|()| writer.close().map(|_| ()))
            .with_context(|| format!("cannot write the {table} table"))?;
        Ok(bytes)
    }
}

/// A case with the run it comes from.
struct Row<'a> {
    run: &'a RunResults,
    case: &'a CaseResult,
}

fn rows(runs: &[RunResults]) -> Vec<Row<'_>> {
    runs.iter()
        .flat_map(|run| run.cases.iter().map(move |case| Row { run, case }))
        .collect()
}

/// The key columns every table starts with, for `keys` (one per table row).
fn key_columns(t: &mut Table, keys: &[&Row]) {
    t.text("bench", keys.iter().map(|r| Some(&r.run.bench)).collect());
    t.text(
        "host",
        keys.iter()
            .map(|r| r.run.run.host.hostname.as_ref())
            .collect(),
    );
    t.text("case_id", keys.iter().map(|r| Some(&r.case.id)).collect());
}

/// A serde enum's name as results.json writes it (`ok`, `measured`).
fn name_of<T: serde::Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

fn cases(rows: &[Row]) -> Table {
    let keys: Vec<&Row> = rows.iter().collect();
    let mut t = Table::default();
    key_columns(&mut t, &keys);
    let c = |f: &dyn Fn(&CaseResult) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(|r| f(r.case)).collect()
    };
    t.text("group", c(&|c| Some(c.group.clone())));
    t.text("name", c(&|c| Some(c.name.clone())));
    t.text("variant", c(&|c| c.variant.clone()));
    t.text("status", c(&|c| name_of(&c.status)));
    t.text("kind", c(&|c| c.kind.clone()));
    t.text("provenance", c(&|c| name_of(&c.provenance)));
    let n = |f: &dyn Fn(&CaseResult) -> Option<u64>| -> Vec<Option<u64>> {
        rows.iter().map(|r| f(r.case)).collect()
    };
    t.count("samples", n(&|c| Some(c.samples.len() as u64)));
    t.count(
        "valid_samples",
        n(&|c| Some(c.samples.iter().filter(|s| s.valid).count() as u64)),
    );
    t.count("queries", n(&|c| c.answers.map(|a| a.queries)));
    let x = |f: &dyn Fn(&CaseResult) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| f(r.case)).collect()
    };
    t.number("correct", x(&|c| c.answers.map(|a| a.correct)));
    t.number("incorrect", x(&|c| c.answers.map(|a| a.incorrect)));
    t.count("unjudged", n(&|c| c.answers.map(|a| a.unjudged)));
    t.count(
        "questions",
        n(&|c| c.question_set.as_ref().map(|q| q.questions)),
    );
    t.count("passes", n(&|c| c.question_set.as_ref().map(|q| q.passes)));
    t
}

fn estimates(rows: &[Row]) -> Table {
    let items: Vec<(&Row, &String, &ipw_bench::results::Estimate)> = rows
        .iter()
        .flat_map(|r| r.case.estimates.iter().map(move |(k, e)| (r, k, e)))
        .collect();
    let keys: Vec<&Row> = items.iter().map(|i| i.0).collect();
    let mut t = Table::default();
    key_columns(&mut t, &keys);
    t.text("metric", items.iter().map(|i| Some(i.1)).collect());
    t.number("point", items.iter().map(|i| Some(i.2.point)).collect());
    t.number("ci_low", items.iter().map(|i| Some(i.2.ci_low)).collect());
    t.number("ci_high", items.iter().map(|i| Some(i.2.ci_high)).collect());
    t.number(
        "confidence",
        items.iter().map(|i| Some(i.2.confidence)).collect(),
    );
    t.text("method", items.iter().map(|i| Some(&i.2.method)).collect());
    t.text("unit", items.iter().map(|i| Some(&i.2.unit)).collect());
    t.text(
        "provenance",
        items.iter().map(|i| name_of(&i.2.provenance)).collect(),
    );
    t.text(
        "resampled",
        items.iter().map(|i| i.2.resampled.as_ref()).collect(),
    );
    t
}

fn samples(rows: &[Row]) -> Table {
    let items: Vec<(&Row, usize, &ipw_bench::results::Sample)> = rows
        .iter()
        .flat_map(|r| {
            r.case
                .samples
                .iter()
                .enumerate()
                .map(move |(i, s)| (r, i, s))
        })
        .collect();
    let keys: Vec<&Row> = items.iter().map(|i| i.0).collect();
    let mut t = Table::default();
    key_columns(&mut t, &keys);
    let n = |f: &dyn Fn(usize, &ipw_bench::results::Sample) -> Option<u64>| {
        items.iter().map(|i| f(i.1, i.2)).collect::<Vec<_>>()
    };
    let x = |f: &dyn Fn(&ipw_bench::results::Sample) -> Option<f64>| {
        items.iter().map(|i| f(i.2)).collect::<Vec<_>>()
    };
    t.count("sample", n(&|i, _| Some(i as u64)));
    t.count("iters", n(&|_, s| Some(s.iters)));
    t.number("elapsed_s", x(&|s| Some(s.elapsed_s)));
    t.number("start_s", x(&|s| Some(s.start_s)));
    t.number("window_s", x(&|s| Some(s.window_s)));
    t.number("energy_total_j", x(&|s| s.energy_total_j));
    t.flag("valid", items.iter().map(|i| Some(i.2.valid)).collect());
    t.text("method", items.iter().map(|i| Some(&i.2.method)).collect());
    t.number("correct", x(&|s| s.correct));
    t.number("incorrect", x(&|s| s.incorrect));
    t.count("unjudged", n(&|_, s| s.unjudged));
    let domains: BTreeSet<&String> = items.iter().flat_map(|i| i.2.energy_j.keys()).collect();
    for d in domains {
        t.number(
            &format!("energy_j_{d}"),
            x(&|s| s.energy_j.get(d).copied().flatten()),
        );
    }
    t
}

fn questions(rows: &[Row]) -> Table {
    let items: Vec<(&Row, &str, &ipw_bench::results::Question)> = rows
        .iter()
        .filter_map(|r| r.case.question_set.as_ref().map(|set| (r, set)))
        .flat_map(|(r, set)| {
            let method = set.energy_method.as_str();
            set.per_question.iter().map(move |q| (r, method, q))
        })
        .collect();
    let keys: Vec<&Row> = items.iter().map(|i| i.0).collect();
    let mut t = Table::default();
    key_columns(&mut t, &keys);
    t.count("question", items.iter().map(|i| Some(i.2.index)).collect());
    t.count("asked", items.iter().map(|i| Some(i.2.asked)).collect());
    t.number("correct", items.iter().map(|i| Some(i.2.correct)).collect());
    t.number(
        "incorrect",
        items.iter().map(|i| Some(i.2.incorrect)).collect(),
    );
    t.count(
        "unjudged",
        items.iter().map(|i| Some(i.2.unjudged)).collect(),
    );
    t.number("time_s", items.iter().map(|i| Some(i.2.time_s)).collect());
    t.number("energy_j", items.iter().map(|i| i.2.energy_j).collect());
    t.text("energy_method", items.iter().map(|i| Some(i.1)).collect());
    t
}

/// The four tables of `runs`, each as the bytes of a Parquet file, by table name.
pub fn tables(runs: &[RunResults]) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    let rows = rows(runs);
    Ok(vec![
        ("cases", cases(&rows).parquet("cases")?),
        ("estimates", estimates(&rows).parquet("estimates")?),
        ("samples", samples(&rows).parquet("samples")?),
        ("questions", questions(&rows).parquet("questions")?),
    ])
}
