//! Hostile HTML: what extraction costs on pages built to make it slow or
//! make it eat memory (the hostile-content rule: linear time, bounded
//! memory). For each kind of page, at three sizes, this prints the time
//! and the peak resident memory of a fresh process that extracts it, and
//! the time per megabyte, which stays flat when the cost is linear:
//!
//! - `<div>` nested N deep (200,000 at full size: 1.2 MB of markup that
//!   costs a tree builder N² steps unless nesting is capped);
//! - N sibling `<p>` elements (1,000,000 at full size);
//! - an ordinary article page grown to N kB (25,000 at full size).
//!
//! `cargo run --release --example bench_hostile [-- --quick]`
//!
//! `--quick` divides every size by ten (what CI runs, in its debug build:
//! it shows the bench works and prints figures, and judges nothing).
//! Timing never decides a test. Linux only (peak memory is read from
//! /proc).

use std::time::Instant;

#[path = "bench/peers.rs"]
#[allow(dead_code)]
mod peers;

fn nested(n: usize) -> String {
    format!(
        "<html><body>{}the text at the bottom{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    )
}

fn paragraphs(n: usize) -> String {
    format!(
        "<html><head><title>Many paragraphs</title></head><body><article>{}</article></body></html>",
        "<p>word word</p>".repeat(n)
    )
}

fn large(kb: usize) -> String {
    let para = "<p>The harbour office said in a statement that the pier would reopen after a month of repairs, and that the ferry would resume its timetable the same afternoon.</p>\n";
    let n = kb * 1_000 / para.len();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>A long report</title></head><body><nav>Home</nav><article><h1>A long report</h1>{}</article></body></html>",
        para.repeat(n)
    )
}

/// `--child FILE`: extracts one page and prints seconds, peak RSS (KiB),
/// text bytes and whether the page was reduced.
fn child(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    let start = Instant::now();
    let e = provseal::extract::extract(provseal::extract::InputKind::Html, &bytes);
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{seconds} {} {} {}",
        peers::peak_rss_kib(),
        e.text.len(),
        e.reduced.is_some()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        return child(args.get(1).ok_or("--child FILE")?);
    }
    let scale = if args.iter().any(|a| a == "--quick") {
        10
    } else {
        1
    };
    println!("{}", peers::machine());
    let dir = tempfile::tempdir()?;
    let exe = std::env::current_exe()?;
    type Make = fn(usize) -> String;
    let kinds: [(&str, Make, usize); 3] = [
        ("nested <div>", nested, 200_000),
        ("sibling <p>", paragraphs, 1_000_000),
        ("article kB", large, 25_000),
    ];
    println!(
        "{:<14} {:>10} {:>9} {:>9} {:>10} {:>10} {:>8}",
        "page", "N", "MB", "seconds", "s per MB", "peak MiB", "reduced"
    );
    for (name, make, full) in kinds {
        for part in [4, 2, 1] {
            let n = full / scale / part;
            let page = make(n);
            let path = dir.path().join("page.html");
            std::fs::write(&path, &page)?;
            let out = std::process::Command::new(&exe)
                .arg("--child")
                .arg(&path)
                .output()?;
            if !out.status.success() {
                return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
            }
            let line = String::from_utf8(out.stdout)?;
            let f: Vec<&str> = line.split_whitespace().collect();
            let seconds: f64 = f[0].parse()?;
            let rss: f64 = f[1].parse::<f64>()? / 1024.0;
            let mb = page.len() as f64 / 1e6;
            println!(
                "{name:<14} {n:>10} {mb:>9.1} {seconds:>9.3} {:>10.3} {rss:>10.1} {:>8}",
                seconds / mb,
                f[3]
            );
        }
    }
    Ok(())
}
