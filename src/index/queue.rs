//! The queue between the walk and the reading threads.
//!
//! Bounded, so a tree of millions of new files cannot queue without limit, but unlike
//! `std::sync::mpsc::sync_channel` it does not allocate its whole capacity up front: the bound is
//! large (the walk should finish early, so the progress bar knows its total) and a no-op run
//! queues nothing.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};

/// A blocking, bounded, multi-consumer queue that can be closed.
pub(super) struct WorkQueue<T> {
    capacity: usize,
    state: Mutex<QueueState<T>>,
    not_empty: Condvar,
    not_full: Condvar,
}

struct QueueState<T> {
    items: VecDeque<T>,
    closed: bool,
    waiting_pushers: usize,
    waiting_poppers: usize,
}

impl<T> WorkQueue<T> {
    /// An empty queue holding at most `capacity` items.
    pub(super) fn new(capacity: usize) -> WorkQueue<T> {
        WorkQueue {
            capacity: capacity.max(1),
            state: Mutex::new(QueueState {
                items: VecDeque::new(),
                closed: false,
                waiting_pushers: 0,
                waiting_poppers: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// Adds `item`, waiting while the queue is full.
    pub(super) fn push(&self, item: T) {
        let mut state = self.lock();
        while state.items.len() >= self.capacity {
            state.waiting_pushers += 1;
            state = self.not_full.wait(state).unwrap_or_else(|e| e.into_inner());
            state.waiting_pushers -= 1;
        }
        state.items.push_back(item);
        // Waking only when someone waits spares a system call per item.
        if state.waiting_poppers > 0 {
            self.not_empty.notify_one();
        }
    }

    /// Takes the oldest item, waiting while the queue is empty; `None` once it is closed and
    /// drained.
    pub(super) fn pop(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            if let Some(item) = state.items.pop_front() {
                if state.waiting_pushers > 0 {
                    self.not_full.notify_one();
                }
                return Some(item);
            }
            if state.closed {
                return None;
            }
            state.waiting_poppers += 1;
            state = self
                .not_empty
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
            state.waiting_poppers -= 1;
        }
    }

    /// Tells the consumers no more items will come.
    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.not_empty.notify_all();
    }

    /// A guard that closes the queue when dropped, however the producer's work ends.
    pub(super) fn closer(&self) -> QueueCloser<'_, T> {
        QueueCloser { queue: self }
    }

    fn lock(&self) -> MutexGuard<'_, QueueState<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Closes its queue when dropped; see [`WorkQueue::closer`].
pub(super) struct QueueCloser<'q, T> {
    queue: &'q WorkQueue<T>,
}

impl<T> Drop for QueueCloser<'_, T> {
    fn drop(&mut self) {
        self.queue.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_come_out_in_order_and_close_ends_the_consumers() {
        let queue = WorkQueue::new(2);
        let consumed = std::thread::scope(|scope| {
            let consumer = scope.spawn(|| {
                let mut seen = Vec::new();
                while let Some(item) = queue.pop() {
                    seen.push(item);
                }
                seen
            });
            for item in 0..100 {
                queue.push(item);
            }
            queue.close();
            consumer.join().unwrap()
        });
        assert_eq!(consumed, (0..100).collect::<Vec<_>>());
    }
}
