//! The mixed-precision study done properly: a small MLP trained and evaluated in f32, f16
//! and bf16 at two batch sizes. Training energy per epoch and joules per correct answer
//! at inference, compared with a two-way ANOVA (precision x batch size), effect sizes and
//! the power analysis. On a CPU, f16 and bf16 are emulated (converted to f32 for
//! arithmetic), so they cost more here, not less: the numbers say so honestly.

use ipw_bench::Bencher;
use ipw_examples::digits::Digits;
use ipw_examples::mlp::{Mlp, Precision};
use std::fmt;

/// One cell of the precision x batch-size grid, named `precision=f16,batch=32` so that
/// ipw-bench reads it as two factors.
#[derive(Clone, Copy)]
struct Cell {
    precision: Precision,
    batch: usize,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "precision={},batch={}", self.precision, self.batch)
    }
}

fn grid() -> Vec<Cell> {
    let mut cells = Vec::new();
    for precision in Precision::ALL {
        for batch in [16, 64] {
            cells.push(Cell { precision, batch });
        }
    }
    cells
}

/// Energy of one training epoch (mini-batch SGD over the training split).
#[ipw_bench::bench(args = grid(), sample_size = 6, warm_up_time = 0.1, measurement_time = 0.6)]
fn training(b: &mut Bencher, cell: Cell) {
    let data = Digits::load();
    let mut mlp = Mlp::new(cell.precision, 11);
    b.iter(|| mlp.train_epoch(&data.train_x, &data.train_y, cell.batch));
}

/// Joules per correct answer of a model trained for 8 epochs in that cell.
#[ipw_bench::bench(args = grid(), sample_size = 6, warm_up_time = 0.1, measurement_time = 0.6)]
fn inference(b: &mut Bencher, cell: Cell) {
    let data = Digits::load();
    let mut mlp = Mlp::new(cell.precision, 11);
    for _ in 0..8 {
        if let Err(e) = mlp.train_epoch(&data.train_x, &data.train_y, cell.batch) {
            b.skip(format!("training failed: {e}"));
            return;
        }
    }
    let queries: Vec<(Vec<f64>, usize)> = data
        .test_x
        .iter()
        .cloned()
        .zip(data.test_y.iter().copied())
        .collect();
    b.queries(queries, |(x, y)| mlp.predict(x) == *y);
}

ipw_bench::main!();
