//! One build at a time per output folder: an exclusive `flock` on the
//! folder that holds it, released when the build ends (or its process dies).

use std::fs::File;
use std::path::Path;

use crate::error::Error;

/// Held while a build writes beside an output folder; other builds into
/// a folder with the same parent wait for it.
#[derive(Debug)]
pub struct OutputLock(#[allow(dead_code)] File);

impl OutputLock {
    /// Waits for and takes the lock on `parent` (a folder).
    pub fn take(parent: &Path) -> Result<OutputLock, Error> {
        let dir = File::open(parent).map_err(|e| Error::io(parent, e))?;
        flock(&dir).map_err(|e| Error::io(parent, e))?;
        Ok(OutputLock(dir))
    }
}

#[cfg(unix)]
fn flock(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: `file` is an open descriptor for the duration of the call.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(not(unix))]
fn flock(_: &File) -> std::io::Result<()> {
    Ok(())
}
