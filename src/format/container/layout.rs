//! The fixed values of the canonical layout (spec §3.2).

/// Local file header signature.
pub const LOCAL_SIG: u32 = 0x0403_4b50;
/// Central directory file header signature.
pub const CENTRAL_SIG: u32 = 0x0201_4b50;
/// End of central directory record signature.
pub const EOCD_SIG: u32 = 0x0605_4b50;
/// Length of a local header before the name.
pub const LOCAL_LEN: usize = 30;
/// Length of a central header before the name.
pub const CENTRAL_LEN: usize = 46;
/// Length of the end record (with an empty comment, as required).
pub const EOCD_LEN: usize = 22;

/// "Version made by": host 3 (Unix), specification 3.0, so that the
/// external attributes are read as a Unix mode.
pub const VERSION_MADE_BY: u16 = 0x031e;
/// "Version needed to extract": 1.0, all that STORED entries need.
pub const VERSION_NEEDED: u16 = 10;
/// General-purpose flags: only bit 11, "names are UTF-8".
pub const FLAGS: u16 = 0x0800;
/// Compression method 0, STORED.
pub const METHOD_STORED: u16 = 0;
/// MS-DOS time 00:00:00.
pub const DOS_TIME: u16 = 0;
/// MS-DOS date 1980-01-01, the earliest a ZIP can say.
pub const DOS_DATE: u16 = 0x0021;
/// Header id of the ZIP64 extended information extra field.
pub const ZIP64_EXTRA_ID: u16 = 0x0001;
/// ZIP64 end of central directory locator signature.
pub const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
/// Unix file-type bits of a mode.
pub const UNIX_TYPE_MASK: u32 = 0o170000;
/// Unix file type "regular file".
pub const UNIX_REGULAR: u32 = 0o100000;

/// External attributes: a regular file, mode 0644.
pub const EXTERNAL_ATTRS: u32 = 0o100644 << 16;

/// Caps on what a reader accepts (spec §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Most entries in one archive.
    pub max_entries: usize,
    /// Largest archive, in bytes. ZIP64 is not used, so this is below 4 GiB.
    pub max_archive_bytes: u64,
    /// Largest single entry, in bytes.
    pub max_entry_bytes: u64,
    /// Largest manifest.json.
    pub max_manifest_bytes: u64,
    /// Largest signature.json.
    pub max_signature_bytes: u64,
    /// Largest article text that the normalisation check reads into memory.
    pub max_text_bytes: u64,
    /// Deepest nesting of JSON arrays and objects in the manifest.
    pub max_json_depth: usize,
    /// Largest custody event or timestamp token (spec §6.4, §6.5).
    pub max_appendix_entry_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 10_000,
            max_archive_bytes: u32::MAX as u64,
            max_entry_bytes: u32::MAX as u64,
            max_manifest_bytes: 4 << 20,
            max_signature_bytes: 64 << 10,
            max_text_bytes: 64 << 20,
            max_json_depth: 16,
            max_appendix_entry_bytes: 64 << 10,
        }
    }
}

pub(crate) fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
