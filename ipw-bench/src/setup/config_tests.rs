//! Tests of the run configuration: command line, environment and their checks.

use super::*;

fn parse(args: &[&str]) -> Result<Config, ConfigError> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    Config::parse(&args, &BTreeMap::new())
}

fn parse_env(args: &[&str], env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::parse(&args, &env)
}

#[test]
fn cargo_bench_style_arguments() {
    let c = parse(&["--bench", "sort", "--sample-size", "5", "--nocapture"]).unwrap();
    assert_eq!(c.mode, Mode::Bench);
    assert_eq!(c.filters, vec!["sort"]);
    assert_eq!(c.sample_size, Some(5));
    let c = parse(&["--test-threads=1", "--exact", "a/b"]).unwrap();
    assert_eq!(c.mode, Mode::Test);
    assert!(c.exact);
    assert_eq!(c.ignored, Ignored::Skip);
}

#[test]
fn flags_beat_environment() {
    let c = parse_env(
        &["--sample-size=7"],
        &[("IPW_SAMPLE_SIZE", "9"), ("IPW_SENSORS", "synthetic:3")],
    )
    .unwrap();
    assert_eq!(c.sample_size, Some(7));
    assert_eq!(c.sensor_specs, vec![SensorSpec::Synthetic { watts: 3.0 }]);
    let c = parse_env(&[], &[("IPW_BENCH", "1"), ("IPW_NO_INTERLEAVE", "true")]).unwrap();
    assert_eq!(c.mode, Mode::Bench);
    assert!(!c.interleave);
}

#[test]
fn bad_values_name_the_flag_or_twin() {
    let e = parse(&["--sample-size", "many"]).unwrap_err();
    assert!(e.0.starts_with("--sample-size:"), "{e}");
    let e = parse_env(&[], &[("IPW_MEASUREMENT_TIME", "-1")]).unwrap_err();
    assert!(e.0.starts_with("IPW_MEASUREMENT_TIME:"), "{e}");
    let e = parse(&["--frobnicate"]).unwrap_err();
    assert!(e.0.contains("--frobnicate"), "{e}");
    let e = parse(&["--format", "xml"]).unwrap_err();
    assert!(e.0.contains("human"), "{e}");
    assert!(parse(&["--sensors", "nope"])
        .unwrap_err()
        .0
        .contains("nope"));
    assert!(parse(&["--seed"]).unwrap_err().0.contains("needs a value"));
    assert!(parse_env(&[], &[("IPW_STRICT", "maybe")]).is_err());
    assert!(parse(&["--noise-threshold", "150%"]).is_err());
    assert!(parse(&["--max-time", "0"]).is_err());
}

#[test]
fn fractions_and_ignored_modes() {
    assert_eq!(
        parse(&["--noise-threshold", "2%"]).unwrap().noise_threshold,
        Some(0.02)
    );
    assert_eq!(parse(&["--ignored"]).unwrap().ignored, Ignored::Only);
    assert_eq!(
        parse(&["--ignored", "--include-ignored"]).unwrap().ignored,
        Ignored::Include
    );
    assert_eq!(parse(&["--list"]).unwrap().mode, Mode::List);
}

/// One error for `args` and `env`, checked to be one line that starts with `origin`.
fn one_line_error(args: &[&str], env: &[(&str, &str)], origin: &str) -> String {
    let e = match parse_env(args, env) {
        Ok(c) => panic!("{args:?} {env:?} parsed: {c:?}"),
        Err(e) => e.0,
    };
    assert!(!e.contains(['\n', '\r']), "not one line: {e:?}");
    assert!(e.starts_with(&format!("{origin}: ")), "{e}");
    e
}

#[test]
fn the_recorded_configuration_is_unchanged() {
    // Serialised by the parser before the flag table existed: results.json records
    // this as run.config, and the same flags must keep giving the same bytes.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 4] = [
        (&[], &[], GOLDEN0),
        (
            &[
                "--bench",
                "--sample-size",
                "5",
                "--warm-up-time",
                "0.5",
                "--measurement-time=2",
                "--max-time",
                "10s",
                "--idle-time",
                "0",
                "--sensors",
                "synthetic:3",
                "--seed",
                "7",
                "--output-dir",
                "out",
                "--format",
                "json",
                "--no-interleave",
                "--strict",
                "--save-baseline",
                "a",
                "--baseline",
                "b",
                "--noise-threshold",
                "3%",
                "--fail-on-regression",
                "--carbon-intensity",
                "100",
                "--meter-csv",
                "/tmp/m.csv",
                "--gpu-protocol",
                "phased",
                "--plots",
                "none",
                "--exact",
                "x",
                "y",
                "--skip",
                "z",
                "--include-ignored",
                "--nocapture",
            ],
            &[],
            GOLDEN1,
        ),
        (
            &["--skip", "v", "--ignored", "--sample-size", "1"],
            &[
                ("IPW_SKIP", "w"),
                ("IPW_FILTER", "f"),
                ("IPW_LIST", "1"),
                ("IPW_METER_CMD", "cmd"),
                ("IPW_SAMPLE_SIZE", "9"),
                ("IPW_IDLE_TIME", "1.5"),
            ],
            GOLDEN2,
        ),
        (
            &["--help", "--bench=0"],
            &[
                ("IPW_BENCH", "1"),
                ("IPW_PLOTS", "summary"),
                ("IPW_FORMAT", "terse"),
            ],
            GOLDEN3,
        ),
    ];
    for (args, env, golden) in cases {
        let config = parse_env(args, env).unwrap();
        assert_eq!(serde_json::to_string(&config).unwrap(), golden, "{args:?}");
    }
}

const GOLDEN0: &str = r#"{"mode":"test","filters":[],"skip":[],"exact":false,"ignored":"skip","sample_size":null,"warm_up_time":null,"measurement_time":null,"max_time":null,"idle_time":2.0,"sensors":"auto","seed":28335853,"output_dir":null,"format":"human","interleave":true,"strict":false,"save_baseline":null,"baseline":null,"noise_threshold":null,"fail_on_regression":false,"carbon_intensity":null,"meter_cmd":null,"meter_csv":null,"gpu_protocol":"simple","plots":"all"}"#;
const GOLDEN1: &str = r#"{"mode":"bench","filters":["x","y"],"skip":["z"],"exact":true,"ignored":"include","sample_size":5,"warm_up_time":0.5,"measurement_time":2.0,"max_time":10.0,"idle_time":0.0,"sensors":"synthetic:3","seed":7,"output_dir":"out","format":"json","interleave":false,"strict":true,"save_baseline":"a","baseline":"b","noise_threshold":0.03,"fail_on_regression":true,"carbon_intensity":100.0,"meter_cmd":null,"meter_csv":"/tmp/m.csv","gpu_protocol":"phased","plots":"none"}"#;
const GOLDEN2: &str = r#"{"mode":"list","filters":["f"],"skip":["v","w"],"exact":false,"ignored":"only","sample_size":2,"warm_up_time":null,"measurement_time":null,"max_time":null,"idle_time":1.5,"sensors":"auto","seed":28335853,"output_dir":null,"format":"human","interleave":true,"strict":false,"save_baseline":null,"baseline":null,"noise_threshold":null,"fail_on_regression":false,"carbon_intensity":null,"meter_cmd":"cmd","meter_csv":null,"gpu_protocol":"simple","plots":"all"}"#;
const GOLDEN3: &str = r#"{"mode":"help","filters":[],"skip":[],"exact":false,"ignored":"skip","sample_size":null,"warm_up_time":null,"measurement_time":null,"max_time":null,"idle_time":2.0,"sensors":"auto","seed":28335853,"output_dir":null,"format":"human","interleave":true,"strict":false,"save_baseline":null,"baseline":null,"noise_threshold":null,"fail_on_regression":false,"carbon_intensity":null,"meter_cmd":null,"meter_csv":null,"gpu_protocol":"simple","plots":"summary"}"#;

#[test]
fn times_that_do_not_fit_are_refused_naming_the_flag_or_twin() {
    for (flag, twin) in [
        ("--warm-up-time", "IPW_WARM_UP_TIME"),
        ("--measurement-time", "IPW_MEASUREMENT_TIME"),
        ("--max-time", "IPW_MAX_TIME"),
        ("--idle-time", "IPW_IDLE_TIME"),
    ] {
        for v in ["1e20", "1e400", "inf", "604801"] {
            let e = one_line_error(&[flag, v], &[], flag);
            assert!(e.contains("more than a week"), "{e}");
            one_line_error(&[], &[(twin, v)], twin);
        }
        for v in ["NaN", "-inf", "-1", "soon"] {
            let e = one_line_error(&[flag, v], &[], flag);
            assert!(e.contains("not a number of seconds"), "{e}");
        }
        let e = one_line_error(&[], &[(twin, "x")], twin);
        assert!(e.ends_with(&format!("use e.g. {twin}=2.5")), "{e}");
        assert!(
            parse(&[flag, "604800"]).is_ok(),
            "{flag}: a week is allowed"
        );
    }
    let c = parse(&["--warm-up-time", "604800", "--max-time", "1e5s"]).unwrap();
    assert_eq!(c.warm_up_time, Some(MAX_SECONDS));
    assert!(std::time::Duration::try_from_secs_f64(MAX_SECONDS).is_ok());
    assert_eq!(c.max_time, Some(1e5));
}

#[test]
fn carbon_intensity_is_finite_and_positive() {
    for v in ["inf", "1e400", "NaN", "nan", "0", "-5", "lots"] {
        one_line_error(&["--carbon-intensity", v], &[], "--carbon-intensity");
    }
    one_line_error(
        &[],
        &[("IPW_CARBON_INTENSITY", "inf")],
        "IPW_CARBON_INTENSITY",
    );
    let c = parse(&["--carbon-intensity", "56.5"]).unwrap();
    assert_eq!(c.carbon_intensity, Some(56.5));
}

#[test]
fn unusable_paths_and_baseline_names_are_refused_at_parse_time() {
    for v in ["", "\n", "out\tdir", "\u{1b}[31m"] {
        let e = one_line_error(&["--output-dir", v], &[], "--output-dir");
        assert!(e.contains("path"), "{e}");
        assert!(e.ends_with("give a folder such as target/ipw"), "{e}");
        one_line_error(&[], &[("IPW_OUTPUT_DIR", v)], "IPW_OUTPUT_DIR");
        one_line_error(&["--meter-csv", v], &[], "--meter-csv");
    }
    for flag in ["--save-baseline", "--baseline"] {
        for v in ["", "a/b", "..", ".", "x:y", "a\\b", "line\nbreak"] {
            let e = one_line_error(&[flag, v], &[], flag);
            assert!(e.contains("is not usable"), "{e}");
        }
    }
    one_line_error(&[], &[("IPW_SAVE_BASELINE", "../up")], "IPW_SAVE_BASELINE");
    one_line_error(&[], &[("IPW_BASELINE", "")], "IPW_BASELINE");
    let c = parse(&["--output-dir", "/tmp/ipw out", "--baseline", "v1.2-rc_3"]).unwrap();
    assert_eq!(c.output_dir, Some(PathBuf::from("/tmp/ipw out")));
    assert_eq!(c.baseline.as_deref(), Some("v1.2-rc_3"));
}

#[test]
fn an_empty_skip_is_a_usage_error() {
    let e = one_line_error(&["--skip", ""], &[], "--skip");
    assert!(e.contains("skips every case"), "{e}");
    one_line_error(&["--skip="], &[], "--skip");
    one_line_error(&[], &[("IPW_SKIP", "")], "IPW_SKIP");
    assert_eq!(
        parse(&["--skip", "a", "--skip=b"]).unwrap().skip,
        ["a", "b"]
    );
}

#[test]
fn values_are_shown_on_one_line() {
    let e = one_line_error(&["--sample-size", "1\n2"], &[], "--sample-size");
    assert!(e.contains("`1\\n2`"), "{e}");
    let e = parse(&["--bad\nflag"]).unwrap_err().0;
    assert!(!e.contains('\n') && e.contains("--bad\\nflag"), "{e}");
}

#[test]
fn unknown_flags_suggest_the_nearest() {
    let e = parse(&["--sample-sise", "3"]).unwrap_err().0;
    assert_eq!(
        e,
        "unknown flag `--sample-sise`; did you mean --sample-size? run with --help for the list"
    );
    let e = parse(&["--frobnicate"]).unwrap_err().0;
    assert_eq!(
        e,
        "unknown flag `--frobnicate`; run with --help for the list"
    );
    let e = parse(&["-x"]).unwrap_err().0;
    assert_eq!(e, "unknown flag `-x`; run with --help for the list");
    assert!(parse(&["-q", "-Z", "unstable-options", "--color=never"]).is_ok());
}

#[test]
fn terminal_flags_and_their_twins() {
    let c = parse(&[]).unwrap();
    assert_eq!(
        (c.color, c.verbosity, c.progress),
        (ColorChoice::Auto, Verbosity::Normal, false)
    );
    let c = parse(&["-q", "--color", "always", "--progress"]).unwrap();
    assert_eq!(
        (c.color, c.verbosity, c.progress),
        (ColorChoice::Always, Verbosity::Quiet, true)
    );
    assert_eq!(parse(&["--quiet"]).unwrap().verbosity, Verbosity::Quiet);
    assert_eq!(parse(&["-v"]).unwrap().verbosity, Verbosity::Verbose);
    let c = parse_env(
        &[],
        &[
            ("IPW_COLOR", "never"),
            ("IPW_VERBOSE", "1"),
            ("IPW_PROGRESS", "yes"),
        ],
    )
    .unwrap();
    assert_eq!(
        (c.color, c.verbosity, c.progress),
        (ColorChoice::Never, Verbosity::Verbose, true)
    );
    assert_eq!(
        parse_env(&["--color=auto"], &[("IPW_COLOR", "never")])
            .unwrap()
            .color,
        ColorChoice::Auto
    );
    let e = one_line_error(&["--color", "sometimes"], &[], "--color");
    assert!(e.contains("auto, always, never"), "{e}");
    one_line_error(&[], &[("IPW_COLOR", "blue")], "IPW_COLOR");
    one_line_error(&["-q", "-v"], &[], "--quiet");
    one_line_error(&["-v"], &[("IPW_QUIET", "1")], "--quiet");
    one_line_error(&["--progress=maybe"], &[], "--progress");
    // Looks only: the recorded configuration does not change.
    let record = |args: &[&str]| serde_json::to_string(&parse(args).unwrap()).unwrap();
    assert_eq!(
        record(&["-v", "--color", "always", "--progress"]),
        record(&[])
    );
}

#[test]
fn non_utf8_arguments_are_errors_naming_them() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let parse_os = |args: &[&[u8]]| {
        let args: Vec<OsString> = args
            .iter()
            .map(|a| OsString::from_vec(a.to_vec()))
            .collect();
        Config::parse(&args, &BTreeMap::new())
    };
    let e = parse_os(&[b"--bench", b"--output-dir", b"out\xff"])
        .unwrap_err()
        .0;
    assert!(
        e.starts_with("--output-dir: ") && e.contains("out\\xff"),
        "{e}"
    );
    let e = parse_os(&[b"--baseline=\xfe"]).unwrap_err().0;
    assert!(e.starts_with("--baseline: ") && e.contains("\\xfe"), "{e}");
    let e = parse_os(&[b"sort\xff"]).unwrap_err().0;
    assert!(e.starts_with("the argument \"sort\\xff\""), "{e}");
    assert!(parse_os(&[b"--list", "sort/é".as_bytes()]).is_ok());
}
