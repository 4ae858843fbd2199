//! One event log for every change, and consumers that follow it.
//!
//! Every change writes one `event` row in the transaction that makes it (`record`): what
//! happened, to which thing, and the thing's version after it. Consumers (the search indexer
//! first; later the notifier, the dataset resolver and the dump writer) each keep a cursor of
//! their own in `event_consumer` and read on from it (`consumer`). A cursor shared by every
//! instance is leased to one at a time, so its events are handled once and in order; a consumer
//! whose state lives in one instance (an embedded index replica) takes a name of its own.
mod consumer;
mod kept;
mod log;
mod memo;
mod now;

pub use consumer::{Claim, Consumer, ConsumerOptions};
pub use kept::Kept;
pub use log::{after, newest, newest_record_change, pending_after, positions, record, Change, Detail, Entry, Subject};
pub use memo::Memo;
pub use now::Now;
