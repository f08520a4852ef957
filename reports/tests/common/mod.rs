//! Helpers shared by the end-to-end tests of `cargo ipw stats`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// `cargo ipw stats ARGS -` with `stdin` on standard input.
pub fn stats_on_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-ipw"))
        .arg("stats")
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cargo-ipw");
    // The binary may exit on a bad flag before it reads: a broken pipe is expected then,
    // and the exit status tells the rest.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait")
}
