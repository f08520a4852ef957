//! The body of the `llm` bench: bundled questions to an OpenAI-compatible endpoint.

use crate::llm_client::ChatClient;
use crate::questions;
use ipw_bench::{Bencher, Outcome};
use std::time::Duration;

/// Answer the bundled questions through `IPW_LLM_URL` / `IPW_LLM_MODEL`, graded by exact
/// match; without `IPW_LLM_URL` the case is skipped with instructions.
pub fn answer_questions(b: &mut Bencher) {
    let Ok(url) = std::env::var("IPW_LLM_URL") else {
        b.skip(
            "set IPW_LLM_URL (e.g. http://127.0.0.1:8080 for llama.cpp's server, \
             http://127.0.0.1:11434 for Ollama) and IPW_LLM_MODEL to run it",
        );
        return;
    };
    let model = std::env::var("IPW_LLM_MODEL").unwrap_or_else(|_| "default".to_string());
    let client = ChatClient::new(&url, &model).with_timeout(Duration::from_secs(120));
    b.queries(questions::bundled(), |q| match client.complete(&q.prompt) {
        Ok(answer) => Outcome::from(q.grade(&answer)),
        // A failed request has no verdict: counted, left out of the accuracy.
        Err(_) => Outcome::Unjudged,
    });
}
