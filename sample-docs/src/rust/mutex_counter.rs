//! Sharing a counter between threads with `Arc<Mutex<T>>`.
//!
//! A mutex (mutual exclusion lock) guarantees that only one thread at a
//! time can touch the data it protects. In Rust the data lives *inside*
//! the Mutex, so you cannot forget to take the lock before using it.

use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // The Arc gives shared ownership; the Mutex gives exclusive access.
    let counter = Arc::new(Mutex::new(0u64));
    let mut handles = Vec::new();

    for id in 0..8 {
        let counter = Arc::clone(&counter);
        handles.push(thread::spawn(move || {
            for _ in 0..1_000 {
                // lock() blocks until the mutex is free. It returns a guard;
                // the mutex is released when the guard goes out of scope.
                let mut guard = counter.lock().expect("mutex poisoned");
                *guard += 1;
            }
            println!("worker {id} finished");
        }));
    }

    for handle in handles {
        handle.join().unwrap();
    }

    // A poisoned mutex means another thread panicked while holding the lock.
    let total = *counter.lock().unwrap();
    println!("total = {total}");
    assert_eq!(total, 8_000);
}
