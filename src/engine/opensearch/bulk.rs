//! `_bulk` requests sent while the next batch is being read: a bounded queue between the thread
//! that reads and extracts files and [`IN_FLIGHT`] threads that send batches, so the cluster
//! indexes one batch while Lantern prepares the next instead of each waiting for the other.
//!
//! The queue holds at most one full batch waiting, so memory stays bounded (a few batches of at
//! most [`BULK_BYTES`]) however far ahead reading could run. The first failure of a sender stops
//! the queue: the reader's next push returns [`Stopped`] and the sender's error is reported.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;

use super::client::{error_reason, Client};
use super::OpenSearchError;

/// Operations per `_bulk` request, at most.
const BULK_OPERATIONS: usize = 500;
/// Bytes per `_bulk` request, roughly at most (one large document may exceed it alone).
const BULK_BYTES: usize = 8 << 20;
/// `_bulk` requests sent at the same time. Two keep both nodes of a small cluster busy while the
/// reader fills the next batch; more only queue up inside the cluster's write thread pool.
const IN_FLIGHT: usize = 2;
/// Batches waiting for a free sender, beyond those being sent.
const WAITING: usize = 1;
/// How many times operations the cluster was too busy for (429, 503 per item) are sent in all.
const ITEM_ATTEMPTS: u32 = 8;
/// The first pause before those are sent again; it doubles each time.
const ITEM_BACKOFF: Duration = Duration::from_millis(200);

/// The senders stopped after a failure; [`send_pipelined`] returns that failure.
#[derive(Debug)]
pub struct Stopped;

/// A push into a stopped queue, as an error of the function pushing; [`send_pipelined`] returns
/// the sender's own error in its place, so this one only shows if that rule is broken.
impl From<Stopped> for OpenSearchError {
    fn from(_: Stopped) -> OpenSearchError {
        OpenSearchError::BadAnswer {
            request: "POST /_bulk".to_string(),
            reason: "the requests stopped after a failure".to_string(),
        }
    }
}

/// `_bulk` operations being gathered into one request: each its action line and, for an index,
/// its source line.
#[derive(Default)]
struct Batch {
    operations: Vec<Vec<String>>,
    bytes: usize,
}

impl Batch {
    fn is_full(&self) -> bool {
        self.operations.len() >= BULK_OPERATIONS || self.bytes >= BULK_BYTES
    }
}

/// The reader's end of the pipeline: operations pushed here are sent in batches.
pub struct BulkQueue {
    batch: Batch,
    queue: SyncSender<Batch>,
}

impl BulkQueue {
    /// Adds one operation (nothing for no lines); hands the batch to the senders once it is full.
    pub fn push(&mut self, lines: Vec<String>) -> Result<(), Stopped> {
        if lines.is_empty() {
            return Ok(());
        }
        self.batch.bytes += lines.iter().map(|line| line.len() + 1).sum::<usize>();
        self.batch.operations.push(lines);
        if self.batch.is_full() {
            self.flush()?;
        }
        Ok(())
    }

    /// Hands the operations gathered so far to the senders.
    fn flush(&mut self) -> Result<(), Stopped> {
        let batch = std::mem::take(&mut self.batch);
        if batch.operations.is_empty() {
            return Ok(());
        }
        self.queue.send(batch).map_err(|_| Stopped)
    }
}

/// Runs `produce` with a [`BulkQueue`] whose batches are sent by [`IN_FLIGHT`] threads while it
/// runs; returns once every operation pushed was sent. A sender's error wins over `produce`'s
/// result (which is then usually [`Stopped`], mapped by `produce` into its own error).
pub fn send_pipelined<T>(
    client: &Client,
    produce: impl FnOnce(&mut BulkQueue) -> Result<T, OpenSearchError>,
) -> Result<T, OpenSearchError> {
    let (queue, batches) = sync_channel::<Batch>(WAITING);
    let batches = Mutex::new(Some(batches));
    std::thread::scope(|scope| {
        let senders: Vec<_> = (0..IN_FLIGHT)
            .map(|_| scope.spawn(|| send_all(client, &batches)))
            .collect();
        let mut queue = BulkQueue {
            batch: Batch::default(),
            queue,
        };
        let produced = produce(&mut queue);
        if produced.is_ok() {
            // A failed last send is the senders' error, collected below.
            let _stopped = queue.flush();
        }
        // Closing the queue ends the senders once it is drained.
        drop(queue);
        let mut failure = None;
        for sender in senders {
            let outcome = match sender.join() {
                Ok(outcome) => outcome,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            if let Err(err) = outcome {
                failure.get_or_insert(err);
            }
        }
        match failure {
            Some(err) => Err(err),
            None => produced,
        }
    })
}

/// One sender: takes batches off the queue until it is closed. On a failure it closes the queue
/// (drops its receiving end), so the reader's next push fails instead of waiting for ever, and
/// the other sender stops after the batch it holds.
fn send_all(
    client: &Client,
    batches: &Mutex<Option<Receiver<Batch>>>,
) -> Result<(), OpenSearchError> {
    loop {
        let next = {
            let receiver = batches.lock().unwrap_or_else(PoisonError::into_inner);
            match receiver.as_ref() {
                Some(receiver) => receiver.recv().ok(),
                None => None,
            }
        };
        let Some(batch) = next else {
            return Ok(());
        };
        if let Err(err) = send_batch(client, batch.operations) {
            batches
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            return Err(err);
        }
    }
}

/// Sends one batch; operations the cluster was too busy for (429, 503) are sent again, with
/// back-off; a version conflict means a newer text is there already, which is what external
/// versions are for, and a delete of a missing document has nothing to do.
fn send_batch(client: &Client, operations: Vec<Vec<String>>) -> Result<(), OpenSearchError> {
    let mut pending = operations;
    let mut pause = ITEM_BACKOFF;
    for _ in 0..ITEM_ATTEMPTS {
        if pending.is_empty() {
            return Ok(());
        }
        let mut body = String::with_capacity(
            pending
                .iter()
                .flatten()
                .map(|line| line.len() + 1)
                .sum::<usize>(),
        );
        for line in pending.iter().flatten() {
            body.push_str(line);
            body.push('\n');
        }
        let (status, answer) =
            client.send("POST", "/_bulk", Some(&body), "application/x-ndjson")?;
        if status == 404 {
            return Err(client.not_found(answer));
        }
        let items = answer["items"].as_array().cloned().unwrap_or_default();
        if items.len() != pending.len() {
            return Err(OpenSearchError::BadAnswer {
                request: "POST /_bulk".to_string(),
                reason: format!("{} results for {} operations", items.len(), pending.len()),
            });
        }
        let mut again = Vec::new();
        let mut rejected: Vec<(String, String)> = Vec::new();
        for (item, operation) in items.iter().zip(pending) {
            let result = item
                .as_object()
                .and_then(|item| item.values().next())
                .cloned()
                .unwrap_or(Value::Null);
            let status = result["status"].as_u64().unwrap_or(0);
            match status {
                200..=299 | 404 | 409 => {}
                429 | 503 => again.push(operation),
                _ => rejected.push((source_path(&operation), error_reason(&result))),
            }
        }
        if let Some((path, reason)) = rejected.first() {
            return Err(OpenSearchError::Rejected {
                count: rejected.len(),
                path: path.clone(),
                reason: reason.clone(),
            });
        }
        if !again.is_empty() {
            std::thread::sleep(pause);
            pause *= 2;
        }
        pending = again;
    }
    if pending.is_empty() {
        return Ok(());
    }
    Err(OpenSearchError::Refused {
        request: "POST /_bulk".to_string(),
        status: 429,
        reason: format!(
            "the cluster stayed too busy for {} operation(s)",
            pending.len()
        ),
    })
}

/// The path of an operation, for a message: from its source line, or its id for a delete.
fn source_path(operation: &[String]) -> String {
    operation
        .get(1)
        .and_then(|source| serde_json::from_str::<Value>(source).ok())
        .and_then(|source| source["path"].as_str().map(str::to_string))
        .or_else(|| operation.first().cloned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::engine::opensearch::Target;

    /// A server answering every `_bulk` request with `items` (one per operation of the request)
    /// in the given `item_status`, counting the requests it answered.
    fn fake_cluster(item_status: u16) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/docs", listener.local_addr().expect("addr"));
        let answered = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&answered);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || answer(stream, item_status, &counter));
            }
        });
        (url, answered)
    }

    /// Answers the requests of one kept-alive connection.
    fn answer(stream: std::net::TcpStream, item_status: u16, answered: &AtomicUsize) {
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut writer = stream;
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let operations = body
                .split(|byte| *byte == b'\n')
                .filter(|line| line.starts_with(b"{\"delete\""))
                .count();
            let item = format!(r#"{{"delete":{{"status":{item_status}}}}}"#);
            let items = vec![item; operations].join(",");
            let json = format!(r#"{{"errors":true,"items":[{items}]}}"#);
            answered.fetch_add(1, Ordering::SeqCst);
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
                json.len()
            );
            if writer.write_all(response.as_bytes()).is_err() {
                return;
            }
        }
    }

    fn deletes(client: &Client, count: usize) -> Result<usize, OpenSearchError> {
        send_pipelined(client, |queue| {
            for i in 0..count {
                queue.push(vec![format!(r#"{{"delete":{{"_id":"{i}"}}}}"#)])?;
            }
            Ok(count)
        })
    }

    #[test]
    fn every_operation_is_sent_in_bounded_batches() {
        let (url, answered) = fake_cluster(200);
        let client = Client::new(&Target::parse(&url).expect("url")).expect("client");
        assert_eq!(deletes(&client, 1234).expect("sent"), 1234);
        assert_eq!(
            answered.load(Ordering::SeqCst),
            1234_usize.div_ceil(BULK_OPERATIONS)
        );
    }

    #[test]
    fn a_refused_batch_stops_the_reader_with_the_cluster_s_reason() {
        let (url, answered) = fake_cluster(400);
        let client = Client::new(&Target::parse(&url).expect("url")).expect("client");
        let err = deletes(&client, 100 * BULK_OPERATIONS).expect_err("refused");
        assert!(
            matches!(err, OpenSearchError::Rejected { count, .. } if count == BULK_OPERATIONS),
            "{err}"
        );
        // The reader stopped soon after: a few batches, not a hundred.
        assert!(answered.load(Ordering::SeqCst) <= IN_FLIGHT + WAITING + 1);
    }
}
