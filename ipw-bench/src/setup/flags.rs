//! The flag table: every flag, its `IPW_*` twin, what it takes and what it sets. The
//! parser ([`crate::setup::config`]) and `--help` ([`crate::setup::help`]) are both
//! generated from it, so that neither can leave a flag out.

use crate::setup::config::{ColorChoice, ConfigError, Draft, Format, GpuProtocol, Plots};
use crate::setup::criterion_flags::CRITERION_FLAGS;
use crate::setup::values::Given;

/// What a flag takes on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arity {
    /// `--name`, or `--name=1|0|true|false|yes|no|on|off`; the twin takes the same values.
    Switch,
    /// `--name VALUE` or `--name=VALUE`, with the value's name in the help; the last one
    /// given counts, and any beats the twin.
    Value(&'static str),
    /// As `Value`, but every one given counts, and so does the twin's.
    Repeated(&'static str),
    /// A bare argument, as many as given; the twin counts only when none is given.
    Positional(&'static str),
}

/// Where `--help` lists a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Selection,
    Measurement,
    Output,
    Baselines,
    /// A libtest or criterion flag, accepted so that `cargo bench` and `cargo test` can
    /// pass it, and ignored.
    Ignored,
}

/// What a flag does to the configuration being built.
pub(crate) type Apply = fn(&mut Draft, &Given) -> Result<(), ConfigError>;

/// One flag.
pub(crate) struct Flag {
    /// What the user types: `--sample-size`; the value's name for a positional one.
    pub name: &'static str,
    /// A one-letter form the user may type instead (`-q` for `--quiet`).
    pub short: Option<&'static str>,
    /// The environment variable that stands for the flag.
    pub twin: Option<&'static str>,
    pub arity: Arity,
    /// The default as `--help` shows it.
    pub default: Option<&'static str>,
    pub section: Section,
    /// One line for `--help`.
    pub help: &'static str,
    pub apply: Apply,
}

/// Who reads an `IPW_*` variable that no flag stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadBy {
    /// ipw-bench's sensors; the line `--help` shows.
    Sensors(&'static str),
    /// Named code outside the library proper (an example, the tests, a fake).
    Other(&'static str),
}

/// An environment setting without a flag: known, so that it is never taken for a typo.
pub(crate) struct OtherSetting {
    pub name: &'static str,
    pub read_by: ReadBy,
}

const fn ignored(name: &'static str, arity: Arity) -> Flag {
    Flag {
        name,
        short: None,
        twin: None,
        arity,
        default: None,
        section: Section::Ignored,
        help: "",
        apply: |_, _| Ok(()),
    }
}

pub(crate) const FLAGS: &[Flag] = &[
    Flag {
        name: "FILTER",
        short: None,
        twin: Some("IPW_FILTER"),
        arity: Arity::Positional("FILTER"),
        default: None,
        section: Section::Selection,
        help: "run cases whose id contains FILTER",
        apply: |d, v| {
            d.config.filters.push(v.text().to_string());
            Ok(())
        },
    },
    Flag {
        name: "--exact",
        short: None,
        twin: Some("IPW_EXACT"),
        arity: Arity::Switch,
        default: None,
        section: Section::Selection,
        help: "match the filter with the whole id",
        apply: |d, v| {
            d.config.exact = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--skip",
        short: None,
        twin: Some("IPW_SKIP"),
        arity: Arity::Repeated("FILTER"),
        default: None,
        section: Section::Selection,
        help: "skip cases whose id contains FILTER; may be repeated",
        apply: |d, v| {
            d.config.skip.push(v.filter()?);
            Ok(())
        },
    },
    Flag {
        name: "--shard",
        short: None,
        twin: Some("IPW_SHARD"),
        arity: Arity::Value("K/N"),
        default: None,
        section: Section::Selection,
        help: "run the K-th of N shards: groups dealt round-robin, each group's variants together",
        apply: |d, v| {
            d.config.shard = Some(v.shard()?);
            Ok(())
        },
    },
    Flag {
        name: "--list",
        short: None,
        twin: Some("IPW_LIST"),
        arity: Arity::Switch,
        default: None,
        section: Section::Selection,
        help: "list the cases as `ID: benchmark`",
        apply: |d, v| {
            d.list = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--ignored",
        short: None,
        twin: Some("IPW_IGNORED"),
        arity: Arity::Switch,
        default: None,
        section: Section::Selection,
        help: "run only the cases marked ignore",
        apply: |d, v| {
            d.only_ignored = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--include-ignored",
        short: None,
        twin: Some("IPW_INCLUDE_IGNORED"),
        arity: Arity::Switch,
        default: None,
        section: Section::Selection,
        help: "run the cases marked ignore too",
        apply: |d, v| {
            d.include_ignored = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--bench",
        short: None,
        twin: Some("IPW_BENCH"),
        arity: Arity::Switch,
        default: None,
        section: Section::Measurement,
        help: "measure and write results; cargo bench passes it",
        apply: |d, v| {
            d.bench = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--sample-size",
        short: None,
        twin: Some("IPW_SAMPLE_SIZE"),
        arity: Arity::Value("N"),
        default: Some("100"),
        section: Section::Measurement,
        help: "samples per case, at least 2",
        apply: |d, v| {
            d.config.sample_size = Some(v.sample_size()?);
            Ok(())
        },
    },
    Flag {
        name: "--warm-up-time",
        short: None,
        twin: Some("IPW_WARM_UP_TIME"),
        arity: Arity::Value("S"),
        default: Some("3"),
        section: Section::Measurement,
        help: "warm-up per case",
        apply: |d, v| {
            d.config.warm_up_time = Some(v.seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--measurement-time",
        short: None,
        twin: Some("IPW_MEASUREMENT_TIME"),
        arity: Arity::Value("S"),
        default: Some("5"),
        section: Section::Measurement,
        help: "target measuring time per case",
        apply: |d, v| {
            d.config.measurement_time = Some(v.positive_seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--max-time",
        short: None,
        twin: Some("IPW_MAX_TIME"),
        arity: Arity::Value("S"),
        default: Some("60"),
        section: Section::Measurement,
        help: "hard cap per case",
        apply: |d, v| {
            d.config.max_time = Some(v.positive_seconds()?);
            Ok(())
        },
    },
    Flag {
        name: "--idle-time",
        short: None,
        twin: Some("IPW_IDLE_TIME"),
        arity: Arity::Value("S"),
        default: Some("2"),
        section: Section::Measurement,
        help: "idle power before and after, 0 for none",
        apply: |d, v| {
            d.config.idle_time = v.seconds()?;
            Ok(())
        },
    },
    Flag {
        name: "--sensors",
        short: None,
        twin: Some("IPW_SENSORS"),
        arity: Arity::Value("LIST"),
        default: Some("auto"),
        section: Section::Measurement,
        help: "auto, rapl, hwmon, nvml, meter, estimate, synthetic:W",
        apply: |d, v| {
            d.config.sensors = v.text().to_string();
            d.sensors_origin = Some(v.origin().to_string());
            Ok(())
        },
    },
    Flag {
        name: "--meter-cmd",
        short: None,
        twin: Some("IPW_METER_CMD"),
        arity: Arity::Value("CMD"),
        default: None,
        section: Section::Measurement,
        help: "wall meter program printing unix_seconds,watts",
        apply: |d, v| {
            d.config.meter_cmd = Some(v.text().to_string());
            Ok(())
        },
    },
    Flag {
        name: "--meter-csv",
        short: None,
        twin: Some("IPW_METER_CSV"),
        arity: Arity::Value("FILE"),
        default: None,
        section: Section::Measurement,
        help: "wall meter log written during the run",
        apply: |d, v| {
            d.config.meter_csv = Some(v.path("the meter's log file")?);
            Ok(())
        },
    },
    Flag {
        name: "--gpu-protocol",
        short: None,
        twin: Some("IPW_GPU_PROTOCOL"),
        arity: Arity::Value("P"),
        default: Some("simple"),
        section: Section::Measurement,
        help: "simple or phased",
        apply: |d, v| {
            d.config.gpu_protocol = v.choice(&[
                ("simple", GpuProtocol::Simple),
                ("phased", GpuProtocol::Phased),
            ])?;
            Ok(())
        },
    },
    Flag {
        name: "--no-interleave",
        short: None,
        twin: Some("IPW_NO_INTERLEAVE"),
        arity: Arity::Switch,
        default: None,
        section: Section::Measurement,
        help: "sample a group's variants one after another",
        apply: |d, v| {
            d.config.interleave = !v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--processes",
        short: None,
        twin: Some("IPW_PROCESSES"),
        arity: Arity::Value("N"),
        default: Some("1"),
        section: Section::Measurement,
        help: "measure in N fresh processes, one after another; intervals and comparisons \
               then treat the process as the unit (1 to 64)",
        apply: |d, v| {
            d.config.processes = v.processes()?;
            Ok(())
        },
    },
    Flag {
        name: "--seed",
        short: None,
        twin: Some("IPW_SEED"),
        arity: Arity::Value("N"),
        default: Some("28335853"),
        section: Section::Measurement,
        help: "seed of the sample order and the bootstrap",
        apply: |d, v| {
            d.config.seed = v.seed()?;
            Ok(())
        },
    },
    Flag {
        name: "--output-dir",
        short: None,
        twin: Some("IPW_OUTPUT_DIR"),
        arity: Arity::Value("DIR"),
        default: Some("target/ipw"),
        section: Section::Output,
        help: "where results and the report go",
        apply: |d, v| {
            d.config.output_dir = Some(v.path("a folder such as target/ipw")?);
            Ok(())
        },
    },
    Flag {
        name: "--format",
        short: None,
        twin: Some("IPW_FORMAT"),
        arity: Arity::Value("human|json"),
        default: Some("human"),
        section: Section::Output,
        help: "json: one JSON object per line",
        apply: |d, v| {
            d.config.format = v.choice(&[
                ("human", Format::Human),
                ("pretty", Format::Human),
                ("terse", Format::Human),
                ("json", Format::Json),
            ])?;
            Ok(())
        },
    },
    Flag {
        name: "--plots",
        short: None,
        twin: Some("IPW_PLOTS"),
        arity: Arity::Value("all|summary|none"),
        default: Some("all"),
        section: Section::Output,
        help: "report plots",
        apply: |d, v| {
            d.config.plots = v.choice(&[
                ("all", Plots::All),
                ("summary", Plots::Summary),
                ("none", Plots::None),
            ])?;
            Ok(())
        },
    },
    Flag {
        name: "--carbon-intensity",
        short: None,
        twin: Some("IPW_CARBON_INTENSITY"),
        arity: Arity::Value("G"),
        default: Some("480, world average"),
        section: Section::Output,
        help: "gCO2e per kWh",
        apply: |d, v| {
            d.config.carbon_intensity = Some(v.carbon_intensity()?);
            Ok(())
        },
    },
    Flag {
        name: "--strict",
        short: None,
        twin: Some("IPW_STRICT"),
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "quality warnings fail the run",
        apply: |d, v| {
            d.config.strict = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--resume",
        short: None,
        twin: Some("IPW_RESUME"),
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "continue the interrupted or crashed last run: measure only its missing groups",
        apply: |d, v| {
            d.config.resume = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--quiet",
        short: Some("-q"),
        twin: Some("IPW_QUIET"),
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "print only results and errors: no progress, sensor lines or warnings",
        apply: |d, v| {
            d.quiet = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--verbose",
        short: Some("-v"),
        twin: Some("IPW_VERBOSE"),
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "print each sensor on its own line, and each case's plan",
        apply: |d, v| {
            d.verbose = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--color",
        short: None,
        twin: Some("IPW_COLOR"),
        arity: Arity::Value("auto|always|never"),
        default: Some("auto"),
        section: Section::Output,
        help: "colour verdicts on stdout; auto: when stdout is a terminal and NO_COLOR is unset",
        apply: |d, v| {
            d.config.color = v.choice(&[
                ("auto", ColorChoice::Auto),
                ("always", ColorChoice::Always),
                ("never", ColorChoice::Never),
            ])?;
            Ok(())
        },
    },
    Flag {
        name: "--progress",
        short: None,
        twin: Some("IPW_PROGRESS"),
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "a progress line on stderr even when it is not a terminal",
        apply: |d, v| {
            d.config.progress = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--help",
        short: None,
        twin: None,
        arity: Arity::Switch,
        default: None,
        section: Section::Output,
        help: "print this help",
        apply: |d, v| {
            d.help = v.switch()?;
            Ok(())
        },
    },
    Flag {
        name: "--save-baseline",
        short: None,
        twin: Some("IPW_SAVE_BASELINE"),
        arity: Arity::Value("NAME"),
        default: None,
        section: Section::Baselines,
        help: "store this run as NAME",
        apply: |d, v| {
            d.config.save_baseline = Some(v.baseline_name()?);
            Ok(())
        },
    },
    Flag {
        name: "--baseline",
        short: None,
        twin: Some("IPW_BASELINE"),
        arity: Arity::Value("NAME"),
        default: None,
        section: Section::Baselines,
        help: "compare with the run stored as NAME",
        apply: |d, v| {
            d.config.baseline = Some(v.baseline_name()?);
            Ok(())
        },
    },
    Flag {
        name: "--noise-threshold",
        short: None,
        twin: Some("IPW_NOISE_THRESHOLD"),
        arity: Arity::Value("X"),
        default: Some("2% energy, 1% time"),
        section: Section::Baselines,
        help: "smaller changes are noise, e.g. 2%",
        apply: |d, v| {
            d.config.noise_threshold = Some(v.fraction()?);
            Ok(())
        },
    },
    Flag {
        name: "--fail-on-regression",
        short: None,
        twin: Some("IPW_FAIL_ON_REGRESSION"),
        arity: Arity::Switch,
        default: None,
        section: Section::Baselines,
        help: "exit 3 on a significant regression",
        apply: |d, v| {
            d.config.fail_on_regression = v.switch()?;
            Ok(())
        },
    },
    ignored("--nocapture", Arity::Switch),
    ignored("--show-output", Arity::Switch),
    ignored("--test-threads", Arity::Value("N")),
    ignored("--logfile", Arity::Value("FILE")),
    ignored("--report-time", Arity::Switch),
    ignored("--ensure-time", Arity::Switch),
    ignored("--shuffle", Arity::Switch),
    ignored("--shuffle-seed", Arity::Value("N")),
    ignored("--force-run-in-process", Arity::Switch),
    ignored("--exclude-should-panic", Arity::Switch),
    ignored("--nocolor", Arity::Switch),
    ignored("-Z", Arity::Value("FLAG")),
];

/// `IPW_*` variables that other code reads: never reported as unknown.
pub(crate) const OTHER_SETTINGS: &[OtherSetting] = &[
    OtherSetting {
        name: "IPW_POWERCAP_ROOT",
        read_by: ReadBy::Sensors("powercap root of rapl, default /sys/class/powercap"),
    },
    OtherSetting {
        name: "IPW_HWMON_ROOT",
        read_by: ReadBy::Sensors("hwmon root, default /sys/class/hwmon"),
    },
    OtherSetting {
        name: "IPW_NVML_LIB",
        read_by: ReadBy::Sensors("NVML library of nvml, default libnvidia-ml.so.1"),
    },
    OtherSetting {
        name: "IPW_ESTIMATE_CORE_WATTS",
        read_by: ReadBy::Sensors("watts per busy core of the estimate, default 10"),
    },
    OtherSetting {
        name: "IPW_LLM_URL",
        read_by: ReadBy::Other("the example llm bench"),
    },
    OtherSetting {
        name: "IPW_LLM_MODEL",
        read_by: ReadBy::Other("the example llm bench"),
    },
    OtherSetting {
        name: "IPW_FAKE_NVML_SCRIPT",
        read_by: ReadBy::Other("ipw-bench's tests"),
    },
    OtherSetting {
        name: "IPW_REAL_NVML",
        read_by: ReadBy::Other("ipw-bench's tests"),
    },
    OtherSetting {
        name: "IPW_REAL_NVML_LOAD",
        read_by: ReadBy::Other("ipw-bench's tests"),
    },
    OtherSetting {
        name: "IPW_CHROMIUM",
        read_by: ReadBy::Other("ipw-bench's tests"),
    },
    OtherSetting {
        name: "IPW_WORKER",
        read_by: ReadBy::Other("a child of --processes N (set by its parent: K:DIR)"),
    },
    OtherSetting {
        name: "IPW_ENV_PAD",
        read_by: ReadBy::Other("a child of --processes N (environment-size padding)"),
    },
    OtherSetting {
        name: "IPW_HARNESS_FIXTURES",
        read_by: ReadBy::Other("cargo ipw's import tests (fixtures written afresh in CI)"),
    },
    OtherSetting {
        name: "IPW_INSIDE_FRESH_CLONE",
        read_by: ReadBy::Other("ipw-bench's tests"),
    },
];

/// Every flag: the native ones, then criterion's
/// ([`crate::setup::criterion_flags::CRITERION_FLAGS`]); one table for the parser and
/// `--help`.
pub(crate) fn all() -> impl Iterator<Item = &'static Flag> {
    FLAGS.iter().chain(CRITERION_FLAGS)
}

/// The flag the user typed as `name` (`--sample-size`, `-q`), if there is one.
pub(crate) fn find(name: &str) -> Option<&'static Flag> {
    all().find(|f| {
        (f.name == name || f.short == Some(name)) && !matches!(f.arity, Arity::Positional(_))
    })
}

/// The flag that bare arguments give.
pub(crate) fn positional() -> Option<&'static Flag> {
    all().find(|f| matches!(f.arity, Arity::Positional(_)))
}

/// Whether a flag stands for the environment variable `name`.
pub(crate) fn is_twin(name: &str) -> bool {
    all().any(|f| f.twin == Some(name))
}

/// Every `IPW_*` name ipw-bench knows: the twins, then the other settings.
pub(crate) fn known_variables() -> impl Iterator<Item = &'static str> {
    all()
        .filter_map(|f| f.twin)
        .chain(OTHER_SETTINGS.iter().map(|s| s.name))
}

/// Every long flag name (`--name`), for suggestions.
pub(crate) fn flag_names() -> impl Iterator<Item = &'static str> {
    all().map(|f| f.name).filter(|n| n.starts_with("--"))
}

#[cfg(test)]
#[path = "flags_tests.rs"]
mod tests;
