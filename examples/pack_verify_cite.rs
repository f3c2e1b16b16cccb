//! The library API end to end: pack an article, verify the bundle, cite it.
//!
//! Run with `cargo run --example pack_verify_cite [ARTICLE]`; ARTICLE
//! defaults to examples/article.txt. The key is generated on the fly, so the
//! bundle id changes from run to run; nothing is written to disk.

use std::io::Cursor;

use chrono::{SubsecRound, Utc};
use provseal::cite::{self, CiteSource};
use provseal::format::manifest::CaptureMethod;
use provseal::format::sign::KeyPair;
use provseal::pack::{self, Overrides, PackRequest};
use provseal::verify::{self, VerifyOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/examples/article.txt").into());
    let input = std::fs::read(&path)?;

    // The library never reads the clock: the caller decides the capture time.
    let now = Utc::now().trunc_subsecs(0);
    let key = KeyPair::generate()?;
    let mut request = PackRequest::new(input, CaptureMethod::LocalFile, now);
    request.name_hint = Some(path.clone());
    request.overrides = Overrides {
        repost_urls: vec!["https://portal.example.net/news/view?id=991".into()],
        ..Overrides::default()
    };
    let packed = pack::pack(&request, Some(&key))?;
    println!(
        "packed {} bytes, bundle id {}",
        packed.bytes.len(),
        packed.bundle_id
    );

    let options = VerifyOptions::trusting(now, vec![key.verifying_key()]);
    let report = verify::verify_reader(
        &mut Cursor::new(&packed.bytes),
        packed.bytes.len() as u64,
        &options,
    )?;
    println!(
        "state: {} (passed: {})",
        report.state.as_str(),
        report.passed
    );
    for f in &report.findings {
        println!("  {} {}: {}", f.code, f.location, f.message);
    }

    let manifest = report.manifest.as_ref().ok_or("no manifest")?;
    let id = report.bundle_id.as_deref().ok_or("no bundle id")?;
    let source = CiteSource {
        manifest,
        bundle_id: id,
        archive: cite::DEFAULT_ARCHIVE,
        public_url: None,
        signer_name: None,
        full_evidence: false,
    };
    for format in [cite::Format::Chicago, cite::Format::Apa, cite::Format::Text] {
        print!("{}", cite::render(format, &source, cite::Markup::Plain));
    }
    print!(
        "{}",
        cite::render(cite::Format::Ris, &source, cite::Markup::Plain).replace("\r\n", "\n")
    );
    Ok(())
}
