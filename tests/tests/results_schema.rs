//! Keeps `docs/results-schema.md` and the results types in agreement: every field of a
//! results document with every optional field present has a row in the document, and
//! every row names a field.

use ipw_bench::results::example::full_example;
use ipw_bench::results::RunResults;
use serde_json::Value;
use std::collections::BTreeSet;

/// Objects whose keys are names (domains, metrics, details), not fields.
const MAPS: &[&str] = &[
    "cases[].estimates",
    "cases[].samples[].energy_j",
    "cases[].processes.components",
    "idle.before.power_w_by_domain",
    "idle.after.power_w_by_domain",
    "sensors[].details",
];

/// Free-form objects documented as a whole.
const OPAQUE: &[&str] = &["run.config", "cases[].throughput", "run.resumed[].idle"];

/// Every path of a JSON value, with `[]` for arrays and `*` for name-keyed maps.
fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) if OPAQUE.contains(&prefix) => {
            let _ = m;
            out.insert(prefix.to_string());
        }
        Value::Object(m) if MAPS.contains(&prefix) => {
            for child in m.values() {
                let p = join("*");
                let before = out.len();
                paths(child, &p, out);
                if out.len() == before {
                    out.insert(p);
                }
            }
        }
        Value::Object(m) => {
            for (k, child) in m {
                paths(child, &join(k), out);
            }
        }
        Value::Array(a) => {
            let p = format!("{prefix}[]");
            if a.iter().all(|x| !x.is_object()) {
                out.insert(p.clone());
            }
            for x in a {
                if x.is_object() {
                    paths(x, &p, out);
                }
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

fn documented() -> BTreeSet<String> {
    let doc = include_str!("../../docs/results-schema.md");
    // Rows whose type is `object` describe a container; its fields have rows of their own.
    doc.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .filter(|(_, rest)| !rest.trim_start_matches([' ', '|']).starts_with("object"))
        .map(|(p, _)| p.to_string())
        .filter(|p| p.contains('.') || p.contains("[]") || p == "schema_version" || p == "bench")
        .collect()
}

#[test]
fn results_schema_matches_the_document() {
    let v = serde_json::to_value(full_example()).unwrap();
    let mut code = BTreeSet::new();
    paths(&v, "", &mut code);
    let doc = documented();
    let undocumented: Vec<&String> = code.difference(&doc).collect();
    let missing: Vec<&String> = doc.difference(&code).collect();
    assert!(
        undocumented.is_empty(),
        "fields in results.json missing from docs/results-schema.md: {undocumented:?}"
    );
    assert!(
        missing.is_empty(),
        "paths in docs/results-schema.md that results.json does not have: {missing:?}"
    );
}

#[test]
fn full_example_round_trips() {
    let r = full_example();
    let text = serde_json::to_string(&r).unwrap();
    let back: RunResults = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
}
