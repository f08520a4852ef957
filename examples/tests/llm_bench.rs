//! The `llm` bench against a small OpenAI-compatible server on loopback, started here.

use ipw_examples::questions::{self, Question};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Answer chat requests: right for every question but those whose index is a multiple of 3.
fn serve(listener: TcpListener, qs: Vec<Question>, stop: Arc<AtomicBool>) {
    listener.set_nonblocking(true).unwrap();
    // Bounded: at most this many requests, then the server ends by itself.
    for _ in 0..20_000 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let Ok((stream, _)) = listener.accept() else {
            std::thread::sleep(Duration::from_millis(2));
            continue;
        };
        stream.set_nonblocking(false).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            continue;
        }
        let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let prompt = request["messages"][0]["content"].as_str().unwrap_or("");
        let answer = match qs.iter().position(|q| q.prompt == prompt) {
            Some(i) if i % 3 != 0 => qs[i].answer.clone(),
            Some(_) => "I am not sure".to_string(),
            None => "?".to_string(),
        };
        let reply = serde_json::json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}}]
        })
        .to_string();
        let mut stream = reader.into_inner();
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            reply.len(),
            reply
        );
    }
}

#[test]
fn llm_bench_grades_answers_from_a_local_server() {
    let qs = questions::bundled();
    let expected =
        qs.iter().enumerate().filter(|(i, _)| i % 3 != 0).count() as f64 / qs.len() as f64;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let stop = stop.clone();
        std::thread::spawn(move || serve(listener, qs, stop))
    };
    let out = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ipw-llm-bench"))
        .env("IPW_LLM_URL", &url)
        .env("IPW_LLM_MODEL", "test-model")
        .env("IPW_OUTPUT_DIR", out.path())
        .args([
            "--bench",
            "--sensors",
            "synthetic:30",
            "--sample-size",
            "2",
            "--measurement-time",
            "0.3",
            "--idle-time",
            "0",
        ])
        .output()
        .unwrap();
    stop.store(true, Ordering::Relaxed);
    server.join().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let text = std::fs::read_to_string(out.path().join("ipw-llm-bench/results.json")).unwrap();
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    let case = &r["cases"][0];
    assert_eq!(case["id"], "llm");
    assert_eq!(case["status"], "ok");
    // Samples walk the questions in order; every answer is graded by exact match.
    let (mut correct, mut judged) = (0.0, 0.0);
    for s in case["samples"].as_array().unwrap() {
        correct += s["correct"].as_f64().unwrap();
        judged += s["correct"].as_f64().unwrap() + s["incorrect"].as_f64().unwrap();
    }
    let acc = case["estimates"]["accuracy"]["point"].as_f64().unwrap();
    assert_eq!(acc, correct / judged);
    assert!(judged >= 2.0);
    // Any run of consecutive questions holds the server's share of right answers, give
    // or take the two ends of the run.
    assert!(
        (correct - judged * expected).abs() <= 2.0,
        "{correct} right of {judged}, expected share {expected}"
    );
    assert!(
        case["estimates"]["joules_per_correct"]["point"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn llm_bench_skips_without_a_url() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ipw-llm-bench"))
        .env_remove("IPW_LLM_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        stdout.contains("test llm ... ignored, set IPW_LLM_URL"),
        "{stdout}"
    );
}
