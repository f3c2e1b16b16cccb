//! Deterministic corpora: typical articles (about 8 KB of text in about
//! 60 KB of HTML), the same as plain text, and bags for bagit.py.

use std::fmt::Write as _;

/// A small deterministic generator (xorshift64*), so that every run
/// writes the same bytes.
pub struct Words(u64);

const WORDS: [&str; 48] = [
    "the",
    "families",
    "of",
    "crew",
    "harbour",
    "officials",
    "visited",
    "relatives",
    "asked",
    "whether",
    "telephone",
    "border",
    "report",
    "agency",
    "security",
    "said",
    "after",
    "weeks",
    "town",
    "police",
    "river",
    "winter",
    "village",
    "ministry",
    "letter",
    "church",
    "market",
    "evidence",
    "witness",
    "court",
    "journalist",
    "archive",
    "defector",
    "brother",
    "sister",
    "mother",
    "travelled",
    "returned",
    "questioned",
    "detained",
    "released",
    "warned",
    "again",
    "three",
    "times",
    "night",
    "morning",
    "statement",
];

impl Words {
    pub fn new(seed: u64) -> Self {
        Words(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A sentence of 8 to 23 words.
    pub fn sentence(&mut self) -> String {
        let n = 8 + (self.next() % 16) as usize;
        let mut s = String::new();
        for i in 0..n {
            let w = WORDS[(self.next() % WORDS.len() as u64) as usize];
            if i == 0 {
                let mut c = w.chars();
                let first = c.next().unwrap_or('x').to_ascii_uppercase();
                s.push(first);
                s.push_str(c.as_str());
            } else {
                s.push(' ');
                s.push_str(w);
            }
        }
        s.push('.');
        s
    }

    /// Paragraphs of text adding up to about `bytes`.
    pub fn paragraphs(&mut self, bytes: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut total = 0;
        while total < bytes {
            let mut p = String::new();
            for _ in 0..5 {
                if !p.is_empty() {
                    p.push(' ');
                }
                p.push_str(&self.sentence());
            }
            total += p.len() + 2;
            out.push(p);
        }
        out
    }
}

/// Article `i`: its title, its text (about 8 KB) and a page of about 60 KB
/// that holds it among navigation, related links and scripts, as news
/// pages do.
pub fn article(i: usize) -> (String, String, String) {
    let mut w = Words::new(i as u64 + 1);
    let title = format!("Report {i}: {}", w.sentence().trim_end_matches('.'));
    let paras = w.paragraphs(8 * 1024);
    let text = paras.join("\n\n") + "\n";
    let mut html = String::with_capacity(64 * 1024);
    write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Example Coast News</title>\
         <meta property=\"og:site_name\" content=\"Example Coast News\">\
         <meta property=\"article:published_time\" content=\"2024-03-{:02}T08:00:00Z\">\
         <link rel=\"canonical\" href=\"https://news.example.org/{i}\"><style>",
        1 + i % 28
    )
    .ok();
    // Style sheets and scripts make up most of a real page's bytes.
    while html.len() < 40 * 1024 {
        writeln!(
            html,
            ".c{} {{ margin: 0 {}px; color: #{:06x}; }}",
            html.len(),
            i % 9,
            html.len()
        )
        .ok();
    }
    html.push_str("</style></head><body><nav><ul>");
    for k in 0..40 {
        write!(html, "<li><a href=\"/section/{k}\">Section {k}</a></li>").ok();
    }
    write!(html, "</ul></nav><article><h1>{title}</h1>").ok();
    for p in &paras {
        write!(html, "<p>{p}</p>").ok();
    }
    html.push_str("</article><aside><h2>Related</h2><ul>");
    while html.len() < 60 * 1024 {
        write!(
            html,
            "<li><a href=\"/r/{}\">{}</a></li>",
            html.len(),
            w.sentence()
        )
        .ok();
    }
    html.push_str("</ul></aside><footer>Example Coast News</footer></body></html>");
    (title, text, html)
}
