//! What a run prints: criterion-like blocks for people, cargo-style JSON lines for tools.
//!
//! Results go to stdout; progress, sensor choices and warnings go to stderr, so
//! `--format json` output on stdout stays one JSON object per line.

use crate::config::Format;
use crate::results::{CaseResult, Estimate, GroupComparison, RunResults, Status};
use crate::sensor::Provenance;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Scale a value into engineering units: `1.2340 ms`, `12.30 mJ`.
pub fn si(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return format!("{value} {unit}");
    }
    let a = value.abs();
    let (k, prefix) = if a == 0.0 || a >= 1.0 {
        (1.0, "")
    } else if a >= 1e-3 {
        (1e3, "m")
    } else if a >= 1e-6 {
        (1e6, "µ")
    } else {
        (1e9, "n")
    };
    format!("{:.4} {prefix}{unit}", value * k)
}

fn triple(e: &Estimate, unit: &str) -> String {
    if unit.is_empty() {
        format!("[{:.4} {:.4} {:.4}]", e.ci_low, e.point, e.ci_high)
    } else {
        format!(
            "[{} {} {}]",
            si(e.ci_low, unit),
            si(e.point, unit),
            si(e.ci_high, unit)
        )
    }
}

/// Prints in the chosen format.
pub struct Printer {
    format: Format,
    progress: bool,
}

impl Printer {
    pub fn new(format: Format) -> Printer {
        Printer {
            format,
            progress: format == Format::Human && std::io::stderr().is_terminal(),
        }
    }

    fn json_line(&self, v: serde_json::Value) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{v}");
        let _ = out.flush();
    }

    pub fn sensors(&self, lines: &[String]) {
        match self.format {
            Format::Human => {
                for l in lines {
                    eprintln!("ipw: {l}");
                }
            }
            Format::Json => self.json_line(json!({"reason": "sensors", "lines": lines})),
        }
    }

    pub fn progress(&self, what: &str) {
        if self.progress {
            eprint!("\r\x1b[2K{what}");
        }
    }

    pub fn progress_done(&self) {
        if self.progress {
            eprint!("\r\x1b[2K");
        }
    }

    pub fn case(&self, c: &CaseResult) {
        match self.format {
            Format::Json => self.json_line(json!({
                "reason": "case-complete",
                "id": c.id,
                "group": c.group,
                "name": c.name,
                "variant": c.variant,
                "status": c.status,
                "message": c.message,
                "provenance": c.provenance,
                "estimates": c.estimates,
                "answers": c.answers,
                "quality": c.quality,
            })),
            Format::Human => print!("{}", human_block(c)),
        }
    }

    pub fn comparison(&self, c: &GroupComparison) {
        match self.format {
            Format::Json => self.json_line(json!({
                "reason": "group-complete",
                "group": c.group,
                "metric": c.metric,
                "variants": c.variants,
                "verdicts": c.verdicts,
            })),
            Format::Human => {
                println!("{} ({}):", c.group, c.metric);
                for v in &c.verdicts {
                    println!("  {v}");
                }
            }
        }
    }

    /// The change of a case against the baseline, one line per metric.
    pub fn baseline(&self, c: &CaseResult) {
        let Some(b) = &c.baseline else {
            return;
        };
        match self.format {
            Format::Json => self.json_line(json!({
                "reason": "baseline-compared",
                "id": c.id,
                "baseline": b,
            })),
            Format::Human => {
                for m in &b.metrics {
                    println!(
                        "{:<24}{} vs {}: {:+.2}% [{:+.2}%, {:+.2}%] {}",
                        c.id,
                        m.metric,
                        b.name,
                        m.change.point * 100.0,
                        m.change.ci_low * 100.0,
                        m.change.ci_high * 100.0,
                        m.verdict
                    );
                }
            }
        }
    }

    pub fn warning(&self, w: &str) {
        if self.format == Format::Human {
            eprintln!("warning: {w}");
        }
    }

    pub fn written(&self, path: &Path) {
        if self.format == Format::Human {
            eprintln!("ipw: results written to {}", path.display());
        }
    }

    pub fn finished(&self, run: &RunResults, path: &Path) {
        let failed = run.cases.iter().filter(|c| c.status != Status::Ok).count();
        match self.format {
            Format::Json => self.json_line(json!({
                "reason": "run-complete",
                "bench": run.bench,
                "results": path,
                "cases": run.cases.len(),
                "failed": failed,
                "warnings": run.warnings,
            })),
            Format::Human => {
                if failed > 0 {
                    eprintln!("{failed} of {} cases did not complete", run.cases.len());
                }
            }
        }
    }
}

/// The terminal block of one case.
pub fn human_block(c: &CaseResult) -> String {
    let pad = " ".repeat(24);
    let mut s = format!("{}\n", c.id);
    if c.status != Status::Ok {
        s.push_str(&format!(
            "{pad}{}: {}\n",
            match c.status {
                Status::Failed => "FAILED",
                Status::Skipped => "SKIPPED",
                _ => "INVALID",
            },
            c.message.as_deref().unwrap_or("")
        ));
    }
    let tag = match c.provenance {
        Provenance::Measured => String::new(),
        p => format!("  ({})", p.as_str().to_uppercase()),
    };
    let rows: [(&str, &str, &str, bool); 9] = [
        ("time_per_iter_s", "time:", "s", false),
        ("energy_per_iter_j", "energy:", "J", true),
        ("mean_power_w", "power:", "W", true),
        ("accuracy", "accuracy:", "", false),
        ("joules_per_correct", "J/correct:", "J", true),
        ("ipw", "IPW:", "", true),
        ("ipj", "IPJ:", "", true),
        ("queries_per_s", "queries/s:", "", false),
        ("co2e_per_iter_g", "CO2e:", "g", true),
    ];
    for (key, label, unit, energy) in rows {
        if let Some(e) = c.estimates.get(key) {
            let label = format!("{label:<11}");
            let tail = if energy { tag.as_str() } else { "" };
            s.push_str(&format!("{pad}{label}{}{tail}\n", triple(e, unit)));
        }
    }
    if let Some(a) = &c.answers {
        s.push_str(&format!("{pad}{:<11}{}\n", "answers:", answers_line(a)));
    }
    if let Some(sv) = &c.survival {
        s.push_str(&format!(
            "{pad}{:<11}a = {:.2} [{:.2} {:.2}], {}; pass@1 {:.3}, censored {:.1}%\n",
            "survival:",
            sv.alpha,
            sv.alpha_ci_low,
            sv.alpha_ci_high,
            serde_json::to_value(sv.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_uppercase))
                .unwrap_or_default(),
            sv.summary.pass_at_1,
            sv.summary.censored_fraction * 100.0
        ));
        if let Some(e) = &sv.energy {
            s.push_str(&format!(
                "{pad}{:<11}[{} {} {}] to first success{tag}\n",
                "J/solve:",
                si(e.mean_to_first_success.low, "J"),
                si(e.mean_to_first_success.point, "J"),
                si(e.mean_to_first_success.high, "J"),
            ));
        }
    }
    for q in &c.quality {
        s.push_str(&format!("{pad}warning: {}\n", q.message));
    }
    s
}

/// `1000 queries: 812 correct, 174 incorrect, 14 unjudged` (credit to two decimals when
/// outcomes were scores).
pub fn answers_line(a: &crate::results::Answers) -> String {
    let num = |x: f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    format!(
        "{} queries: {} correct, {} incorrect, {} unjudged",
        a.queries,
        num(a.correct),
        num(a.incorrect),
        a.unjudged
    )
}

/// One libtest-style line in test mode; `Ok(Some(reason))` is a skipped case.
pub fn test_line(json: bool, id: &str, outcome: &Result<Option<String>, String>) {
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
pub fn test_summary(json: bool, total: usize, ignored: usize, failed: &[(String, String)]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engineering_units() {
        assert_eq!(si(0.0012345, "s"), "1.2345 ms");
        assert_eq!(si(12.5, "W"), "12.5000 W");
        assert_eq!(si(3.2e-8, "J"), "32.0000 nJ");
        assert_eq!(si(0.0, "J"), "0.0000 J");
    }
}
