//! Real classifiers on the UCI handwritten digits answer the test split as queries:
//! accuracy, joules per correct answer and IPW per model, and the comparison across models.

use ipw_bench::Bencher;
use ipw_examples::digits::Digits;
use ipw_examples::models::{Model, ModelKind};

/// Each model is trained once, outside the measured windows; each query classifies one
/// held-out 8x8 image and is correct when the predicted digit is the true one.
#[ipw_bench::bench(args = ModelKind::ALL, sample_size = 12, warm_up_time = 0.2, measurement_time = 1.2)]
fn digits(b: &mut Bencher, kind: ModelKind) {
    let data = Digits::load();
    let model = Model::train(kind, &data, 7);
    let queries: Vec<(Vec<f64>, usize)> = data
        .test_x
        .iter()
        .cloned()
        .zip(data.test_y.iter().copied())
        .collect();
    b.queries(queries, |(x, y)| model.predict(x) == *y);
}

ipw_bench::main!();
