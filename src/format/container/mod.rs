//! The ZIP container in its one canonical layout (spec §3).
//!
//! provseal writes and reads ZIP itself rather than through a general ZIP
//! library: the format fixes every header byte, and the verifier must
//! refuse any archive that deviates from that layout, which a permissive
//! reader is built not to do.

pub mod entry;
mod headers;
pub mod layout;
mod local;
pub mod read;
pub mod write;

pub use entry::{EntryData, read_checked, read_entry, stream_entry};
pub use read::{Container, Entry, read_container};
pub use write::CanonicalZipWriter;
