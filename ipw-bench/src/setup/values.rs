//! The values given to flags and twins, read and checked: each error names the flag or
//! twin that gave the value, shows the value on one line and says what to give instead.

use crate::setup::config::{ConfigError, MAX_SECONDS};
use crate::setup::names::{baseline_name_problem, escape_controls, path_problem};
use std::path::PathBuf;

/// One value given to a flag, and where it came from (`--seed`, `IPW_SEED`).
pub(crate) struct Given {
    value: Option<String>,
    origin: String,
}

impl Given {
    pub(crate) fn new(value: Option<String>, origin: &str) -> Given {
        Given {
            value,
            origin: origin.to_string(),
        }
    }

    /// The value as given; empty for a switch given without one.
    pub(crate) fn text(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    /// The flag or twin that gave it.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

    /// The value quoted on one line, for messages.
    fn shown(&self) -> String {
        format!("`{}`", escape_controls(self.text()))
    }

    /// `--flag VALUE` or `IPW_TWIN=VALUE`, as the origin is written.
    fn example(&self, value: &str) -> String {
        if self.origin.starts_with("IPW_") {
            format!("{}={value}", self.origin)
        } else {
            format!("{} {value}", self.origin)
        }
    }

    fn error(&self, what: impl std::fmt::Display) -> ConfigError {
        ConfigError(format!("{}: {what}", self.origin))
    }

    pub(crate) fn switch(&self) -> Result<bool, ConfigError> {
        match self
            .value
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("1" | "true" | "yes" | "on" | "") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(_) => Err(self.error(format_args!(
                "{} is not a switch value; use 1 or 0",
                self.shown()
            ))),
        }
    }

    /// Seconds from 0 to [`MAX_SECONDS`]; a trailing `s` is allowed.
    pub(crate) fn seconds(&self) -> Result<f64, ConfigError> {
        let v = self.text();
        match v.trim().trim_end_matches('s').parse::<f64>() {
            Ok(s) if s.is_finite() && (0.0..=MAX_SECONDS).contains(&s) => Ok(s),
            Ok(s) if s > MAX_SECONDS => Err(self.error(format_args!(
                "{} is more than a week; use at most {MAX_SECONDS} seconds",
                self.shown()
            ))),
            _ => Err(self.error(format_args!(
                "{} is not a number of seconds; use e.g. {}",
                self.shown(),
                self.example("2.5")
            ))),
        }
    }

    /// As [`Given::seconds`], more than 0.
    pub(crate) fn positive_seconds(&self) -> Result<f64, ConfigError> {
        match self.seconds()? {
            s if s > 0.0 => Ok(s),
            _ => Err(self.error("must be more than 0 seconds")),
        }
    }

    pub(crate) fn sample_size(&self) -> Result<usize, ConfigError> {
        match self.text().trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n.max(2)),
            _ => Err(self.error(format_args!(
                "{} is not a whole number of samples >= 2",
                self.shown()
            ))),
        }
    }

    /// A number of processes: 1 to 64.
    pub(crate) fn processes(&self) -> Result<u32, ConfigError> {
        match self.text().trim().parse::<u32>() {
            Ok(n) if (1..=64).contains(&n) => Ok(n),
            _ => Err(self.error(format_args!(
                "{} is not a number of processes from 1 to 64",
                self.shown()
            ))),
        }
    }

    /// `K/N` with 1 <= K <= N.
    pub(crate) fn shard(&self) -> Result<crate::setup::config::Shard, ConfigError> {
        let parsed = self.text().trim().split_once('/').and_then(|(k, n)| {
            Some((
                k.trim().parse::<usize>().ok()?,
                n.trim().parse::<usize>().ok()?,
            ))
        });
        match parsed {
            Some((index, count)) if index >= 1 && index <= count => {
                Ok(crate::setup::config::Shard { index, count })
            }
            _ => Err(self.error(format_args!(
                "{} is not a shard; use K/N with 1 <= K <= N (`--shard 2/3`: the second of \
                 three)",
                self.shown()
            ))),
        }
    }

    pub(crate) fn seed(&self) -> Result<u64, ConfigError> {
        self.text().trim().parse::<u64>().map_err(|_| {
            self.error(format_args!(
                "{} is not a seed; use a whole number from 0 to {}",
                self.shown(),
                u64::MAX
            ))
        })
    }

    /// `2%` or `0.02`, from 0 to less than 1.
    pub(crate) fn fraction(&self) -> Result<f64, ConfigError> {
        let v = self.text().trim();
        let f = match v.strip_suffix('%') {
            Some(p) => p.trim().parse::<f64>().ok().map(|p| p / 100.0),
            None => v.parse::<f64>().ok(),
        };
        f.filter(|f| f.is_finite() && (0.0..1.0).contains(f))
            .ok_or_else(|| {
                self.error(format_args!(
                    "{} is not a threshold; use a percentage like 2% or a fraction like 0.02",
                    self.shown()
                ))
            })
    }

    pub(crate) fn carbon_intensity(&self) -> Result<f64, ConfigError> {
        match self.text().trim().parse::<f64>() {
            Ok(g) if g.is_finite() && g > 0.0 => Ok(g),
            _ => Err(self.error(format_args!(
                "{} is not a positive finite number of grams CO2e per kWh; use e.g. 480",
                self.shown()
            ))),
        }
    }

    pub(crate) fn choice<T: Copy>(&self, options: &[(&str, T)]) -> Result<T, ConfigError> {
        let v = self.text().trim();
        options
            .iter()
            .find(|(k, _)| *k == v)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<&str> = options.iter().map(|o| o.0).collect();
                self.error(format_args!(
                    "{} is not one of {}",
                    self.shown(),
                    names.join(", ")
                ))
            })
    }

    /// A folder or file to write or read; `what` says what to give instead.
    pub(crate) fn path(&self, what: &str) -> Result<PathBuf, ConfigError> {
        match path_problem(self.text()) {
            None => Ok(PathBuf::from(self.text())),
            Some(_) if self.text().is_empty() => {
                Err(self.error(format_args!("the path is empty; give {what}")))
            }
            Some(why) => Err(self.error(format_args!(
                "{} is not a usable path: {why}; give {what}",
                self.shown()
            ))),
        }
    }

    /// A baseline name, checked as the baseline store checks it.
    pub(crate) fn baseline_name(&self) -> Result<String, ConfigError> {
        let name = self.text();
        match baseline_name_problem(name) {
            None => Ok(name.to_string()),
            Some(why) => Err(self.error(format_args!(
                "baseline name {name:?} is not usable: {why}; use letters, digits, '-', '_' or '.'"
            ))),
        }
    }

    /// A `--skip` filter: an empty one would skip every case.
    pub(crate) fn filter(&self) -> Result<String, ConfigError> {
        match self.text() {
            "" => Err(self.error("an empty filter skips every case; give part of the ids to skip")),
            v => Ok(v.to_string()),
        }
    }
}
