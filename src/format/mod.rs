//! The bundle format, version 1 (`spec/bundle-v1.md` §3–7 and §9): its
//! types, its canonical bytes and the rules one value or one entry must
//! meet. Nothing here reads a file system, a network or a clock, and
//! nothing here depends on the rest of the crate: packing, verifying and
//! archiving are built on it.

pub mod appendix;
pub mod canonical;
pub mod codes;
pub mod container;
pub mod custody;
pub mod digest;
pub mod finding;
pub mod manifest;
pub mod normalize;
pub mod paths;
pub mod readme_txt;
pub mod sign;
pub mod timestamp;
pub mod urls;
