//! `cargo ipw stats`'s CSV reader: any bytes give a table or an error, never a panic.
#![no_main]
use ipw_reports::stats_cmd::csv::{read_table, Selection};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sel = Selection {
        value: "value".to_string(),
        value_flag: "--value",
        group: Some("group".to_string()),
        labels: vec![("question".to_string(), "--pair")],
        binary: false,
    };
    if let Err(e) = read_table(data, "fuzz.csv", &sel) {
        let line = e.to_string();
        assert!(!line.contains('\n'), "a multi-line error: {line:?}");
    }
});
