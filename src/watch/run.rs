//! The watch loop: catch up, then wait on the OS's notifications and apply each burst of changes
//! as one incremental pass over the roots it touched.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::lease::Lease;
use super::os::{degraded_by, folder_id, is_change, unwatchable_file_system, FolderId};
use super::{Degraded, PassReport, WatchError, WatchObserver, WatchOptions};
use crate::engine::{Engine, EngineError};
use crate::index::{IndexOptions, IndexStats, Root};

/// However busy the file system stays, changes wait at most this many commit delays: a
/// never-ending stream of writes still reaches the index.
const MAX_WAIT_IN_DELAYS: u32 = 20;

/// How often a deleted root is looked for. A stat a second costs nothing; watching the folder
/// above it instead could clash with the watch of a root that holds that folder.
const GONE_CHECK: Duration = Duration::from_secs(1);

/// What wakes the watch loop.
enum Message {
    /// The OS reported a change, or that it could not watch something.
    Notified(notify::Result<Event>),
    /// Stop: Ctrl-C or SIGTERM.
    Stop,
}

/// A watch about to run, and the channel it waits on.
pub struct Watch {
    sender: Sender<Message>,
    receiver: Receiver<Message>,
}

/// Asks a running [`Watch`] to stop after the pass under way, from any thread (a signal
/// handler's, say).
#[derive(Clone, Debug)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    /// Asks the watch to stop; it finishes the pass under way, if any, and returns.
    pub fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

impl Default for Watch {
    fn default() -> Watch {
        Watch::new()
    }
}

impl Watch {
    /// A watch, not yet running.
    pub fn new() -> Watch {
        let (sender, receiver) = channel();
        Watch { sender, receiver }
    }

    /// A handle that stops the watch.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.sender.clone())
    }

    /// Keeps `engine` fresh for the folders `dirs` (none: every root of the
    /// index) until stopped: catches up with one incremental pass, then applies each burst of
    /// changes as one more. Only the pass under way holds the index's writer; the watcher file
    /// next to the index tells other commands that a watcher runs.
    pub fn run(
        self,
        engine: &dyn Engine,
        dirs: &[PathBuf],
        options: &WatchOptions,
        observer: &dyn WatchObserver,
    ) -> Result<(), WatchError> {
        let roots = engine
            .writable_roots(dirs, &options.index.walk)
            .map_err(WatchError::Engine)?;
        let paths: Vec<PathBuf> = roots.iter().map(|root| root.path.clone()).collect();
        let mut lease = Lease::acquire(engine.folder(), paths.clone())?;
        let mut state = State {
            engine,
            index_folder: engine
                .folder()
                .and_then(|folder| folder.canonicalize().ok()),
            roots,
            options,
            observer,
            pending: BTreeSet::new(),
            changes: 0,
            polled: BTreeSet::new(),
            overflow_reported: false,
            watcher: None,
            watched: vec![None; paths.len()],
            gone: BTreeSet::new(),
            removed: BTreeSet::new(),
        };
        // Watch before catching up: a change made during the catch-up is then seen too.
        state.start_watching(&self.sender);
        let all: BTreeSet<usize> = (0..state.roots.len()).collect();
        // The catch-up must succeed: a folder that cannot be indexed is the user's to fix.
        state
            .pass(&all, &mut lease, true)
            .map_err(WatchError::Engine)?;
        observer.watching(&paths, engine.count().map_err(WatchError::Engine)?);
        state.wait(&self.receiver, &mut lease);
        Ok(())
    }
}

/// The watch loop's state.
struct State<'a> {
    engine: &'a dyn Engine,
    /// The index folder, canonical, whose own changes (our commits) are not changes to apply.
    index_folder: Option<PathBuf>,
    roots: Vec<Root>,
    options: &'a WatchOptions,
    observer: &'a dyn WatchObserver,
    /// Roots with changes not yet applied, by position in `roots`.
    pending: BTreeSet<usize>,
    /// Changed paths reported since the last pass.
    changes: usize,
    /// Roots the OS cannot watch, passed over every poll interval.
    polled: BTreeSet<usize>,
    overflow_reported: bool,
    /// The OS's watcher, when it reports changes; dropping it ends the notifications.
    watcher: Option<notify::RecommendedWatcher>,
    /// For each root the OS watches, the folder watched: a root deleted and created again is
    /// another folder, which the old watch does not see.
    watched: Vec<Option<FolderId>>,
    /// Roots that no longer exist, looked for every [`GONE_CHECK`] until they come back.
    gone: BTreeSet<usize>,
    /// Roots whose folder itself was reported removed: whatever stands at their path now is
    /// watched anew before their next pass, even when it got the old folder's inode number
    /// back (file systems reuse them at once).
    removed: BTreeSet<usize>,
}

impl State<'_> {
    /// Asks the OS to report changes under every root; roots it cannot watch are polled.
    fn start_watching(&mut self, sender: &Sender<Message>) {
        let every = self.options.poll_interval;
        if self.options.poll_only {
            self.polled = (0..self.roots.len()).collect();
            return;
        }
        let events = sender.clone();
        let watcher = notify::recommended_watcher(move |event| {
            let _ = events.send(Message::Notified(event));
        });
        match watcher {
            Ok(watcher) => self.watcher = Some(watcher),
            Err(err) => {
                self.observer.degraded(&Degraded::Unavailable {
                    root: None,
                    reason: err.to_string(),
                    every,
                });
                self.polled = (0..self.roots.len()).collect();
                return;
            }
        }
        for at in 0..self.roots.len() {
            self.arm(at);
        }
    }

    /// Asks the OS to report changes under root `at`, again when the root is a new folder
    /// (deleted and created again); a root the OS cannot watch is polled instead.
    fn arm(&mut self, at: usize) {
        let every = self.options.poll_interval;
        let root = self.roots[at].path.clone();
        if self.polled.contains(&at) {
            return;
        }
        if let Some(reason) = unwatchable_file_system(&root) {
            self.degrade(
                at,
                Degraded::Unavailable {
                    root: Some(root),
                    reason,
                    every,
                },
            );
            return;
        }
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        // The watch of a deleted folder may linger in the watcher, seeing nothing; a root
        // never watched has none, which is no error.
        let _no_old_watch = watcher.unwatch(&root);
        match watcher.watch(&root, RecursiveMode::Recursive) {
            Ok(()) => self.watched[at] = folder_id(&root),
            Err(err) => {
                self.watched[at] = None;
                let problem = degraded_by(&err, root, every);
                self.degrade(at, problem);
            }
        }
    }

    /// The deleted roots that exist again, watched again from now on.
    fn returned(&mut self) -> BTreeSet<usize> {
        let back: BTreeSet<usize> = self
            .gone
            .iter()
            .copied()
            .filter(|&at| self.roots[at].path.is_dir())
            .collect();
        for &at in &back {
            self.gone.remove(&at);
            self.arm(at);
            self.observer.root_returned(&self.roots[at].path);
        }
        back
    }

    /// Polls root `at` from now on, and says why, once.
    fn degrade(&mut self, at: usize, problem: Degraded) {
        if self.polled.insert(at) {
            self.observer.degraded(&problem);
        }
    }

    /// Waits for changes and applies them, until stopped. Blocks while nothing changes (and no
    /// root is polled): an idle watch costs no CPU.
    fn wait(&mut self, receiver: &Receiver<Message>, lease: &mut Lease) {
        let delay = self.options.commit_delay;
        let mut burst: Option<(Instant, Instant)> = None;
        let mut next_poll = Instant::now() + self.options.poll_interval;
        let mut next_gone_check = Instant::now() + GONE_CHECK;
        loop {
            let burst_due =
                burst.map(|(first, last)| (last + delay).min(first + delay * MAX_WAIT_IN_DELAYS));
            let poll_due = (!self.polled.is_empty()).then_some(next_poll);
            let gone_due = (!self.gone.is_empty()).then_some(next_gone_check);
            let due = [burst_due, poll_due, gone_due].into_iter().flatten().min();
            let message = match due {
                None => receiver.recv().ok(),
                Some(due) => {
                    match receiver.recv_timeout(due.saturating_duration_since(Instant::now())) {
                        Ok(message) => Some(message),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            };
            match message {
                Some(Message::Stop) => return,
                Some(Message::Notified(notified)) => {
                    let had_changes = !self.pending.is_empty();
                    self.note(notified);
                    if !self.pending.is_empty() {
                        let now = Instant::now();
                        burst = Some((burst.map_or(now, |(first, _)| first), now));
                        if !had_changes {
                            // A courtesy to `lantern status`, like `Lease::applied` below.
                            let _ = lease.pending(self.changes);
                        }
                    }
                }
                None => {
                    let now = Instant::now();
                    let mut roots = BTreeSet::new();
                    if burst_due.is_some_and(|due| due <= now) {
                        roots.append(&mut self.pending);
                        burst = None;
                    }
                    if poll_due.is_some_and(|due| due <= now) {
                        roots.extend(self.polled.iter().copied());
                        next_poll = now + self.options.poll_interval;
                    }
                    if gone_due.is_some_and(|due| due <= now) {
                        roots.append(&mut self.returned());
                    }
                    if gone_due.is_none_or(|due| due <= now) {
                        next_gone_check = now + GONE_CHECK;
                    }
                    if !roots.is_empty() {
                        // A failed pass is reported; the next change or poll tries again.
                        let _ = self.pass(&roots, lease, false);
                    }
                }
            }
        }
    }

    /// Takes note of what the OS reported: which roots changed, or that it could not watch.
    fn note(&mut self, notified: notify::Result<Event>) {
        let every = self.options.poll_interval;
        match notified {
            Ok(event) if event.need_rescan() => {
                if !self.overflow_reported {
                    self.overflow_reported = true;
                    self.observer.degraded(&Degraded::Overflow);
                }
                self.pending.extend(0..self.roots.len());
            }
            Ok(event) if is_change(&event.kind) => {
                for path in &event.paths {
                    if self
                        .index_folder
                        .as_ref()
                        .is_some_and(|folder| path.starts_with(folder))
                    {
                        continue;
                    }
                    self.pending.extend(
                        (0..self.roots.len()).filter(|&at| path.starts_with(&self.roots[at].path)),
                    );
                    if matches!(event.kind, EventKind::Remove(_)) {
                        self.removed.extend(
                            (0..self.roots.len()).filter(|&at| *path == self.roots[at].path),
                        );
                    }
                    self.changes += 1;
                }
            }
            Ok(_) => {}
            Err(err) => {
                // Which root is concerned is known when the error names a path under one.
                let concerned: Vec<usize> = (0..self.roots.len())
                    .filter(|&at| {
                        err.paths.is_empty()
                            || err
                                .paths
                                .iter()
                                .any(|path| path.starts_with(&self.roots[at].path))
                    })
                    .collect();
                for at in concerned {
                    let problem = degraded_by(&err, self.roots[at].path.clone(), every);
                    self.degrade(at, problem);
                    self.pending.insert(at);
                }
            }
        }
    }

    /// One incremental pass over the roots `which`, each with its own rules, then a report. A
    /// root that fails is reported, except in the `catch_up` pass, which it ends with its error
    /// (and which [`WatchObserver::watching`] reports instead). A root that no longer exists
    /// is reported once and looked for until it comes back; one that is another folder than
    /// the one watched (deleted and created again) is watched anew first.
    fn pass(
        &mut self,
        which: &BTreeSet<usize>,
        lease: &mut Lease,
        catch_up: bool,
    ) -> Result<(), EngineError> {
        let changes = std::mem::take(&mut self.changes);
        let mut stats = IndexStats::default();
        let mut passed = Vec::new();
        for &at in which {
            if !catch_up {
                let path = &self.roots[at].path;
                if !path.is_dir() {
                    if self.gone.insert(at) {
                        self.observer.root_gone(path);
                    }
                    continue;
                }
                let replaced = self.removed.remove(&at)
                    || (self.watched[at].is_some() && folder_id(path) != self.watched[at]);
                if replaced {
                    self.arm(at);
                }
            }
            let root = &self.roots[at];
            let options = IndexOptions {
                walk: root.rules.clone(),
                ..self.options.index.clone()
            };
            match self
                .engine
                .sync(std::slice::from_ref(&root.path), &options, self.observer)
            {
                Ok(run) => {
                    add_stats(&mut stats, &run);
                    passed.push(root.path.clone());
                }
                Err(err) if catch_up => return Err(err),
                Err(err) => self.observer.pass_failed(&root.path, &err),
            }
        }
        if catch_up {
            return Ok(());
        }
        if passed.is_empty() {
            // What could not be applied waits for the next change (or the root's return),
            // not in the count of pending changes.
            let _ = lease.pending(self.changes);
            return Ok(());
        }
        // The watcher file is a courtesy to other commands; failing to update it is no reason
        // to stop keeping the index fresh.
        let _ = lease.applied();
        // A count that fails is reported against the roots just passed (their first).
        let first = passed.first().cloned().unwrap_or_default();
        match self.engine.count() {
            Ok(documents) => self.observer.applied(&PassReport {
                roots: passed,
                changes,
                stats,
                documents,
                at: SystemTime::now(),
            }),
            Err(err) => self.observer.pass_failed(&first, &err),
        }
        Ok(())
    }
}

/// Adds what one run did to a pass's total.
fn add_stats(total: &mut IndexStats, run: &IndexStats) {
    total.added += run.added;
    total.updated += run.updated;
    total.removed += run.removed;
    total.unchanged += run.unchanged;
    total.binary += run.binary;
    total.too_large += run.too_large;
    total.unreadable += run.unreadable;
    total.lossy += run.lossy;
    total.truncated += run.truncated;
    total.bytes += run.bytes;
    total.members += run.members;
    total.containers += run.containers;
    total.elapsed += run.elapsed;
}
