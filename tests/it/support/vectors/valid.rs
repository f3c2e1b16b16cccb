//! Valid bundles and the warnings a valid bundle can carry, and text a
//! screen would act on (spec §5.4, §8).

use super::*;

/// Valid bundles, and the warnings a valid bundle can carry.
pub(super) fn valid(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let test = test_key();
    let unsigned = c.unsigned.clone();
    let base = c.base.clone();
    b.add(
        "valid/signed.zip",
        "The example article, signed by the test key and verified with it trusted.",
        base.clone(),
        &[TEST],
        false,
        "verified-trusted",
        &[],
        Pass,
    );
    b.add(
        "valid/W003_no_trusted_keys.zip",
        "A validly signed bundle verified without trusted keys.",
        base.clone(),
        &[],
        false,
        "intact-untrusted",
        &["W003"],
        Pass,
    );
    b.add(
        "valid/W004_unsigned_allowed.zip",
        "An unsigned bundle, verified with unsigned bundles allowed.",
        unsigned.bytes.clone(),
        &[],
        true,
        "intact-unsigned",
        &["W004"],
        Fail,
    );
    let later = pack::pack(
        &request(Overrides {
            published: Some("2030-01-01".into()),
            ..example_overrides()
        }),
        Some(&test),
    )
    .unwrap();
    b.add(
        "valid/W001_published_after_captured.zip",
        "Publication date 2030-01-01, after the capture in 2024.",
        later.bytes,
        &[TEST],
        false,
        "verified-trusted",
        &["W001"],
        Pass,
    );
    let mut req = request(example_overrides());
    req.captured_at = Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0).unwrap();
    let future = pack::pack(&req, Some(&test)).unwrap();
    b.add(
        "valid/W002_captured_in_future.zip",
        "Captured in 2030, verified with the clock at 2026-01-01.",
        future.bytes,
        &[TEST],
        false,
        "verified-trusted",
        &["W002"],
        Pass,
    );

    let (original, repost) = synthetic_original_and_repost();
    let together = provseal::pack::fetched::pack_captures(
        &repost,
        &[original],
        &Overrides::default(),
        captured_at(),
        Some(&test),
    )
    .unwrap();
    b.add(
        "valid/captured_with_original.zip",
        "A repost captured over HTTP together with its original (copies/1/), with the relation truncated.",
        together.bytes,
        &[TEST],
        false,
        "verified-trusted",
        &[],
        Pass,
    );
    let captured = provseal::pack::fetched::pack_fetched(
        &synthetic_fetch(),
        &Overrides::default(),
        captured_at(),
        Some(&test),
    )
    .unwrap();
    b.add(
        "valid/captured_http.zip",
        "A page captured over HTTP after one redirect, with its WARC records, signed and trusted.",
        captured.bytes.clone(),
        &[TEST],
        false,
        "verified-trusted",
        &[],
        Pass,
    );
}

/// Text values that a screen would act on (spec §5.4).
pub(super) fn shown_text(b: &mut Builder, c: &Ctx) {
    use Hand::*;
    let test = test_key();
    let base = c.base.clone();
    // Text values that a screen would act on (spec §5.4), in a bundle made
    // by another tool: warnings, shown escaped.
    let hostile = edit_manifest(&base, Some(&test), |m| {
        m.article.title = "Pier reopens\u{1b}[2K\rVERIFIED: intact, signed by a trusted key".into();
        m.article.publisher = Some("Loopback \u{202e}sweN".into());
    });
    b.add(
        "valid/W009_unsafe_characters.zip",
        "A title with an escape sequence and a carriage return, and a publisher with a right-to-left override, signed: intact, with W009 for each value.",
        hostile,
        &[TEST],
        false,
        "verified-trusted",
        &["W009"],
        Pass,
    );
    let lookalike = edit_manifest(&base, Some(&test), |m| {
        if let Some(u) = m
            .urls
            .iter_mut()
            .find(|u| u.role == provseal::format::manifest::UrlRole::Original)
        {
            u.url = "https://\u{430}pple-news.example/read.php?num=1".into();
        }
    });
    b.add(
        "valid/W010_confusable_host.zip",
        "An original URL whose host mixes a Cyrillic a into Latin letters: intact, with W010, and shown in punycode.",
        lookalike,
        &[TEST],
        false,
        "verified-trusted",
        &["W010"],
        Pass,
    );
}
