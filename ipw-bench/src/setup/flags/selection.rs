//! The selection flags: which registered cases run.

use super::{Arity, Flag, Section};

/// The flags of `--help`'s selection section: which cases run.
pub(super) const FLAGS: &[Flag] = &[
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
];
