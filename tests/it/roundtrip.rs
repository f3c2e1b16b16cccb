//! Property tests: any metadata packs into a bundle that verifies and whose
//! manifest carries that metadata unchanged; packing is deterministic.

use crate::support::*;
use proptest::prelude::*;
use provseal::format::normalize::collapse_ws;
use provseal::pack::{self, Overrides};

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including controls, quotes, backslashes and RTL marks.
    "\\PC{1,40}".prop_filter("not blank", |s| !collapse_ws(s).is_empty())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_metadata_round_trips(
        title in text(),
        subtitle in proptest::option::of(text()),
        authors in proptest::collection::vec(text(), 0..4),
        publisher in proptest::option::of(text()),
        section in proptest::option::of(text()),
        body in "\\PC{0,400}",
        year in 1990i32..2030, month in 1u32..13, day in 1u32..29,
        path in "[a-z0-9]{1,12}",
    ) {
        let overrides = Overrides {
            title: Some(title.clone()),
            subtitle: subtitle.clone(),
            authors: authors.clone(),
            publisher: publisher.clone(),
            section: section.clone(),
            published: Some(format!("{year:04}-{month:02}-{day:02}")),
            original_url: Some(format!("https://news.example.org/{path}")),
            repost_urls: vec![format!("https://mirror.example.net/{path}?a=1&b=2")],
            ..Overrides::default()
        };
        let mut req = request(overrides);
        req.input = body.into_bytes();
        let key = test_key();
        // A value with a character a screen would act on or hide (a line
        // separator, a variation selector on its own, a Hangul filler) is
        // refused, never signed; the rest round-trips unchanged.
        let given = std::iter::once(&title)
            .chain(subtitle.iter())
            .chain(authors.iter())
            .chain(publisher.iter())
            .chain(section.iter());
        if given.into_iter().any(|v| provseal::display::has_unsafe(v)) {
            prop_assert!(matches!(pack::pack(&req, Some(&key)), Err(pack::PackError::UnsafeText(_))));
            return Ok(());
        }
        let packed = pack::pack(&req, Some(&key)).unwrap();
        let again = pack::pack(&req, Some(&key)).unwrap();
        prop_assert_eq!(&packed.bytes, &again.bytes);

        let r = verify_bytes(&packed.bytes, &options(&[&key], false));
        prop_assert!(r.passed, "{:#?}", r.findings);
        let m = r.manifest.unwrap();
        let original = format!("https://news.example.org/{path}");
        prop_assert_eq!(m.original_url(), Some(original.as_str()));
        prop_assert_eq!(&m, &packed.manifest);
        prop_assert_eq!(m.article.title, collapse_ws(&title));
        prop_assert_eq!(m.article.subtitle, subtitle.map(|s| collapse_ws(&s)));
        prop_assert_eq!(m.article.authors, authors.iter().map(|a| collapse_ws(a)).filter(|a| !a.is_empty()).collect::<Vec<_>>());
        prop_assert_eq!(m.article.publisher, publisher.map(|s| collapse_ws(&s)));
        prop_assert_eq!(m.article.section, section.map(|s| collapse_ws(&s)));
        let published = m.article.published.unwrap();
        prop_assert_eq!(published.value, Some(format!("{year:04}-{month:02}-{day:02}")));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    /// Arbitrary bytes, and arbitrary bytes spliced into a valid bundle,
    /// give findings (or an I/O error), never a panic and never a pass.
    #[test]
    fn arbitrary_bytes_never_panic_or_pass(
        junk in proptest::collection::vec(any::<u8>(), 0..4096),
        at in any::<prop::sample::Index>(),
    ) {
        let opts = options(&[&test_key()], false);
        prop_assert!(!verify_bytes(&junk, &opts).passed);
        let valid = pack_example(Some(&test_key())).bytes;
        let i = at.index(valid.len());
        let mut spliced = valid[..i].to_vec();
        spliced.extend_from_slice(&junk);
        spliced.extend_from_slice(&valid[(i + junk.len()).min(valid.len())..]);
        if spliced != valid {
            prop_assert!(!verify_bytes(&spliced, &opts).passed);
        }
    }
}
