//! Collections of bundles: finding them in a folder or a bucket, checking
//! them all with bounded concurrency, keeping a catalog of what was held
//! and when it was last checked, and writing files so that a reader never
//! sees half of one.

pub mod atomic;
pub mod batch;
pub mod catalog;
pub mod remote;
pub mod storage;
