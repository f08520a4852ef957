//! The `--help` text, generated from the flag table.

use crate::setup::config::MAX_SECONDS;
use crate::setup::flags::{all, Arity, Flag, ReadBy, Section, OTHER_SETTINGS};

/// Lines of the ignored-flags paragraph stay within this width.
const WIDTH: usize = 88;

const SECTIONS: &[(Section, &str)] = &[
    (Section::Selection, "Selection"),
    (Section::Measurement, "Measurement"),
    (Section::Output, "Output"),
    (Section::Baselines, "Baselines"),
];

/// `--name VALUE`, as the user writes it.
fn usage(f: &Flag) -> String {
    let name = match f.short {
        Some(short) => format!("{short}, {}", f.name),
        None => f.name.to_string(),
    };
    match f.arity {
        Arity::Switch => name,
        Arity::Value(v) | Arity::Repeated(v) => format!("{name} {v}"),
        Arity::Positional(v) => v.to_string(),
    }
}

/// `text` after `indent`, wrapped to [`WIDTH`] at spaces, every line starting with
/// `indent` and the lines after the first indented two more.
fn wrap(indent: &str, text: &str) -> String {
    let mut out = String::new();
    let mut line = indent.to_string();
    let mut empty = true;
    for word in text.split(' ') {
        if !empty && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = format!("{indent}  ");
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The whole `--help` text.
pub(crate) fn help() -> String {
    let listed = || all().filter(|f| f.section != Section::Ignored);
    let column = listed()
        .map(|f| usage(f).len())
        .chain(OTHER_SETTINGS.iter().map(|s| s.name.len()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!(
        "Usage: cargo bench [--bench NAME] -- [FILTER...] [OPTIONS]\n\n\
         Benchmarks time and energy. Without --bench (cargo test --benches) each case runs once.\n\
         A flag beats its IPW_* twin. S is a number of seconds, at most {MAX_SECONDS} (a week).\n\n"
    );
    for (section, title) in SECTIONS {
        out.push_str(title);
        out.push_str(":\n");
        for f in listed().filter(|f| f.section == *section) {
            let mut line = format!("  {:<column$}{}", usage(f), f.help);
            if let Some(d) = f.default {
                line.push_str(&format!("; default {d}"));
            }
            if let Some(t) = f.twin {
                line.push_str(&format!(" ({t})"));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str("Other settings, environment only:\n");
    let mut readers: Vec<(&str, Vec<&str>)> = Vec::new();
    for s in OTHER_SETTINGS {
        match s.read_by {
            ReadBy::Sensors(line) => out.push_str(&format!("  {:<column$}{line}\n", s.name)),
            ReadBy::Other(who) => match readers.iter_mut().find(|(w, _)| *w == who) {
                Some((_, names)) => names.push(s.name),
                None => readers.push((who, vec![s.name])),
            },
        }
    }
    for (who, names) in readers {
        out.push_str(&wrap("  ", &format!("read by {who}: {}", names.join(", "))));
    }
    let ignored: Vec<String> = all()
        .filter(|f| f.section == Section::Ignored)
        .map(usage)
        .collect();
    out.push('\n');
    out.push_str(&wrap(
        "",
        &format!(
            "libtest and criterion flags accepted and ignored: {}.",
            ignored.join(", ")
        ),
    ));
    out.push_str("Exit codes: 0 ok, 1 a case failed, 2 bad input or usage, 3 regression found.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::config::{
        Config, DEFAULT_MAX_TIME, DEFAULT_MEASUREMENT_TIME, DEFAULT_SAMPLE_SIZE, DEFAULT_SEED,
        DEFAULT_WARM_UP_TIME,
    };
    use std::collections::{BTreeMap, BTreeSet};

    /// The words of the help, without the punctuation around them.
    fn words(text: &str) -> BTreeSet<&str> {
        text.split_whitespace()
            .map(|w| w.trim_matches(|c| matches!(c, ',' | '.' | ';' | ':' | '(' | ')')))
            .collect()
    }

    #[test]
    fn help_lists_every_flag_and_every_twin() {
        let text = help();
        let words = words(&text);
        for f in all() {
            for name in std::iter::once(f.name).chain(f.short) {
                assert!(words.contains(name), "{name} is not in --help:\n{text}");
            }
            if let Some(t) = f.twin {
                assert!(words.contains(t), "{t} is not in --help:\n{text}");
            }
        }
        for s in OTHER_SETTINGS {
            assert!(words.contains(s.name), "{} is not in --help", s.name);
        }
    }

    #[test]
    fn help_keeps_its_sections_and_closing_lines() {
        let text = help();
        let mut at = 0;
        for title in ["Selection:", "Measurement:", "Output:", "Baselines:"] {
            let found = text[at..].find(&format!("\n{title}\n"));
            assert!(found.is_some(), "{title} missing or out of order:\n{text}");
            at += found.unwrap_or(0) + 1;
        }
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines.last(),
            Some(&"Exit codes: 0 ok, 1 a case failed, 2 bad input or usage, 3 regression found.")
        );
        let ignored = text
            .find("libtest and criterion flags accepted and ignored: --nocapture")
            .expect("the ignored flags' paragraph");
        assert!(text[ignored..].contains("--test-threads N"));
        for line in &lines[lines.len() - 4..] {
            assert!(line.len() <= WIDTH, "{line}");
        }
    }

    #[test]
    fn shown_defaults_are_the_defaults() {
        let default = |name: &str| {
            all()
                .find(|f| f.name == name)
                .and_then(|f| f.default)
                .unwrap_or_else(|| panic!("{name} shows no default"))
        };
        // Defaults applied where the budget is made: the shown number is the constant.
        for (name, value) in [
            ("--sample-size", DEFAULT_SAMPLE_SIZE as f64),
            ("--warm-up-time", DEFAULT_WARM_UP_TIME),
            ("--measurement-time", DEFAULT_MEASUREMENT_TIME),
            ("--max-time", DEFAULT_MAX_TIME),
        ] {
            assert_eq!(default(name).parse::<f64>().ok(), Some(value), "{name}");
        }
        assert_eq!(default("--seed"), DEFAULT_SEED.to_string());
        assert!(default("--carbon-intensity").starts_with(&format!(
            "{}, ",
            crate::analysis::carbon::WORLD_AVERAGE_G_PER_KWH
        )));
        use crate::analysis::compare::{DEFAULT_ENERGY_NOISE, DEFAULT_TIME_NOISE};
        assert_eq!(
            default("--noise-threshold"),
            format!(
                "{}% energy, {}% time",
                DEFAULT_ENERGY_NOISE * 100.0,
                DEFAULT_TIME_NOISE * 100.0
            )
        );
        // Defaults set in the configuration: giving the shown value changes nothing.
        let record = |args: &[&str]| {
            let config = Config::parse(args, &BTreeMap::new()).expect("parses");
            serde_json::to_string(&config).expect("serialises")
        };
        for name in [
            "--idle-time",
            "--sensors",
            "--gpu-protocol",
            "--format",
            "--plots",
            "--seed",
            "--color",
        ] {
            assert_eq!(record(&[name, default(name)]), record(&[]), "{name}");
        }
        assert_eq!(default("--output-dir"), "target/ipw");
    }
}
