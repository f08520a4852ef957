//! Allocation-free reads of one integer from a sysfs attribute, shared by RAPL and hwmon.
//!
//! The file is opened once at discovery; each read is one `pread` at offset 0 into a stack
//! buffer and a hand-written decimal parse, so the sampler's hot path neither allocates nor
//! walks a path.

use super::SensorError;
use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

/// Longest attribute content we accept: a `u64` has 20 digits, plus sign and newline.
const BUF_LEN: usize = 32;

/// One open attribute file holding a decimal integer.
#[derive(Debug)]
pub(crate) struct Attr {
    file: File,
    path: PathBuf,
    last: Option<u64>,
}

/// Why an attribute could not be opened or read at discovery.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OpenError {
    PermissionDenied,
    Other(String),
}

impl Attr {
    /// Open `path` and read it once, so that a file that exists but cannot be read (EIO on
    /// a virtual machine without the MSR, EACCES) is caught before the run.
    pub(crate) fn open(path: &Path) -> Result<(Attr, u64), OpenError> {
        let file = File::open(path).map_err(|e| classify(path, &e))?;
        let mut attr = Attr {
            file,
            path: path.to_path_buf(),
            last: None,
        };
        match attr.read() {
            Ok(v) => Ok((attr, v)),
            Err(SensorError::PermissionDenied { .. }) => Err(OpenError::PermissionDenied),
            Err(e) => Err(OpenError::Other(e.to_string())),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Read the current value. `Gone` when the attribute was removed (sysfs answers
    /// ENODEV on a descriptor whose kobject went away).
    pub(crate) fn read(&mut self) -> Result<u64, SensorError> {
        let mut buf = [0u8; BUF_LEN];
        let n = match self.file.read_at(&mut buf, 0) {
            Ok(n) => n,
            Err(e) => return Err(self.read_error(&e)),
        };
        let value = match parse_u64(&buf[..n]) {
            Some(v) => v,
            None if n == 0 && self.removed() => return Err(self.gone()),
            None => {
                return Err(SensorError::Read(format!(
                    "{}: not a non-negative integer: {:?}",
                    self.path.display(),
                    String::from_utf8_lossy(&buf[..n])
                )))
            }
        };
        // A tree served from an ordinary filesystem (tests, a copied sysfs) keeps serving a
        // deleted file's last content through an open descriptor; a value that stopped
        // moving is the cheap moment to check whether the file is still linked.
        if self.last == Some(value) && self.removed() {
            return Err(self.gone());
        }
        self.last = Some(value);
        Ok(value)
    }

    fn removed(&self) -> bool {
        matches!(self.file.metadata(), Ok(m) if m.nlink() == 0)
    }

    fn gone(&self) -> SensorError {
        SensorError::Gone(format!("{} was removed", self.path.display()))
    }

    fn read_error(&self, e: &io::Error) -> SensorError {
        match e.raw_os_error() {
            Some(libc::ENODEV) | Some(libc::ENOENT) | Some(libc::ENXIO) => self.gone(),
            _ if e.kind() == io::ErrorKind::PermissionDenied => SensorError::PermissionDenied {
                what: self.path.display().to_string(),
                fix: String::new(),
            },
            _ => SensorError::Read(format!("{}: {e}", self.path.display())),
        }
    }
}

fn classify(path: &Path, e: &io::Error) -> OpenError {
    if e.kind() == io::ErrorKind::PermissionDenied {
        OpenError::PermissionDenied
    } else {
        OpenError::Other(format!("{}: {e}", path.display()))
    }
}

/// Parse the leading decimal digits of a sysfs value (`"12345\n"`). Anything after the
/// first newline is ignored; anything else that is not a digit makes the value invalid.
pub(crate) fn parse_u64(bytes: &[u8]) -> Option<u64> {
    let mut value: u64 = 0;
    let mut digits = 0;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
                digits += 1;
            }
            b'\n' | 0 => break,
            _ => return None,
        }
    }
    (digits > 0).then_some(value)
}

/// The trimmed content of a small text file (`name`, `label`), for discovery only.
pub(crate) fn read_text(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sysfs_integers() {
        assert_eq!(parse_u64(b"12345\n"), Some(12345));
        assert_eq!(parse_u64(b"0\n"), Some(0));
        assert_eq!(parse_u64(b"42"), Some(42));
        assert_eq!(parse_u64(b"12\n9999\n"), Some(12));
        assert_eq!(parse_u64(b"18446744073709551615\n"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616\n"), None);
        assert_eq!(parse_u64(b"-5\n"), None);
        assert_eq!(parse_u64(b"\n"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"12 34"), None);
    }

    #[test]
    fn a_deleted_file_is_gone_and_a_bad_one_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("energy_uj");
        std::fs::write(&path, "100\n").expect("write");
        let (mut attr, first) = Attr::open(&path).expect("open");
        assert_eq!(first, 100);
        std::fs::write(&path, "250\n").expect("write");
        assert_eq!(attr.read(), Ok(250));
        std::fs::write(&path, "garbage\n").expect("write");
        assert!(matches!(attr.read(), Err(SensorError::Read(_))));
        std::fs::write(&path, "250\n").expect("write");
        std::fs::remove_file(&path).expect("remove");
        assert!(matches!(attr.read(), Err(SensorError::Gone(_))));
        assert!(matches!(
            Attr::open(&dir.path().join("missing")),
            Err(OpenError::Other(_))
        ));
    }
}
