//! The index's translog durability during a large sync: `async` (the translog is fsynced every
//! few seconds in the background) instead of `request` (fsynced before each `_bulk` answer),
//! then back to the default and a `_flush` before the sync calls the index clean.
//!
//! On a disk other processes also write to, each fsync before a `_bulk` answer can take tenths
//! of a second, on each copy of each shard: a large sync spends much of its time waiting on
//! them. A write acknowledged but not yet fsynced is lost only if every copy of its shard
//! crashes within those seconds; Lantern's sync then finds it missing from the catalog and sends
//! it again, as long as the index is not called clean first: so the clean mark
//! (written by the `sync_state` module) comes only after the `_flush` that fsyncs everything, and a run
//! killed while durability was relaxed leaves a mark saying so, for the next run to restore.

use serde_json::{json, Value};

use super::client::Client;
use super::OpenSearchError;

/// The index setting.
const SETTING: &str = "index.translog.durability";

/// True when the index's durability is set to `async` by someone (an administrator's choice,
/// which Lantern then neither changes nor restores).
pub fn already_async(client: &Client) -> Result<bool, OpenSearchError> {
    let answer = client.json_partial("GET", &format!("/_settings/{SETTING}"), &json!({}))?;
    Ok(answer
        .as_object()
        .and_then(|indices| indices.values().next())
        .and_then(|index| index.pointer("/settings/index/translog/durability"))
        .and_then(Value::as_str)
        == Some("async"))
}

/// Sets the index's durability to `async`.
pub fn relax(client: &Client) -> Result<(), OpenSearchError> {
    client.json("PUT", "/_settings", &json!({ SETTING: "async" }))?;
    Ok(())
}

/// Sets the index's durability back to the default (`request`), then flushes: every write
/// acknowledged so far is on disk. Returns false when some shard copies could not flush (a
/// degraded cluster): then the index must not be called clean.
pub fn restore_and_flush(client: &Client) -> Result<bool, OpenSearchError> {
    client.json("PUT", "/_settings", &json!({ SETTING: Value::Null }))?;
    let answer = client.json_partial("POST", "/_flush", &json!({}))?;
    Ok(answer
        .pointer("/_shards/failed")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        == 0)
}
