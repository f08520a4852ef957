//! Run configuration from the command line and its `IPW_*` environment twins.
//!
//! The flags are libtest- and criterion-compatible: `cargo bench` passes `--bench`, a
//! positional filter selects cases, and libtest flags that mean nothing here are accepted
//! and ignored. A flag beats its environment twin; both beat the attribute; the attribute
//! beats the default.

use crate::setup::sensor_spec::{parse_sensor_spec_with_meters, SensorSpec};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How the binary was asked to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// `--bench`: measure and write results.
    Bench,
    /// No `--bench` (`cargo test --benches`): run each case once, write nothing.
    Test,
    /// `--list`: print the cases.
    List,
    /// `--help`.
    Help,
}

/// Which cases `ignore` affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ignored {
    Skip,
    Only,
    Include,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GpuProtocol {
    Simple,
    Phased,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Plots {
    All,
    Summary,
    None,
}

/// Default seed: fixed, so that two runs on the same data give the same intervals.
pub const DEFAULT_SEED: u64 = 0x1b0_5eed;

/// The whole configuration of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub mode: Mode,
    pub filters: Vec<String>,
    pub skip: Vec<String>,
    pub exact: bool,
    pub ignored: Ignored,
    pub sample_size: Option<usize>,
    pub warm_up_time: Option<f64>,
    pub measurement_time: Option<f64>,
    pub max_time: Option<f64>,
    pub idle_time: f64,
    pub sensors: String,
    #[serde(skip)]
    pub sensor_specs: Vec<SensorSpec>,
    pub seed: u64,
    pub output_dir: Option<PathBuf>,
    pub format: Format,
    pub interleave: bool,
    pub strict: bool,
    pub save_baseline: Option<String>,
    pub baseline: Option<String>,
    /// Relative change below which a difference is noise; `None`: 2% energy, 1% time.
    pub noise_threshold: Option<f64>,
    pub fail_on_regression: bool,
    /// gCO2e per kWh; `None`: the documented default.
    pub carbon_intensity: Option<f64>,
    pub meter_cmd: Option<String>,
    pub meter_csv: Option<PathBuf>,
    pub gpu_protocol: GpuProtocol,
    pub plots: Plots,
}

pub const DEFAULT_SAMPLE_SIZE: usize = 100;
pub const DEFAULT_WARM_UP_TIME: f64 = 3.0;
pub const DEFAULT_MEASUREMENT_TIME: f64 = 5.0;
pub const DEFAULT_MAX_TIME: f64 = 60.0;
pub const DEFAULT_IDLE_TIME: f64 = 2.0;

#[derive(Clone, Copy, PartialEq)]
enum Arity {
    Switch,
    Value,
}

/// Our flags: name, environment twin, arity.
const FLAGS: &[(&str, &str, Arity)] = &[
    ("exact", "IPW_EXACT", Arity::Switch),
    ("list", "IPW_LIST", Arity::Switch),
    ("bench", "IPW_BENCH", Arity::Switch),
    ("ignored", "IPW_IGNORED", Arity::Switch),
    ("include-ignored", "IPW_INCLUDE_IGNORED", Arity::Switch),
    ("sample-size", "IPW_SAMPLE_SIZE", Arity::Value),
    ("warm-up-time", "IPW_WARM_UP_TIME", Arity::Value),
    ("measurement-time", "IPW_MEASUREMENT_TIME", Arity::Value),
    ("max-time", "IPW_MAX_TIME", Arity::Value),
    ("idle-time", "IPW_IDLE_TIME", Arity::Value),
    ("sensors", "IPW_SENSORS", Arity::Value),
    ("seed", "IPW_SEED", Arity::Value),
    ("output-dir", "IPW_OUTPUT_DIR", Arity::Value),
    ("format", "IPW_FORMAT", Arity::Value),
    ("no-interleave", "IPW_NO_INTERLEAVE", Arity::Switch),
    ("strict", "IPW_STRICT", Arity::Switch),
    ("save-baseline", "IPW_SAVE_BASELINE", Arity::Value),
    ("baseline", "IPW_BASELINE", Arity::Value),
    ("noise-threshold", "IPW_NOISE_THRESHOLD", Arity::Value),
    (
        "fail-on-regression",
        "IPW_FAIL_ON_REGRESSION",
        Arity::Switch,
    ),
    ("carbon-intensity", "IPW_CARBON_INTENSITY", Arity::Value),
    ("meter-cmd", "IPW_METER_CMD", Arity::Value),
    ("meter-csv", "IPW_METER_CSV", Arity::Value),
    ("gpu-protocol", "IPW_GPU_PROTOCOL", Arity::Value),
    ("plots", "IPW_PLOTS", Arity::Value),
    ("skip", "IPW_SKIP", Arity::Value),
    ("help", "", Arity::Switch),
];

/// libtest and criterion flags accepted and ignored.
const IGNORED_FLAGS: &[(&str, Arity)] = &[
    ("nocapture", Arity::Switch),
    ("show-output", Arity::Switch),
    ("test-threads", Arity::Value),
    ("quiet", Arity::Switch),
    ("color", Arity::Value),
    ("logfile", Arity::Value),
    ("report-time", Arity::Switch),
    ("ensure-time", Arity::Switch),
    ("shuffle", Arity::Switch),
    ("shuffle-seed", Arity::Value),
    ("force-run-in-process", Arity::Switch),
    ("exclude-should-panic", Arity::Switch),
    ("test", Arity::Switch),
    ("noplot", Arity::Switch),
    ("verbose", Arity::Switch),
    ("nocolor", Arity::Switch),
];

/// A bad flag or environment value: the message names it and says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Where a value came from, for error messages.
struct Given {
    value: Option<String>,
    origin: String,
}

impl Config {
    /// Parse the process's arguments (without the program name) and environment.
    pub fn from_env_and_args(args: &[String]) -> Result<Config, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("IPW_"))
            .collect();
        Config::parse(args, &env)
    }

    /// Parse `args` with `env` as the environment (testable without touching the process).
    pub fn parse(args: &[String], env: &BTreeMap<String, String>) -> Result<Config, ConfigError> {
        let mut given: BTreeMap<&'static str, Given> = BTreeMap::new();
        for &(name, twin, _) in FLAGS {
            if let Some(v) = env.get(twin).filter(|_| !twin.is_empty()) {
                given.insert(
                    name,
                    Given {
                        value: Some(v.clone()),
                        origin: twin.to_string(),
                    },
                );
            }
        }
        let mut filters = Vec::new();
        let mut skip = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if arg == "-q" || arg == "-v" {
                continue;
            }
            if arg == "-Z" {
                i += 1;
                continue;
            }
            let Some(body) = arg.strip_prefix("--") else {
                if arg.starts_with('-') && arg.len() > 1 {
                    return Err(ConfigError(format!(
                        "unknown flag `{arg}`; run with --help for the list"
                    )));
                }
                filters.push(arg.clone());
                continue;
            };
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let arity = FLAGS
                .iter()
                .find(|f| f.0 == name)
                .map(|f| (f.0, f.2))
                .or_else(|| {
                    IGNORED_FLAGS
                        .iter()
                        .find(|f| f.0 == name)
                        .map(|f| ("", f.1))
                });
            let Some((known, arity)) = arity else {
                return Err(ConfigError(format!(
                    "unknown flag `--{name}`; run with --help for the list"
                )));
            };
            let value = match (arity, inline) {
                (Arity::Switch, v) => v,
                (Arity::Value, Some(v)) => Some(v),
                (Arity::Value, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(ConfigError(format!("--{name} needs a value")));
                    };
                    i += 1;
                    Some(v.clone())
                }
            };
            if known.is_empty() {
                continue;
            }
            if known == "skip" {
                skip.extend(value);
                continue;
            }
            given.insert(
                known,
                Given {
                    value,
                    origin: format!("--{known}"),
                },
            );
        }
        if filters.is_empty() {
            if let Some(f) = env.get("IPW_FILTER") {
                filters.push(f.clone());
            }
        }
        if let Some(s) = given.remove("skip").and_then(|g| g.value) {
            skip.push(s);
        }
        build(given, filters, skip)
    }
}

fn switch(given: &BTreeMap<&str, Given>, name: &str) -> Result<bool, ConfigError> {
    let Some(g) = given.get(name) else {
        return Ok(false);
    };
    match g.value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("1") | Some("true") | Some("yes") | Some("on") | Some("") => Ok(true),
        Some("0") | Some("false") | Some("no") | Some("off") => Ok(false),
        Some(other) => Err(ConfigError(format!(
            "{}: `{other}` is not a switch value; use 1 or 0",
            g.origin
        ))),
    }
}

fn value<'a>(given: &'a BTreeMap<&str, Given>, name: &str) -> Option<(&'a str, &'a str)> {
    given
        .get(name)
        .and_then(|g| g.value.as_deref().map(|v| (v, g.origin.as_str())))
}

fn seconds(given: &BTreeMap<&str, Given>, name: &str) -> Result<Option<f64>, ConfigError> {
    value(given, name)
        .map(
            |(v, origin)| match v.trim().trim_end_matches('s').parse::<f64>() {
                Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
                _ => Err(ConfigError(format!(
                    "{origin}: `{v}` is not a number of seconds; use e.g. {origin} 2.5"
                ))),
            },
        )
        .transpose()
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(
    given: &BTreeMap<&str, Given>,
    name: &str,
    what: &str,
) -> Result<Option<T>, ConfigError> {
    value(given, name)
        .map(|(v, origin)| match v.trim().parse::<T>() {
            Ok(n) if n > T::default() => Ok(n),
            _ => Err(ConfigError(format!("{origin}: `{v}` is not {what}"))),
        })
        .transpose()
}

fn choice<T: Copy>(
    given: &BTreeMap<&str, Given>,
    name: &str,
    options: &[(&str, T)],
    default: T,
) -> Result<T, ConfigError> {
    let Some((v, origin)) = value(given, name) else {
        return Ok(default);
    };
    options
        .iter()
        .find(|(k, _)| *k == v.trim())
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|o| o.0).collect();
            ConfigError(format!(
                "{origin}: `{v}` is not one of {}",
                names.join(", ")
            ))
        })
}

fn build(
    given: BTreeMap<&'static str, Given>,
    filters: Vec<String>,
    skip: Vec<String>,
) -> Result<Config, ConfigError> {
    let mode = if switch(&given, "help")? {
        Mode::Help
    } else if switch(&given, "list")? {
        Mode::List
    } else if switch(&given, "bench")? {
        Mode::Bench
    } else {
        Mode::Test
    };
    let ignored = match (
        switch(&given, "ignored")?,
        switch(&given, "include-ignored")?,
    ) {
        (_, true) => Ignored::Include,
        (true, false) => Ignored::Only,
        (false, false) => Ignored::Skip,
    };
    let sensors = value(&given, "sensors")
        .map(|(v, _)| v.to_string())
        .unwrap_or_else(|| "auto".to_string());
    let meter_cmd = value(&given, "meter-cmd").map(|(v, _)| v.to_string());
    let meter_csv = value(&given, "meter-csv").map(|(v, _)| PathBuf::from(v));
    let sensor_specs =
        parse_sensor_spec_with_meters(&sensors, meter_cmd.as_deref(), meter_csv.as_deref())
            .map_err(|e| {
                let origin = value(&given, "sensors").map_or("--sensors", |(_, o)| o);
                ConfigError(format!("{origin}: {e}"))
            })?;
    let seed = match value(&given, "seed") {
        None => DEFAULT_SEED,
        Some((v, origin)) => v.trim().parse::<u64>().map_err(|_| {
            ConfigError(format!(
                "{origin}: `{v}` is not a seed; use a whole number from 0 to {}",
                u64::MAX
            ))
        })?,
    };
    let noise_threshold = match value(&given, "noise-threshold") {
        None => None,
        Some((v, origin)) => Some(parse_fraction(v).ok_or_else(|| {
            ConfigError(format!(
                "{origin}: `{v}` is not a threshold; use a percentage like 2% or a fraction like 0.02"
            ))
        })?),
    };
    for (name, secs) in [
        ("warm-up-time", seconds(&given, "warm-up-time")?),
        ("measurement-time", seconds(&given, "measurement-time")?),
        ("max-time", seconds(&given, "max-time")?),
    ] {
        if name != "warm-up-time" && secs == Some(0.0) {
            let origin = value(&given, name).map_or("", |(_, o)| o);
            return Err(ConfigError(format!(
                "{origin}: must be more than 0 seconds"
            )));
        }
    }
    Ok(Config {
        mode,
        filters,
        skip,
        exact: switch(&given, "exact")?,
        ignored,
        sample_size: positive::<usize>(&given, "sample-size", "a whole number of samples >= 2")?
            .map(|n| n.max(2)),
        warm_up_time: seconds(&given, "warm-up-time")?,
        measurement_time: seconds(&given, "measurement-time")?,
        max_time: seconds(&given, "max-time")?,
        idle_time: seconds(&given, "idle-time")?.unwrap_or(DEFAULT_IDLE_TIME),
        sensors,
        sensor_specs,
        seed,
        output_dir: value(&given, "output-dir").map(|(v, _)| PathBuf::from(v)),
        format: choice(
            &given,
            "format",
            &[
                ("human", Format::Human),
                ("pretty", Format::Human),
                ("terse", Format::Human),
                ("json", Format::Json),
            ],
            Format::Human,
        )?,
        interleave: !switch(&given, "no-interleave")?,
        strict: switch(&given, "strict")?,
        save_baseline: value(&given, "save-baseline").map(|(v, _)| v.to_string()),
        baseline: value(&given, "baseline").map(|(v, _)| v.to_string()),
        noise_threshold,
        fail_on_regression: switch(&given, "fail-on-regression")?,
        carbon_intensity: positive::<f64>(
            &given,
            "carbon-intensity",
            "a positive number of grams CO2e per kWh",
        )?,
        meter_cmd,
        meter_csv,
        gpu_protocol: choice(
            &given,
            "gpu-protocol",
            &[
                ("simple", GpuProtocol::Simple),
                ("phased", GpuProtocol::Phased),
            ],
            GpuProtocol::Simple,
        )?,
        plots: choice(
            &given,
            "plots",
            &[
                ("all", Plots::All),
                ("summary", Plots::Summary),
                ("none", Plots::None),
            ],
            Plots::All,
        )?,
    })
}

/// `2%` or `0.02` as a fraction.
fn parse_fraction(v: &str) -> Option<f64> {
    let v = v.trim();
    let f = match v.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().ok()? / 100.0,
        None => v.parse::<f64>().ok()?,
    };
    (f.is_finite() && (0.0..1.0).contains(&f)).then_some(f)
}

/// The `--help` text.
pub const HELP: &str = "\
Usage: cargo bench [--bench NAME] -- [FILTER...] [OPTIONS]

Benchmarks time and energy. Without --bench (cargo test --benches) each case runs once.

Selection:
  FILTER                   run cases whose id contains FILTER (IPW_FILTER)
  --exact                  match the filter exactly (IPW_EXACT)
  --skip FILTER            skip cases whose id contains FILTER
  --list                   list cases as `NAME: benchmark` (IPW_LIST)
  --ignored                run only ignored cases (IPW_IGNORED)
  --include-ignored        run ignored cases too (IPW_INCLUDE_IGNORED)
Measurement:
  --sample-size N          samples per case, default 100 (IPW_SAMPLE_SIZE)
  --warm-up-time S         warm-up per case, default 3 (IPW_WARM_UP_TIME)
  --measurement-time S     target measuring time per case, default 5 (IPW_MEASUREMENT_TIME)
  --max-time S             hard cap per case, default 60 (IPW_MAX_TIME)
  --idle-time S            idle power before and after, default 2, 0 disables (IPW_IDLE_TIME)
  --sensors LIST           auto, estimate, synthetic:WATTS, ... (IPW_SENSORS)
  --meter-cmd CMD          wall meter program printing unix_seconds,watts (IPW_METER_CMD)
  --meter-csv FILE         wall meter log written during the run (IPW_METER_CSV)
  --gpu-protocol P         simple or phased (IPW_GPU_PROTOCOL)
  --no-interleave          sample a group's variants one after another (IPW_NO_INTERLEAVE)
  --seed N                 seed for ordering and bootstrap (IPW_SEED)
Output:
  --output-dir DIR         default target/ipw (IPW_OUTPUT_DIR)
  --format human|json      json: one JSON object per line (IPW_FORMAT)
  --plots all|summary|none report plots (IPW_PLOTS)
  --carbon-intensity G     gCO2e per kWh (IPW_CARBON_INTENSITY)
  --strict                 quality warnings fail the run (IPW_STRICT)
Baselines:
  --save-baseline NAME     store this run as NAME (IPW_SAVE_BASELINE)
  --baseline NAME          compare with NAME (IPW_BASELINE)
  --noise-threshold X      e.g. 2% (IPW_NOISE_THRESHOLD)
  --fail-on-regression     exit 3 on a significant regression (IPW_FAIL_ON_REGRESSION)

libtest flags such as --nocapture, --show-output and --test-threads are accepted and ignored.
Exit codes: 0 ok, 1 a case failed, 2 bad input or usage, 3 regression found.
";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, ConfigError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Config::parse(&args, &BTreeMap::new())
    }

    fn parse_env(args: &[&str], env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(&args, &env)
    }

    #[test]
    fn cargo_bench_style_arguments() {
        let c = parse(&["--bench", "sort", "--sample-size", "5", "--nocapture"]).unwrap();
        assert_eq!(c.mode, Mode::Bench);
        assert_eq!(c.filters, vec!["sort"]);
        assert_eq!(c.sample_size, Some(5));
        let c = parse(&["--test-threads=1", "--exact", "a/b"]).unwrap();
        assert_eq!(c.mode, Mode::Test);
        assert!(c.exact);
        assert_eq!(c.ignored, Ignored::Skip);
    }

    #[test]
    fn flags_beat_environment() {
        let c = parse_env(
            &["--sample-size=7"],
            &[("IPW_SAMPLE_SIZE", "9"), ("IPW_SENSORS", "synthetic:3")],
        )
        .unwrap();
        assert_eq!(c.sample_size, Some(7));
        assert_eq!(c.sensor_specs, vec![SensorSpec::Synthetic { watts: 3.0 }]);
        let c = parse_env(&[], &[("IPW_BENCH", "1"), ("IPW_NO_INTERLEAVE", "true")]).unwrap();
        assert_eq!(c.mode, Mode::Bench);
        assert!(!c.interleave);
    }

    #[test]
    fn bad_values_name_the_flag_or_twin() {
        let e = parse(&["--sample-size", "many"]).unwrap_err();
        assert!(e.0.starts_with("--sample-size:"), "{e}");
        let e = parse_env(&[], &[("IPW_MEASUREMENT_TIME", "-1")]).unwrap_err();
        assert!(e.0.starts_with("IPW_MEASUREMENT_TIME:"), "{e}");
        let e = parse(&["--frobnicate"]).unwrap_err();
        assert!(e.0.contains("--frobnicate"), "{e}");
        let e = parse(&["--format", "xml"]).unwrap_err();
        assert!(e.0.contains("human"), "{e}");
        assert!(parse(&["--sensors", "nope"])
            .unwrap_err()
            .0
            .contains("nope"));
        assert!(parse(&["--seed"]).unwrap_err().0.contains("needs a value"));
        assert!(parse_env(&[], &[("IPW_STRICT", "maybe")]).is_err());
        assert!(parse(&["--noise-threshold", "150%"]).is_err());
        assert!(parse(&["--max-time", "0"]).is_err());
    }

    #[test]
    fn fractions_and_ignored_modes() {
        assert_eq!(
            parse(&["--noise-threshold", "2%"]).unwrap().noise_threshold,
            Some(0.02)
        );
        assert_eq!(parse(&["--ignored"]).unwrap().ignored, Ignored::Only);
        assert_eq!(
            parse(&["--ignored", "--include-ignored"]).unwrap().ignored,
            Ignored::Include
        );
        assert_eq!(parse(&["--list"]).unwrap().mode, Mode::List);
    }
}
