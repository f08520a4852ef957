//! The `llm` bench as a binary, so that tests can run it against a local server.

#[ipw_bench::bench(
    sample_size = 3,
    warm_up_time = 0,
    measurement_time = 10,
    max_time = 120
)]
fn llm(b: &mut ipw_bench::Bencher) {
    ipw_examples::llm_bench::answer_questions(b);
}

ipw_bench::main!();
