//! Questions to a local LLM through an OpenAI-compatible chat endpoint (llama.cpp's server,
//! Ollama, vLLM), graded by exact match, with energy measured on this machine.
//!
//! Set `IPW_LLM_URL` (e.g. `http://127.0.0.1:8080`) and `IPW_LLM_MODEL`; without them the
//! case is skipped with instructions.

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
