//! The process's arguments and `IPW_*` variables as text: what is not UTF-8 is an error
//! naming it, an `IPW_*` variable that sets nothing is a warning naming the nearest one
//! that does, and every other variable is left alone.

use crate::setup::config::ConfigError;
use crate::setup::flags::{self, OTHER_SETTINGS};
use crate::setup::names::{escape_controls, escape_os};
use crate::setup::nearest::did_you_mean;
use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;

/// The `IPW_*` twins in `vars` as text, and a warning for each `IPW_*` variable that is
/// neither a twin nor another setting ipw-bench knows of.
pub(crate) fn environment(
    vars: impl IntoIterator<Item = (OsString, OsString)>,
) -> Result<(BTreeMap<String, String>, Vec<String>), ConfigError> {
    let mut twins = BTreeMap::new();
    let mut unknown = Vec::new();
    for (name, value) in vars {
        if !name.as_bytes().starts_with(b"IPW_") {
            continue;
        }
        match name.to_str() {
            Some(n) if flags::is_twin(n) => {
                let Some(v) = value.to_str() else {
                    return Err(ConfigError(format!(
                        "{n}: the value {} is not valid UTF-8; set it in UTF-8 or unset {n}",
                        escape_os(&value)
                    )));
                };
                twins.insert(n.to_string(), v.to_string());
            }
            // The parent of `--processes N` tells its children who they are.
            Some("IPW_WORKER") => {
                if let Some(v) = value.to_str() {
                    twins.insert("IPW_WORKER".to_string(), v.to_string());
                }
            }
            Some(n) if OTHER_SETTINGS.iter().any(|s| s.name == n) => {}
            _ => unknown.push(name),
        }
    }
    unknown.sort();
    let warnings = unknown.iter().map(|name| unknown_variable(name)).collect();
    Ok((twins, warnings))
}

fn unknown_variable(name: &OsStr) -> String {
    let (shown, nearest) = match name.to_str() {
        Some(n) if escape_controls(n) == n => {
            (n.to_string(), did_you_mean(n, flags::known_variables()))
        }
        _ => (escape_os(name), None),
    };
    match nearest {
        Some(known) => format!("{shown} is not an ipw-bench setting; did you mean {known}?"),
        None => {
            format!("{shown} is not an ipw-bench setting; run with --help for the IPW_* variables")
        }
    }
}

/// The error for an argument that is not UTF-8; `flag` is the flag it is the value of,
/// when it is one.
pub(crate) fn not_utf8(arg: &OsStr, flag: Option<&str>) -> ConfigError {
    let bytes = arg.as_bytes();
    // `--flag=VALUE` names its own flag.
    let inline = bytes
        .iter()
        .position(|&b| b == b'=')
        .and_then(|eq| std::str::from_utf8(&bytes[..eq]).ok())
        .filter(|name| name.starts_with("--") && flags::find(name).is_some());
    match flag.or(inline) {
        Some(flag) => ConfigError(format!(
            "{flag}: the value in {} is not valid UTF-8; give it in UTF-8",
            escape_os(arg)
        )),
        None => ConfigError(format!(
            "the argument {} is not valid UTF-8; flags and filters must be UTF-8",
            escape_os(arg)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStringExt;

    fn os(bytes: &[u8]) -> OsString {
        OsString::from_vec(bytes.to_vec())
    }

    fn vars(list: &[(&[u8], &[u8])]) -> Vec<(OsString, OsString)> {
        list.iter().map(|(k, v)| (os(k), os(v))).collect()
    }

    #[test]
    fn twins_are_read_and_unrelated_variables_ignored() {
        let (twins, warnings) = environment(vars(&[
            (b"IPW_SAMPLE_SIZE", b"7"),
            (b"X", b"\xff"),
            (b"\xfe", b"1"),
            (b"PATH", b"/bin"),
            (b"IPW_NVML_LIB", b"/lib/\xff.so"),
            (b"IPW_INSIDE_FRESH_CLONE", b"1"),
        ]))
        .unwrap();
        assert_eq!(twins.len(), 1);
        assert_eq!(twins["IPW_SAMPLE_SIZE"], "7");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_non_utf8_twin_is_an_error_naming_it() {
        let e = environment(vars(&[(b"IPW_OUTPUT_DIR", b"out\xff")])).unwrap_err();
        assert_eq!(
            e.0,
            "IPW_OUTPUT_DIR: the value \"out\\xff\" is not valid UTF-8; set it in UTF-8 or \
             unset IPW_OUTPUT_DIR"
        );
    }

    #[test]
    fn unknown_ipw_variables_warn_with_the_nearest_name() {
        let (_, warnings) = environment(vars(&[
            (b"IPW_SAMPLESIZE", b"20"),
            (b"IPW_HWMON_RO0T", b"/x"),
            (b"IPW_QQQQQQQQQQ", b"1"),
            (b"IPW_\xff", b"1"),
        ]))
        .unwrap();
        assert_eq!(
            warnings,
            [
                "IPW_HWMON_RO0T is not an ipw-bench setting; did you mean IPW_HWMON_ROOT?",
                "IPW_QQQQQQQQQQ is not an ipw-bench setting; run with --help \
                 for the IPW_* variables",
                "IPW_SAMPLESIZE is not an ipw-bench setting; did you mean IPW_SAMPLE_SIZE?",
                "\"IPW_\\xff\" is not an ipw-bench setting; run with --help for the IPW_* \
                 variables",
            ]
        );
    }

    #[test]
    fn non_utf8_arguments_name_their_flag() {
        assert_eq!(
            not_utf8(&os(b"--output-dir=\xff"), None).0,
            "--output-dir: the value in \"--output-dir=\\xff\" is not valid UTF-8; give it in UTF-8"
        );
        assert!(not_utf8(&os(b"\xff"), Some("--baseline"))
            .0
            .starts_with("--baseline: "));
        assert_eq!(
            not_utf8(&os(b"so\xffrt"), None).0,
            "the argument \"so\\xffrt\" is not valid UTF-8; flags and filters must be UTF-8"
        );
        assert!(not_utf8(&os(b"--nope=\xff"), None)
            .0
            .starts_with("the argument"));
    }
}
