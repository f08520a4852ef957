//! Test mode's libtest-style lines (`test ID ... ok`) and summary, or their JSON twins.

use serde_json::json;

/// One libtest-style line in test mode; `Ok(Some(reason))` is a skipped case.
pub(crate) fn test_line(json: bool, id: &str, outcome: &Result<Option<String>, String>) {
    if json {
        let v = match outcome {
            Ok(None) => json!({"type": "bench", "event": "ok", "name": id}),
            Ok(Some(r)) => json!({"type": "bench", "event": "ignored", "name": id, "message": r}),
            Err(m) => json!({"type": "bench", "event": "failed", "name": id, "message": m}),
        };
        println!("{v}");
    } else {
        match outcome {
            Ok(None) => println!("test {id} ... ok"),
            Ok(Some(r)) => println!("test {id} ... ignored, {r}"),
            Err(m) => println!("test {id} ... FAILED\n    {m}"),
        }
    }
}

/// The libtest-style summary of test mode.
pub(crate) fn test_summary(json: bool, total: usize, ignored: usize, failed: &[(String, String)]) {
    let passed = total - failed.len() - ignored;
    if json {
        println!(
            "{}",
            json!({"type": "suite", "event": if failed.is_empty() {"ok"} else {"failed"},
                   "passed": passed, "failed": failed.len(), "ignored": ignored})
        );
        return;
    }
    if !failed.is_empty() {
        println!("\nfailures:");
        for (id, m) in failed {
            println!("    {id}: {m}");
        }
    }
    println!(
        "\ntest result: {}. {passed} passed; {} failed; {ignored} ignored; 0 measured; 0 filtered out\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        failed.len()
    );
}
