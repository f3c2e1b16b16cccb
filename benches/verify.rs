//! Criterion micro-benchmarks of the verifier's hot paths: verifying a
//! typical bundle (about 8 KB of text in about 60 KB of HTML) from memory,
//! SHA-256 over large buffers, and packing a text article. The archive-scale
//! figures, with OpenSSL, sha256sum and bagit.py measured in the same run,
//! come from `cargo run --release --example bench`.
//!
//! `cargo bench --bench verify`

use std::hint::black_box;
use std::io::Cursor;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use provseal::format::digest::{Sha256Digest, hash_reader};
use provseal::format::manifest::CaptureMethod;
use provseal::format::sign::KeyPair;
use provseal::pack::{self, Overrides, PackRequest};
use provseal::verify::{VerifyOptions, verify_reader};

fn typical_page() -> Vec<u8> {
    let para = "<p>Relatives of the missing crew said officials visited them three times in one week, asking whom the men had telephoned before they left the harbour.</p>";
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report | Example Coast News</title></head><body><article><h1>Report</h1>",
    );
    while html.len() < 8 * 1024 {
        html.push_str(para);
    }
    html.push_str("</article><aside>");
    while html.len() < 60 * 1024 {
        html.push_str("<a href=\"/related\">Related story about the coast</a> ");
    }
    html.push_str("</aside></body></html>");
    html.into_bytes()
}

fn request(input: Vec<u8>, name: &str) -> PackRequest {
    let captured_at = Utc.with_ymd_and_hms(2024, 3, 15, 8, 30, 0).unwrap();
    let mut req = PackRequest::new(input, CaptureMethod::LocalFile, captured_at);
    req.name_hint = Some(name.into());
    req.overrides = Overrides {
        original_url: Some("https://news.example.org/1".into()),
        ..Overrides::default()
    };
    req
}

fn benches(c: &mut Criterion) {
    let key = KeyPair::from_seed(&[1u8; 32]);
    let bundle = pack::pack(&request(typical_page(), "page.html"), Some(&key))
        .unwrap()
        .bytes;
    let opts = VerifyOptions::trusting(
        Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap(),
        vec![key.verifying_key()],
    );

    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Bytes(bundle.len() as u64));
    g.bench_function("typical bundle from memory", |b| {
        b.iter(|| {
            let r =
                verify_reader(&mut Cursor::new(&bundle[..]), bundle.len() as u64, &opts).unwrap();
            assert!(r.passed);
            black_box(r)
        })
    });
    g.finish();

    let big = vec![0x5au8; 16 << 20];
    let mut g = c.benchmark_group("sha256");
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("16 MiB slice", |b| {
        b.iter(|| black_box(Sha256Digest::of(&big)))
    });
    g.bench_function("16 MiB stream with CRC-32", |b| {
        b.iter(|| black_box(hash_reader(&big[..]).unwrap()))
    });
    g.finish();

    let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/article.txt")).unwrap();
    let mut g = c.benchmark_group("pack");
    g.bench_function("text article, signed", |b| {
        b.iter(|| black_box(pack::pack(&request(text.clone(), "a.txt"), Some(&key)).unwrap()))
    });
    g.finish();
}

criterion_group! {
    name = all;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(all);
