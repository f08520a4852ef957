//! Snapshots of `cargo ipw stats` output, text and JSON, byte for byte: the built binary
//! on small CSV tables read from standard input (so no path varies). A change of wording,
//! layout, precision or a number shows here; accept it with `cargo insta review` when it
//! is meant.

mod common;

/// Two variants, six energies each.
const TWO: &str = "variant,joules\n\
                   fp32,1.02\nfp32,0.98\nfp32,1.05\nfp32,1.01\nfp32,0.97\nfp32,1.03\n\
                   fp16,0.91\nfp16,0.93\nfp16,0.88\nfp16,0.95\nfp16,0.90\nfp16,0.92\n";

/// Three groups, listed out of order (output keeps first appearance).
const THREE: &str = "group,value\n\
                     b,3.1\na,1.0\nb,4.2\na,2.5\nc,2.0\nb,3.9\na,1.7\nc,2.2\nc,2.8\n\
                     a,1.4\nb,3.6\nc,2.5\n";

/// `cargo ipw stats ARGS -` with `csv` on standard input; its standard output, which
/// must come with exit code 0 and nothing on standard error.
fn stats(args: &[&str], csv: &str) -> String {
    let out = common::stats_on_stdin(args, csv);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {err}");
    assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(args: &[&str], csv: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let text = stats(&all, csv);
    serde_json::from_str::<serde_json::Value>(&text).expect("one JSON document");
    text
}

#[test]
fn describe() {
    insta::assert_snapshot!("describe_text", stats(&["describe"], THREE));
    insta::assert_snapshot!("describe_json", json(&["describe"], THREE));
}

#[test]
fn ttest() {
    let welch = ["ttest", "--group", "variant", "--value", "joules"];
    insta::assert_snapshot!("ttest_text", stats(&welch, TWO));
    insta::assert_snapshot!("ttest_json", json(&welch, TWO));
}

#[test]
fn anova() {
    insta::assert_snapshot!("anova_text", stats(&["anova"], THREE));
    insta::assert_snapshot!("anova_json", json(&["anova"], THREE));
}

#[test]
fn tukey() {
    insta::assert_snapshot!("tukey_text", stats(&["tukey"], THREE));
    insta::assert_snapshot!("tukey_json", json(&["tukey"], THREE));
}

/// Two models' outcomes on the same eight questions, rows in no particular order.
const OUTCOMES: &str = "question,model,correct\n\
                        q1,base,1\nq1,tuned,1\nq2,base,0\nq2,tuned,1\nq3,base,1\nq3,tuned,0\n\
                        q4,base,0\nq4,tuned,1\nq5,tuned,1\nq5,base,1\nq6,base,0\nq6,tuned,0\n\
                        q7,base,0\nq7,tuned,1\nq8,base,1\nq8,tuned,1\n";

#[test]
fn mcnemar() {
    let args = ["mcnemar", "--group", "model", "--pair", "question"];
    insta::assert_snapshot!("mcnemar_text", stats(&args, OUTCOMES));
    insta::assert_snapshot!("mcnemar_json", json(&args, OUTCOMES));
}

#[test]
fn paired_bootstrap() {
    let paired: String = TWO
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            0 => format!("question,{l}\n"),
            _ => format!("q{},{l}\n", (i - 1) % 6),
        })
        .collect();
    let args = [
        "paired-bootstrap",
        "--group",
        "variant",
        "--value",
        "joules",
        "--pair",
        "question",
        "--resamples",
        "2000",
    ];
    insta::assert_snapshot!("paired_bootstrap_text", stats(&args, &paired));
    insta::assert_snapshot!("paired_bootstrap_json", json(&args, &paired));
}
