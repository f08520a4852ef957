//! Tests of the flag table.

use super::*;
use std::collections::BTreeSet;

#[test]
fn twins_are_unique_and_ipw_prefixed() {
    let mut seen = BTreeSet::new();
    for name in known_variables() {
        assert!(name.starts_with("IPW_"), "{name}");
        assert!(
            name[4..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{name}"
        );
        assert!(seen.insert(name), "{name} appears twice");
    }
    assert!(seen.contains("IPW_SKIP") && seen.contains("IPW_BENCH"));
}

#[test]
fn names_are_unique_and_shaped_by_their_arity() {
    let mut seen = BTreeSet::new();
    for f in all() {
        assert!(seen.insert(f.name), "{} appears twice", f.name);
        match f.arity {
            Arity::Positional(v) => assert_eq!(f.name, v),
            _ => assert!(f.name.starts_with('-'), "{}", f.name),
        }
        let ignored = f.section == Section::Ignored;
        assert_eq!(ignored, f.help.is_empty(), "{}: help", f.name);
        if ignored {
            assert!(f.twin.is_none() && f.default.is_none(), "{}", f.name);
        } else {
            assert!(
                f.twin.is_some() || f.name == "--help",
                "{} has no twin",
                f.name
            );
        }
    }
    assert_eq!(
        native()
            .filter(|f| matches!(f.arity, Arity::Positional(_)))
            .count(),
        1
    );
}

#[test]
fn other_settings_include_what_the_sensors_read() {
    let names: Vec<&str> = OTHER_SETTINGS.iter().map(|s| s.name).collect();
    for read in [
        crate::measure::sensor::rapl::ROOT_ENV,
        crate::measure::sensor::hwmon::ROOT_ENV,
        "IPW_NVML_LIB",
        "IPW_ESTIMATE_CORE_WATTS",
    ] {
        assert!(names.contains(&read), "{read}");
    }
    for s in OTHER_SETTINGS {
        assert!(!is_twin(s.name), "{} is a twin too", s.name);
    }
    let shown = |name: &str| match OTHER_SETTINGS.iter().find(|s| s.name == name) {
        Some(OtherSetting {
            read_by: ReadBy::Sensors(line),
            ..
        }) => line.to_string(),
        _ => String::new(),
    };
    assert!(shown("IPW_POWERCAP_ROOT").contains(crate::measure::sensor::rapl::DEFAULT_ROOT));
    assert!(shown("IPW_HWMON_ROOT").contains(crate::measure::sensor::hwmon::DEFAULT_ROOT));
}

#[test]
fn lookups_find_typed_names_only() {
    assert_eq!(
        find("--sample-size").map(|f| f.twin),
        Some(Some("IPW_SAMPLE_SIZE"))
    );
    assert_eq!(find("-Z").map(|f| f.section), Some(Section::Ignored));
    assert!(find("FILTER").is_none());
    assert_eq!(find("-q").map(|f| f.name), Some("--quiet"));
    assert_eq!(find("-v").map(|f| f.name), Some("--verbose"));
    assert!(find("sample-size").is_none());
    assert_eq!(positional().map(|f| f.twin), Some(Some("IPW_FILTER")));
    assert!(is_twin("IPW_SKIP"));
    assert!(!is_twin("IPW_NVML_LIB"));
}
