//! Temporary files left by killed writers (`.results.json.PID.tmp`, `.report.PID.tmp`):
//! found by name, and removed once the process that made them is gone.

use std::path::{Path, PathBuf};

/// The process id in a temporary file's name, `.NAME.PID.tmp`.
fn temp_owner(file_name: &str) -> Option<u32> {
    let inner = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (name, pid) = inner.rsplit_once('.')?;
    if name.is_empty() {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process with this id exists (one we may not signal still does).
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Remove the temporary files and folders in `dir` whose writer has exited; returns what
/// was removed. A missing or unreadable `dir` has none.
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let me = std::process::id();
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else {
            continue;
        };
        if pid == me || alive(pid) {
            continue;
        }
        let path = e.path();
        let gone = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
        if gone.is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_temporary_files_give_their_writer() {
        assert_eq!(temp_owner(".results.json.123.tmp"), Some(123));
        assert_eq!(temp_owner(".report.9.tmp"), Some(9));
        assert_eq!(temp_owner("results.json"), None);
        assert_eq!(temp_owner(".results.json.x.tmp"), None);
        assert_eq!(temp_owner("..7.tmp"), None);
    }

    #[test]
    fn only_the_files_of_exited_writers_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        // A pid above the kernel's limit (4,194,304) never runs.
        let dead = dir.path().join(".results.json.4194305.tmp");
        let dead_dir = dir.path().join(".report.4194306.tmp");
        let mine = dir
            .path()
            .join(format!(".results.json.{}.tmp", std::process::id()));
        let kept = dir.path().join("results.json");
        for f in [&dead, &mine, &kept] {
            std::fs::write(f, "x").expect("written");
        }
        std::fs::create_dir(&dead_dir).expect("made");
        std::fs::write(dead_dir.join("index.html"), "x").expect("written");
        let mut removed = remove_stale_temps(dir.path());
        removed.sort();
        assert_eq!(removed, [dead_dir.clone(), dead.clone()]);
        assert!(mine.exists() && kept.exists() && !dead.exists() && !dead_dir.exists());
        assert!(remove_stale_temps(&dir.path().join("missing")).is_empty());
    }
}
