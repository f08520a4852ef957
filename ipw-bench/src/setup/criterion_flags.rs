//! The flags a criterion user types, in the flag table's shape: each with its `IPW_*`
//! twin, and with help that says what it does here where criterion's meaning cannot be
//! kept whole.

use crate::setup::config::{ConfigError, Plots};
use crate::setup::flags::{Arity, Flag, Section};
use crate::setup::values::Given;

/// The fixed confidence of every interval (`crate::analysis::estimates::CONFIDENCE`).
const CONFIDENCE: f64 = 0.95;
/// The fixed significance of every test.
const SIGNIFICANCE: f64 = 0.05;
/// The fixed bootstrap resamples.
const RESAMPLES: u64 = 10_000;

/// `--quick`: samples, warm-up and measuring time unless given.
pub(crate) const QUICK: (usize, f64, f64) = (10, 0.5, 1.0);

/// A probability strictly between 0 and 1.
fn probability(v: &Given) -> Result<f64, ConfigError> {
    match v.text().trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        _ => Err(ConfigError(format!(
            "{}: `{}` is not a probability; use a number between 0 and 1, e.g. 0.95",
            v.origin(),
            v.text()
        ))),
    }
}

/// The note for a value that is accepted and checked but not applied.
fn fixed(v: &Given, given: impl std::fmt::Display, used: impl std::fmt::Display) -> String {
    format!(
        "{} {given}: accepted for criterion, but ipw-bench uses {used} here",
        v.origin()
    )
}

pub(crate) const CRITERION_FLAGS: &[Flag] = &[
    Flag {
        name: "--test",
        short: None,
        twin: Some("IPW_TEST"),
        arity: Arity::Switch,
        default: None,
        section: Section::Measurement,
        help: "run each case once, as without --bench (cargo bench -- --test)",
        apply: |d, v| {
            d.test = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--quick",
        short: None,
        twin: Some("IPW_QUICK"),
        arity: Arity::Switch,
        default: None,
        section: Section::Measurement,
        help: "criterion's quick run: 10 samples, 0.5 s warm-up, 1 s measuring unless given",
        apply: |d, v| {
            d.quick = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--profile-time",
        short: None,
        twin: Some("IPW_PROFILE_TIME"),
        arity: Arity::Value("S"),
        default: None,
        section: Section::Measurement,
        help: "run each case for S seconds for a profiler; no analysis, nothing written",
        apply: |d, v| {
            d.config.profile_time = Some(v.positive_seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--noplot",
        short: None,
        twin: Some("IPW_NOPLOT"),
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "criterion's spelling of --plots none",
        apply: |d, v| {
            if v.switch()? {
                d.config.plots = Plots::None;
            }
            Ok(())
        },
    },
    Flag {
        name: "--load-baseline",
        short: None,
        twin: Some("IPW_LOAD_BASELINE"),
        arity: Arity::Value("NAME"),
        default: None,
        section: Section::Baselines,
        help: "compare with NAME, as --baseline; the cases are measured again (criterion \
               re-analyses NAME instead; `cargo ipw report` re-renders saved runs)",
        apply: |d, v| {
            d.config.baseline = Some(v.baseline_name()?);
            Ok(())
        },
    },
    Flag {
        name: "--baseline-lenient",
        short: None,
        twin: Some("IPW_BASELINE_LENIENT"),
        arity: Arity::Value("NAME"),
        default: None,
        section: Section::Baselines,
        help: "as --baseline, but a missing baseline is a warning, not an error",
        apply: |d, v| {
            d.config.baseline = Some(v.baseline_name()?);
            d.config.baseline_lenient = true;
            Ok(())
        },
    },
    Flag {
        name: "--discard-baseline",
        short: None,
        twin: Some("IPW_DISCARD_BASELINE"),
        arity: Arity::Switch,
        default: None,
        section: Section::Baselines,
        help: "save no baseline, whatever --save-baseline says",
        apply: |d, v| {
            d.discard_baseline = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--confidence-level",
        short: None,
        twin: Some("IPW_CONFIDENCE_LEVEL"),
        arity: Arity::Value("X"),
        default: Some("0.95"),
        section: Section::Baselines,
        help: "checked; every interval here is 95%, and another X gets a warning",
        apply: |d, v| {
            let p = probability(v)?;
            if p != CONFIDENCE {
                d.config.notices.push(fixed(v, p, "95% intervals"));
            }
            Ok(())
        },
    },
    Flag {
        name: "--significance-level",
        short: None,
        twin: Some("IPW_SIGNIFICANCE_LEVEL"),
        arity: Arity::Value("X"),
        default: Some("0.05"),
        section: Section::Baselines,
        help: "checked; every test here is at 0.05 (Holm-corrected), another X gets a warning",
        apply: |d, v| {
            let p = probability(v)?;
            if p != SIGNIFICANCE {
                d.config
                    .notices
                    .push(fixed(v, p, "a significance level of 0.05"));
            }
            Ok(())
        },
    },
    Flag {
        name: "--nresamples",
        short: None,
        twin: Some("IPW_NRESAMPLES"),
        arity: Arity::Value("N"),
        default: Some("10000"),
        section: Section::Baselines,
        help: "checked; every bootstrap here takes 10,000 resamples, another N gets a warning",
        apply: |d, v| {
            let n = v.text().trim().parse::<u64>().ok().filter(|&n| n > 0);
            let Some(n) = n else {
                return Err(ConfigError(format!(
                    "{}: `{}` is not a number of resamples; use a whole number such as 10000",
                    v.origin(),
                    v.text()
                )));
            };
            if n != RESAMPLES {
                d.config.notices.push(fixed(v, n, "10,000 resamples"));
            }
            Ok(())
        },
    },
];

#[cfg(test)]
mod tests {
    use crate::setup::config::{Config, Mode, Plots};
    use std::collections::BTreeMap;

    fn parse(args: &[&str]) -> Result<Config, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Config::parse(&args, &BTreeMap::new()).map_err(|e| e.0)
    }

    #[test]
    fn test_beats_bench_and_quick_fills_what_is_not_given() {
        assert_eq!(parse(&["--bench", "--test"]).unwrap().mode, Mode::Test);
        let c = parse(&["--bench", "--quick", "--sample-size", "20"]).unwrap();
        assert_eq!(c.mode, Mode::Bench);
        assert_eq!(c.sample_size, Some(20));
        assert_eq!(c.warm_up_time, Some(0.5));
        assert_eq!(c.measurement_time, Some(1.0));
        let env = BTreeMap::from([("IPW_QUICK".to_string(), "1".to_string())]);
        let c = Config::parse(&["--bench"], &env).unwrap();
        assert_eq!(c.sample_size, Some(10));
    }

    #[test]
    fn profile_time_is_a_mode_of_its_own() {
        let c = parse(&["--bench", "--profile-time", "2"]).unwrap();
        assert_eq!((c.mode, c.profile_time), (Mode::Profile, Some(2.0)));
        assert!(parse(&["--profile-time", "0"]).is_err());
        assert_eq!(
            parse(&["--profile-time", "1", "--list"]).unwrap().mode,
            Mode::List
        );
    }

    #[test]
    fn baselines_as_criterion_names_them() {
        let c = parse(&["--noplot", "--load-baseline", "main"]).unwrap();
        assert_eq!(c.plots, Plots::None);
        assert_eq!(c.baseline.as_deref(), Some("main"));
        assert!(!c.baseline_lenient);
        let c = parse(&["--baseline-lenient", "old"]).unwrap();
        assert_eq!(c.baseline.as_deref(), Some("old"));
        assert!(c.baseline_lenient);
        let c = parse(&["--save-baseline", "new", "--discard-baseline"]).unwrap();
        assert_eq!(c.save_baseline, None);
        assert!(parse(&["--load-baseline", "../x"]).is_err());
    }

    #[test]
    fn statistics_levels_are_checked_and_a_different_one_is_said() {
        let c = parse(&["--confidence-level", "0.95", "--nresamples", "10000"]).unwrap();
        assert!(c.notices.is_empty(), "{:?}", c.notices);
        let c = parse(&["--confidence-level", "0.99", "--significance-level=0.01"]).unwrap();
        assert_eq!(c.notices.len(), 2);
        assert!(
            c.notices[0].contains("--confidence-level 0.99"),
            "{:?}",
            c.notices
        );
        assert!(c.notices[0].contains("95%"));
        let c = parse(&["--nresamples", "100"]).unwrap();
        assert!(c.notices[0].contains("10,000 resamples"), "{:?}", c.notices);
        let e = parse(&["--confidence-level", "95"]).unwrap_err();
        assert!(
            e.contains("--confidence-level") && e.contains("between 0 and 1"),
            "{e}"
        );
        assert!(parse(&["--nresamples", "0"])
            .unwrap_err()
            .contains("--nresamples"));
    }
}
