//! The output flags: what a run writes and prints, and where.

use super::{Arity, Flag, Section};
use crate::setup::config::{ColorChoice, Format, Plots};

/// The flags of `--help`'s output section: results, report, format and colour.
pub(super) const FLAGS: &[Flag] = &[
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
];
