//! The baseline flags: runs stored by name and compared against.

use super::{Arity, Flag, Section};

/// The flags of `--help`'s baselines section: saving, comparing and failing on a regression.
pub(super) const FLAGS: &[Flag] = &[
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
];
