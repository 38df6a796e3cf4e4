//! Files and folders only the learner's own account can read: progress holds names and
//! answers, and classroom machines are shared. On Unix, folders are created 0700 and
//! files 0600 (whatever the umask); elsewhere the platform's defaults apply (a Windows
//! profile folder is private to its user already).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// `fs::create_dir_all`, with every folder it creates private.
pub(crate) fn create_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Options for a file that, when created, is private.
pub(crate) fn options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// `File::create`, private.
pub(crate) fn create(path: &Path) -> io::Result<File> {
    options().write(true).create(true).truncate(true).open(path)
}
