//! One writer at a time per output folder: an advisory lock on `<output_dir>/.ipw.lock`
//! (flock), holding the id of the process that has it. The kernel releases it when the
//! process ends, however it ends, so a killed run never leaves the folder locked.

use fs4::{FileExt, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside the output folder.
pub const LOCK_FILE: &str = ".ipw.lock";

/// The held lock; dropping it releases the folder.
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

/// Why the lock cannot be taken; the folder is then unusable for writing.
#[derive(Debug, thiserror::Error)]
#[error("cannot lock {}: {source}", path.display())]
pub struct LockError {
    /// The lock file.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: std::io::Error,
}

/// Take the lock of `dir` (created if missing). When another process holds it, call
/// `waiting` with a description of that process (`process 1234`) and wait for it.
pub fn lock_output_dir(dir: &Path, waiting: impl FnOnce(&str)) -> Result<OutputLock, LockError> {
    let path = dir.join(LOCK_FILE);
    let error = |source| LockError {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(error)?;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(error)?;
    match FileExt::try_lock(&file) {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            waiting(&holder(&mut file));
            FileExt::lock(&file).map_err(error)?;
        }
        Err(TryLockError::Error(e)) => return Err(error(e)),
    }
    let pid = format!("{}\n", std::process::id());
    file.set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(pid.as_bytes()))
        .map_err(error)?;
    Ok(OutputLock { _file: file })
}

/// Who holds the lock, from the pid it wrote there.
fn holder(file: &mut std::fs::File) -> String {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    match text.trim().parse::<u32>() {
        Ok(pid) => format!("process {pid}"),
        Err(_) => "another process".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_writer_waits_for_the_first_and_is_told_who_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = lock_output_dir(dir.path(), |_| panic!("free")).expect("locked");
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).expect("read");
        assert_eq!(text.trim(), std::process::id().to_string());
        let (tx, rx) = mpsc::channel();
        let path = dir.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let lock = lock_output_dir(&path, |who| tx.send(who.to_string()).expect("sent"));
            lock.map(drop)
        });
        let who = rx.recv_timeout(Duration::from_secs(60)).expect("it waits");
        assert_eq!(who, format!("process {}", std::process::id()));
        drop(first);
        second.join().expect("no panic").expect("then locks");
    }

    #[test]
    fn a_folder_that_cannot_exist_is_an_error_naming_the_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("file");
        std::fs::write(&file, "x").expect("written");
        let e = lock_output_dir(&file.join("sub"), |_| {}).unwrap_err();
        assert!(e.to_string().contains(".ipw.lock"), "{e}");
    }
}
