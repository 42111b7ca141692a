//! Indexing at a lower CPU priority, so that searches (a `lantern serve` on the same index) and
//! whatever else the machine runs come first, while an otherwise idle CPU still goes to indexing.

use std::io::{self, Write};

/// Makes this thread, and every thread it starts from now on, at least `niceness` nice (0 to
/// 19); says so on stderr when the system refuses, and carries on. Linux keeps niceness per
/// thread and a new thread inherits its parent's, so this must run before the indexing threads
/// start. A process started nicer keeps its niceness.
pub(super) fn lower_cpu_priority(niceness: u8) {
    if let Err(err) = set_niceness_at_least(i32::from(niceness)) {
        let _ = writeln!(
            io::stderr(),
            "lantern: warning: cannot lower the CPU priority to niceness {niceness}: {err}"
        );
    }
}

#[cfg(unix)]
fn set_niceness_at_least(wanted: i32) -> io::Result<()> {
    // PRIO_PROCESS with id 0 names the caller and cannot fail; -1 is then a niceness, not an error.
    // SAFETY: plain system calls without pointers.
    let current = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    if current >= wanted {
        return Ok(());
    }
    // SAFETY: as above.
    if unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, wanted) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Elsewhere indexing keeps the priority it was started with.
#[cfg(not(unix))]
fn set_niceness_at_least(_wanted: i32) -> io::Result<()> {
    Ok(())
}
