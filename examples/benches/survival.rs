//! The Survival Game: failures before the first success, the tail exponent and the level.

use ipw_bench::Bencher;
use ipw_examples::digits::Digits;
use ipw_examples::models::{rank_of, Model, ModelKind};
use ipw_examples::solver::{self, Task};

/// Each classifier ranks the ten digits for each held-out image; its failure count is the
/// rank of the true digit minus one.
#[ipw_bench::bench(args = ModelKind::ALL, sample_size = 6, warm_up_time = 0.2, measurement_time = 1)]
fn ranking(b: &mut Bencher, kind: ModelKind) {
    let data = Digits::load();
    let model = Model::train(kind, &data, 7);
    let tasks: Vec<(Vec<f64>, usize)> = data
        .test_x
        .iter()
        .cloned()
        .zip(data.test_y.iter().copied())
        .collect();
    b.ranked(tasks, 10, |(x, y)| rank_of(&model.scores(x), *y));
}

/// A WalkSAT solver guesses and checks on random 3-SAT instances with a planted solution;
/// each attempt is one bounded search from a fresh random start.
#[ipw_bench::bench(sample_size = 6, warm_up_time = 0.2, measurement_time = 1)]
fn walksat(b: &mut Bencher) {
    let tasks: Vec<Task> = (0..400).map(Task::generate).collect();
    b.trials(tasks, 200, solver::attempt);
}

ipw_bench::main!();
