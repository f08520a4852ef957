//! The flag table: every flag, its `IPW_*` twin, what it takes and what it sets. The
//! parser ([`crate::setup::config`]) and `--help` ([`crate::setup::help`]) are both
//! generated from it, so that neither can leave a flag out.

mod baselines;
mod measurement;
mod output;
mod selection;

use crate::setup::config::{ConfigError, Draft};
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

/// The native flags, section by section in `--help` order: which cases run, how they are
/// measured, what a run writes, the baselines, then the libtest and criterion flags that
/// are accepted and ignored.
const NATIVE: &[&[Flag]] = &[
    selection::FLAGS,
    measurement::FLAGS,
    output::FLAGS,
    baselines::FLAGS,
    IGNORED,
];

/// Flags of libtest and criterion that `cargo bench` and `cargo test` may pass: accepted
/// and ignored.
const IGNORED: &[Flag] = &[
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
    native().chain(CRITERION_FLAGS)
}

/// Every native flag, in `--help` order ([`NATIVE`]).
pub(crate) fn native() -> impl Iterator<Item = &'static Flag> {
    NATIVE.iter().flat_map(|section| section.iter())
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
