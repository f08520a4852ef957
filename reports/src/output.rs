//! Standard output and standard error of every `cargo ipw` command.
//!
//! A reader that stops early (`cargo ipw compare ... | head`) ends the command quietly;
//! any other failure to write (a full disk, `> /dev/full`) is an error the top level
//! reports with exit code 1. Commands render their whole output first and hand it here, so
//! nothing half-written is left when the data turn out to be bad.

use std::io::{self, Write};
use thiserror::Error;

/// Why standard output could not take what a command printed.
#[derive(Debug, Error)]
pub enum OutputError {
    /// The reader of standard output went away (`| head`): nothing to report.
    #[error("standard output was closed by its reader")]
    Closed,
    /// Any other write error.
    #[error("cannot write to standard output: {0}; check the disk or file it is sent to")]
    Write(#[source] io::Error),
}

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> Result<(), OutputError> {
    write_all(&mut io::stdout().lock(), text)
}

/// Writes `text` to `out` and flushes it, sorting the error into [`OutputError`].
pub fn write_all(out: &mut impl Write, text: &str) -> Result<(), OutputError> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                OutputError::Closed
            } else {
                OutputError::Write(e)
            }
        })
}

/// One line for the person at the terminal (where a file went, an error). When standard
/// error itself cannot take it there is nowhere left to say so, and the exit code still
/// tells.
pub fn note(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails every write with `kind`.
    struct Failing(io::ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_told_apart_from_other_errors() {
        let e = write_all(&mut Failing(io::ErrorKind::BrokenPipe), "x").unwrap_err();
        assert!(matches!(e, OutputError::Closed), "{e:?}");
        let e = write_all(&mut Failing(io::ErrorKind::StorageFull), "x").unwrap_err();
        assert!(matches!(e, OutputError::Write(_)), "{e:?}");
        assert!(e.to_string().contains("cannot write to standard output"));
        let mut v = Vec::new();
        write_all(&mut v, "hello\n").expect("a Vec takes it");
        assert_eq!(v, b"hello\n");
    }
}
