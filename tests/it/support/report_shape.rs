//! The spec §10 JSON report, as structs that name every field §10 lists
//! and refuse any other (`deny_unknown_fields`): a field added, renamed or
//! dropped without the spec fails every test that reads a report through
//! them.
#![allow(dead_code)] // every field is deserialised, as the spec says; not all are asserted

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doc {
    pub provseal: String,
    pub version: u32,
    /// Absent with `--summary`.
    #[serde(default)]
    pub bundles: Vec<Bundle>,
    pub summary: Summary,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub unreadable: usize,
    pub with_warnings: usize,
    pub states: std::collections::BTreeMap<String, usize>,
    pub fail_on: String,
    pub bytes: u64,
    pub seconds: f64,
    pub skipped_files: usize,
    pub unreadable_dirs: Vec<serde_json::Value>,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub path: String,
    pub bundle_id: Option<String>,
    pub state: String,
    pub passed: bool,
    pub complete: bool,
    pub signer: Option<Signer>,
    pub findings: Vec<F>,
    pub manifest: Option<serde_json::Value>,
    pub custody: Vec<Event>,
    pub custody_head: Option<String>,
    pub timestamps: Vec<Stamp>,
    pub appendix: String,
    pub citation: Option<Citation>,
    /// With `--cite FORMAT`, for a bundle not cited.
    #[serde(default)]
    pub not_cited: Option<String>,
    /// `bundle`, in a `jsonl` record.
    #[serde(default)]
    pub record: Option<String>,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // every field is deserialised, as the spec says; not all are asserted
pub struct Event {
    pub entry: String,
    pub sequence: u64,
    pub digest: String,
    pub time: Option<String>,
    pub action: Option<String>,
    pub actor_key_id: Option<String>,
    pub actor_name: Option<String>,
    pub actor_trusted: Option<bool>,
    pub note: Option<String>,
    pub valid: bool,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Stamp {
    pub entry: String,
    pub subject: String,
    pub claimed_time: Option<String>,
    pub gen_time: Option<String>,
    pub tsa: Option<String>,
    pub serial: Option<String>,
    pub valid: bool,
    pub trusted: Option<bool>,
    #[serde(default)]
    pub path: Vec<String>,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    pub key_id: String,
    pub signature_valid: bool,
    pub trusted: Option<bool>,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct F {
    pub code: String,
    pub severity: String,
    pub step: u8,
    pub location: String,
    pub message: String,
}
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub text: String,
    pub csl_json: serde_json::Value,
    /// With `--cite FORMAT`: its name.
    #[serde(default)]
    pub format: Option<String>,
    /// With `--cite FORMAT`: the citation in it.
    #[serde(default)]
    pub formatted: Option<String>,
}
