//! Run configuration from the command line and its `IPW_*` environment twins.
//!
//! The flags are libtest- and criterion-compatible: `cargo bench` passes `--bench`, a
//! positional filter selects cases, and libtest flags that mean nothing here are accepted
//! and ignored. A flag beats its environment twin; both beat the attribute; the attribute
//! beats the default.
//!
//! Each flag is defined once, in the table of [`crate::setup::flags`]; this module reads
//! the command line and the twins with it and applies what they give. Every value is
//! checked here, before anything is measured.

use crate::setup::flags::{self, Arity, Flag};
use crate::setup::input;
use crate::setup::names::escape_controls;
use crate::setup::nearest::did_you_mean;
use crate::setup::sensor_spec::{parse_sensor_spec_with_meters, SensorSpec};
use crate::setup::values::Given;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ffi::OsStr;
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
    /// `--profile-time S`: run each case for S seconds, analyse nothing, write nothing.
    Profile,
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

/// `--color`: whether stdout's verdicts are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    Always,
    Never,
}

/// How much the terminal says besides the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verbosity {
    /// `--quiet`: results and errors only.
    Quiet,
    Normal,
    /// `--verbose`: each sensor on its own line, each case's plan.
    Verbose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GpuProtocol {
    Simple,
    Phased,
}

/// Which plots the HTML report draws (`--plots`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Plots {
    /// Every plot, the power traces and per-sample scatter plots of the case pages included.
    All,
    /// The summary plots (distributions, forest and Pareto plots), without the case pages'
    /// power traces and scatter plots, so pages stay light.
    Summary,
    /// No plots.
    None,
}

/// One shard of a run split across machines (`--shard K/N`): the selected groups, in
/// registration order, are dealt round-robin to N shards and this run keeps the K-th
/// (from 1), so a group's variants are always measured together on one machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shard {
    /// K, from 1 to `count`.
    pub index: usize,
    /// N, at least 1.
    pub count: usize,
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
    /// `--shard K/N`: run only the K-th of N shards of the selected groups (recorded only
    /// when given, so an unsharded run's configuration reads as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
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
    /// `--profile-time`: seconds to run each case for a profiler (never in a results file).
    #[serde(skip)]
    pub profile_time: Option<f64>,
    /// `--baseline-lenient`: a missing baseline is a warning; recorded only when given.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub baseline_lenient: bool,
    /// Flags accepted but not applied as given (criterion's statistics settings): said as
    /// warnings before anything runs.
    #[serde(skip)]
    pub notices: Vec<String>,
    /// `--processes N`: fresh processes that measure the selected cases in turn (recorded
    /// only when above 1, so a one-process run's configuration reads as before).
    #[serde(skip_serializing_if = "is_one")]
    pub processes: u32,
    /// `--resume`: measure only the groups the last run of this configuration did not
    /// finish (never recorded: a resumed run's configuration is the interrupted one's).
    #[serde(skip)]
    pub resume: bool,
    /// Set in a child of `--processes N`: its index, and the folder its results go to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worker: Option<Worker>,
    /// How the terminal looks, not what is measured: not recorded in results.json.
    #[serde(skip)]
    pub color: ColorChoice,
    #[serde(skip)]
    pub verbosity: Verbosity,
    /// `--progress`: the progress line also when stderr is not a terminal.
    #[serde(skip)]
    pub progress: bool,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// A child process of a `--processes N` run (`IPW_WORKER=K:DIR`, set by the parent): it
/// measures as one process, with seed `seed + K`, writes to `DIR`, and leaves baselines to
/// the parent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Worker {
    /// The process index, from 0.
    pub index: u32,
    /// Where this process writes its results (its own output folder).
    pub output_dir: PathBuf,
}

pub const DEFAULT_SAMPLE_SIZE: usize = 100;
pub const DEFAULT_WARM_UP_TIME: f64 = 3.0;
pub const DEFAULT_MEASUREMENT_TIME: f64 = 5.0;
pub const DEFAULT_MAX_TIME: f64 = 60.0;
pub const DEFAULT_IDLE_TIME: f64 = 2.0;

/// The longest time a time flag takes, in seconds (a week): longer is a typo, and far
/// longer would not fit a `Duration`.
pub const MAX_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// A bad flag or environment value: the message names it and says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// The configuration while the flags are applied: a [`Config`] with the defaults, and
/// the switches that only decide something together.
pub(crate) struct Draft {
    pub(crate) config: Config,
    pub(crate) help: bool,
    pub(crate) list: bool,
    pub(crate) bench: bool,
    pub(crate) only_ignored: bool,
    pub(crate) include_ignored: bool,
    /// `--test`: test mode even with `--bench`.
    pub(crate) test: bool,
    pub(crate) quick: bool,
    pub(crate) discard_baseline: bool,
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
    /// The flag or twin that gave `--sensors`, for its errors.
    pub(crate) sensors_origin: Option<String>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            config: Config {
                mode: Mode::Test,
                filters: Vec::new(),
                skip: Vec::new(),
                exact: false,
                shard: None,
                ignored: Ignored::Skip,
                sample_size: None,
                warm_up_time: None,
                measurement_time: None,
                max_time: None,
                idle_time: DEFAULT_IDLE_TIME,
                sensors: "auto".to_string(),
                sensor_specs: Vec::new(),
                seed: DEFAULT_SEED,
                output_dir: None,
                format: Format::Human,
                interleave: true,
                strict: false,
                save_baseline: None,
                baseline: None,
                noise_threshold: None,
                fail_on_regression: false,
                carbon_intensity: None,
                meter_cmd: None,
                meter_csv: None,
                gpu_protocol: GpuProtocol::Simple,
                plots: Plots::All,
                profile_time: None,
                baseline_lenient: false,
                notices: Vec::new(),
                processes: 1,
                resume: false,
                worker: None,
                color: ColorChoice::Auto,
                verbosity: Verbosity::Normal,
                progress: false,
            },
            test: false,
            quick: false,
            discard_baseline: false,
            help: false,
            list: false,
            bench: false,
            only_ignored: false,
            include_ignored: false,
            quiet: false,
            verbose: false,
            sensors_origin: None,
        }
    }

    fn finish(self) -> Result<Config, ConfigError> {
        let mut c = self.config;
        c.mode = if self.help {
            Mode::Help
        } else if self.list {
            Mode::List
        } else if self.test {
            Mode::Test
        } else if c.profile_time.is_some() {
            Mode::Profile
        } else if self.bench {
            Mode::Bench
        } else {
            Mode::Test
        };
        if self.quick {
            let (samples, warm_up, measuring) = crate::setup::criterion_flags::QUICK;
            c.sample_size.get_or_insert(samples);
            c.warm_up_time.get_or_insert(warm_up);
            c.measurement_time.get_or_insert(measuring);
        }
        if self.discard_baseline {
            c.save_baseline = None;
        }
        if c.resume && c.processes >= 2 {
            return Err(ConfigError(format!(
                "--resume cannot continue a --processes {} run yet; select its missing groups \
                 with a filter, or leave out --processes",
                c.processes
            )));
        }
        c.ignored = match (self.only_ignored, self.include_ignored) {
            (_, true) => Ignored::Include,
            (true, false) => Ignored::Only,
            (false, false) => Ignored::Skip,
        };
        c.verbosity = match (self.quiet, self.verbose) {
            (true, true) => {
                return Err(ConfigError(
                    "--quiet: cannot be given with --verbose (or their twins IPW_QUIET, \
                     IPW_VERBOSE); choose one"
                        .to_string(),
                ))
            }
            (true, false) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        };
        c.sensor_specs = parse_sensor_spec_with_meters(
            &c.sensors,
            c.meter_cmd.as_deref(),
            c.meter_csv.as_deref(),
        )
        .map_err(|e| {
            let origin = self.sensors_origin.as_deref().unwrap_or("--sensors");
            ConfigError(format!("{origin}: {e}"))
        })?;
        Ok(c)
    }
}

impl Config {
    /// Parse the process's arguments (without the program name) and environment; with
    /// the warnings about `IPW_*` variables that set nothing.
    pub fn from_env_and_args<S: AsRef<OsStr>>(
        args: &[S],
    ) -> Result<(Config, Vec<String>), ConfigError> {
        let (env, warnings) = input::environment(std::env::vars_os())?;
        Ok((Config::parse(args, &env)?, warnings))
    }

    /// Parse `args` with `env` as the `IPW_*` environment (testable without touching the
    /// process).
    pub fn parse<S: AsRef<OsStr>>(
        args: &[S],
        env: &BTreeMap<String, String>,
    ) -> Result<Config, ConfigError> {
        let from_args = read_args(args)?;
        let mut draft = Draft::new();
        for flag in flags::all() {
            let mine = || {
                from_args
                    .iter()
                    .filter(|(f, _)| f.name == flag.name)
                    .map(|(_, g)| g)
            };
            let twin = flag
                .twin
                .and_then(|t| env.get(t).map(|v| Given::new(Some(v.clone()), t)));
            let given: Vec<&Given> = match flag.arity {
                Arity::Switch | Arity::Value(_) => match mine().next_back() {
                    Some(g) => vec![g],
                    None => twin.iter().collect(),
                },
                Arity::Repeated(_) => mine().chain(twin.iter()).collect(),
                Arity::Positional(_) => match mine().next() {
                    Some(_) => mine().collect(),
                    None => twin.iter().collect(),
                },
            };
            for g in given {
                (flag.apply)(&mut draft, g)?;
            }
        }
        let mut config = draft.finish()?;
        if let Some(w) = env.get("IPW_WORKER") {
            config.worker = Some(worker(w)?);
            // A child measures as one process with its own seed, in its own folder, and
            // leaves the baselines to its parent.
            let worker = config.worker.as_ref().expect("just set");
            config.processes = 1;
            config.seed = config.seed.wrapping_add(u64::from(worker.index));
            config.output_dir = Some(worker.output_dir.clone());
            config.save_baseline = None;
            config.baseline = None;
            config.fail_on_regression = false;
        }
        Ok(config)
    }
}

/// `K:DIR` of `IPW_WORKER`.
fn worker(text: &str) -> Result<Worker, ConfigError> {
    let bad = || {
        ConfigError(format!(
            "IPW_WORKER: `{}` is not K:DIR; it is set by a --processes parent, unset it",
            escape_controls(text)
        ))
    };
    let (k, dir) = text.split_once(':').ok_or_else(bad)?;
    let index = k.parse::<u32>().map_err(|_| bad())?;
    if dir.is_empty() {
        return Err(bad());
    }
    Ok(Worker {
        index,
        output_dir: PathBuf::from(dir),
    })
}

/// Each flag on the command line with its value, in order.
fn read_args<S: AsRef<OsStr>>(args: &[S]) -> Result<Vec<(&'static Flag, Given)>, ConfigError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let raw = args[i].as_ref();
        i += 1;
        let Some(arg) = raw.to_str() else {
            return Err(input::not_utf8(raw, None));
        };
        let (name, inline) = match arg.strip_prefix("--") {
            Some(body) => match body.split_once('=') {
                Some((n, v)) => (&arg[..n.len() + 2], Some(v.to_string())),
                None => (arg, None),
            },
            None if arg.starts_with('-') && arg.len() > 1 => (arg, None),
            None => {
                let Some(flag) = flags::positional() else {
                    return Err(ConfigError(format!(
                        "unexpected argument `{}`; run with --help for the usage",
                        escape_controls(arg)
                    )));
                };
                out.push((flag, Given::new(Some(arg.to_string()), flag.name)));
                continue;
            }
        };
        let Some(flag) = flags::find(name) else {
            let hint = Some(name)
                .filter(|n| n.starts_with("--"))
                .and_then(|n| did_you_mean(n, flags::flag_names()))
                .map(|known| format!("did you mean {known}? "))
                .unwrap_or_default();
            return Err(ConfigError(format!(
                "unknown flag `{}`; {hint}run with --help for the list",
                escape_controls(name)
            )));
        };
        let value = match (flag.arity, inline) {
            (Arity::Switch, v) => v,
            (_, Some(v)) => Some(v),
            (_, None) => {
                let Some(next) = args.get(i).map(AsRef::as_ref) else {
                    return Err(ConfigError(format!("{name} needs a value")));
                };
                i += 1;
                let Some(next) = next.to_str() else {
                    return Err(input::not_utf8(next, Some(name)));
                };
                Some(next.to_string())
            }
        };
        out.push((flag, Given::new(value, name)));
    }
    Ok(out)
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
