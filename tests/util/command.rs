//! Running the `lantern` binary: a command line being built, and what it did.

use std::ffi::OsStr;
use std::process::{Child, Command, Stdio};

use super::{running_as_root, NOBODY};

/// How long one command may run before a test calls it hung.
pub const HANG_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// A `lantern` command line being built.
pub struct TestCommand {
    cmd: Command,
}

impl TestCommand {
    /// Wraps `cmd`, a `lantern` command line; see [`super::Dir::lantern`].
    pub(super) fn new(cmd: Command) -> TestCommand {
        TestCommand { cmd }
    }

    /// Sets an environment variable.
    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> TestCommand {
        self.cmd.env(name, value);
        self
    }

    /// Runs the command as the unprivileged user `nobody` when the tests run as root (as in
    /// CI), so that file permissions apply to it; see [`Dir::open_to_everyone`].
    pub fn unprivileged(mut self) -> TestCommand {
        if running_as_root() {
            use std::os::unix::process::CommandExt;
            self.cmd.uid(NOBODY).gid(NOBODY);
        }
        self
    }

    /// Runs the command with at most `limit` open files (its soft and hard RLIMIT_NOFILE), as
    /// under `ulimit -n LIMIT`.
    pub fn descriptor_limit(self, limit: u64) -> TestCommand {
        self.resource_limit(libc::RLIMIT_NOFILE, limit)
    }

    /// Caps the address space of the command at `bytes` (`setrlimit(RLIMIT_AS)`), with glibc
    /// kept to two malloc arenas (each reserves 64 MB of address space it may never use): a
    /// command that needs more memory fails to allocate and aborts, instead of taking the
    /// machine's memory.
    pub fn memory_limit(mut self, bytes: u64) -> TestCommand {
        self.cmd.env("MALLOC_ARENA_MAX", "2");
        self.resource_limit(libc::RLIMIT_AS, bytes)
    }

    /// Runs the command with `resource` limited to `value` (soft and hard limit alike).
    fn resource_limit(mut self, resource: libc::__rlimit_resource_t, value: u64) -> TestCommand {
        use std::os::unix::process::CommandExt;
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: `setrlimit` is async-signal-safe and touches nothing but the child's limit.
        unsafe {
            self.cmd.pre_exec(move || {
                if libc::setrlimit(resource, &limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        self
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> TestCommand {
        self.cmd.arg(arg);
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> TestCommand
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd.args(args);
        self
    }

    /// Runs the command to the end. Whatever the outcome, it must not have panicked.
    pub fn run(mut self) -> Output {
        let description = format!("{:?}", self.cmd);
        let mut child = self
            .cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run lantern");
        let read = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).expect("read the output");
                String::from_utf8(bytes).expect("output is UTF-8")
            })
        };
        let stdout = read(Box::new(child.stdout.take().expect("stdout")));
        let stderr = read(Box::new(child.stderr.take().expect("stderr")));
        // A hang is a failure, not a test that never ends.
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for lantern") {
                break status;
            }
            if started.elapsed() > HANG_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{description} hung: still running after {HANG_LIMIT:?}");
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        let output = Output {
            code: status.code(),
            signal: std::os::unix::process::ExitStatusExt::signal(&status),
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
        };
        assert!(
            !output.stderr.contains("panicked"),
            "lantern panicked:\n{output}"
        );
        output
    }

    /// Runs the command, which must exit 0.
    pub fn assert_success(self) -> Output {
        self.assert_exit(0)
    }

    /// Runs the command, which must exit with `code`.
    pub fn assert_exit(self, code: i32) -> Output {
        let description = format!("{:?}", self.cmd);
        let output = self.run();
        assert_eq!(
            output.code,
            Some(code),
            "unexpected exit status of {description}\n{output}"
        );
        output
    }

    /// Starts the command in the background, its output discarded.
    pub fn spawn(mut self) -> Child {
        self.cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start lantern")
    }

    /// Starts the command in the background with its stdin and stdout piped, for a test that
    /// talks to it (`lantern mcp`); its stderr is discarded.
    pub fn spawn_conversation(mut self) -> Child {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start lantern")
    }

    /// Starts the command in the background with its stdout and stderr piped, for a test that
    /// reads (or stops reading) them itself.
    pub fn spawn_piped(mut self) -> Child {
        self.cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lantern")
    }
}

/// What a finished command did.
#[derive(Debug)]
pub struct Output {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}, signal: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.signal, self.stdout, self.stderr
        )
    }
}
