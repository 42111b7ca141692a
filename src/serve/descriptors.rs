//! How many connections the process can hold: every connection is a file descriptor, and a
//! process out of descriptors cannot even accept the connection that would be answered. The
//! soft limit is raised to the hard one (as servers do: the usual soft limit of 1,024 is a
//! default for programs that never need many), and the connection cap is derived from it,
//! keeping a reserve for the index's files and the runtime.

use super::limits::{MAX_CONNECTIONS, RESERVED_DESCRIPTORS};

/// Raises the soft limit on open files to the hard limit, as far as the system allows, and
/// returns the soft limit in force afterwards (`None` when it cannot be read).
pub(super) fn raise_descriptor_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            // Refused when the hard limit is beyond what the kernel allows one process
            // (`fs.nr_open`, or `RLIM_INFINITY`): the soft limit then stays as it was.
            if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
                limit = raised;
            }
        }
        Some(limit.rlim_cur)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The most connections to hold open with `descriptors` file descriptors (unknown: `None`):
/// a quarter of them, and at least [`RESERVED_DESCRIPTORS`], stay for everything else; at most
/// [`MAX_CONNECTIONS`].
pub(super) fn connection_cap(descriptors: Option<u64>) -> usize {
    let Some(descriptors) = descriptors else {
        return MAX_CONNECTIONS;
    };
    let reserve = (descriptors / 4).max(RESERVED_DESCRIPTORS);
    let cap = descriptors
        .saturating_sub(reserve)
        .max(descriptors / 2)
        .max(1);
    usize::try_from(cap).map_or(MAX_CONNECTIONS, |cap| cap.min(MAX_CONNECTIONS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_descriptors_for_the_rest_of_the_server() {
        assert_eq!(connection_cap(Some(1024)), 768);
        assert_eq!(connection_cap(Some(256)), 192);
        assert_eq!(connection_cap(Some(100)), 50);
        assert_eq!(connection_cap(Some(1)), 1);
        assert_eq!(connection_cap(Some(1 << 20)), MAX_CONNECTIONS);
        assert_eq!(connection_cap(None), MAX_CONNECTIONS);
    }
}
