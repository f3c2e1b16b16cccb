//! URLs shown as browsers show them: an international host in its Unicode
//! form only when no label could pass for another name. A label that
//! mixes scripts beyond what UTS 39 calls "highly restrictive" (Latin
//! with Han and Japanese or Korean is fine; Latin with Cyrillic is not), a
//! label written wholly in another script's look-alikes of Latin letters
//! ("аррӏе" in Cyrillic), or one holding characters not allowed in
//! identifiers, is shown in its punycode (`xn--…`) form, which cannot
//! pass for anything else.

use unicode_security::{GeneralSecurityProfile, RestrictionLevel, RestrictionLevelDetection};

use super::inline;

/// A URL ready for human output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlView {
    /// The text to show: the URL as recorded, or with its host in
    /// punycode when the host is confusable; unsafe characters escaped.
    pub text: String,
    /// Why the host is confusable, when it is: the punycode form was shown.
    pub confusable: Option<String>,
}

/// Why an international host label could pass for another name, if it can.
fn label_problem(label: &str) -> Option<String> {
    if label.is_ascii() {
        return None;
    }
    if let Some(c) = label.chars().find(|&c| c != '-' && !c.identifier_allowed()) {
        return Some(format!(
            "its label {label:?} holds {}, which is not allowed in names",
            super::escape_char(c)
        ));
    }
    if label.detect_restriction_level() > RestrictionLevel::HighlyRestrictive {
        return Some(format!("its label {label:?} mixes scripts"));
    }
    let skeleton: String = unicode_security::skeleton(label).collect();
    if skeleton.is_ascii() {
        return Some(format!(
            "its label {label:?} is written in look-alikes of the Latin letters {skeleton:?}"
        ));
    }
    None
}

/// Why the host of `u` could pass for another name, if it can: the
/// reason a verifier warns (W010) and a renderer shows punycode.
pub fn confusable_host(u: &str) -> Option<String> {
    let parsed = url::Url::parse(u.trim()).ok()?;
    let host = parsed.host_str()?;
    if !host.split('.').any(|l| l.starts_with("xn--")) {
        return None;
    }
    let (unicode, result) = idna::domain_to_unicode(host);
    if result.is_err() {
        return Some(format!("its host {host} is not valid punycode"));
    }
    unicode.split('.').find_map(label_problem)
}

/// `u` for human output (see the module documentation).
pub fn url(u: &str) -> UrlView {
    match confusable_host(u) {
        None => UrlView {
            text: inline(u).into_owned(),
            confusable: None,
        },
        Some(why) => {
            let ascii = url::Url::parse(u.trim()).map_or_else(|_| u.to_string(), String::from);
            UrlView {
                text: inline(&ascii).into_owned(),
                confusable: Some(why),
            }
        }
    }
}

/// [`url()`]'s text, with a note when the host was shown in punycode.
pub fn url_with_note(u: &str) -> String {
    let v = url(u);
    match v.confusable {
        None => v.text,
        Some(why) => format!("{} (host shown in punycode: {})", v.text, inline(&why)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_script_and_ascii_hosts_are_shown_as_they_are() {
        for u in [
            "https://example.org/a?b=1",
            "https://пример.рф/новости",
            "https://xn--e1afmkfd.xn--p1ai/",
            "https://北京大学.中国/",
            "https://münchen.de/",
            "https://日本語jp.example/",
        ] {
            let v = url(u);
            assert_eq!(v.confusable, None, "{u}");
            assert_eq!(v.text, u);
        }
    }

    #[test]
    fn mixed_and_lookalike_hosts_are_shown_in_punycode() {
        // "apple" with a Cyrillic а: mixed scripts.
        let v = url("https://\u{430}pple.com/login");
        assert_eq!(v.text, "https://xn--pple-43d.com/login");
        assert!(v.confusable.unwrap().contains("mixes scripts"));
        // "аррӏе" wholly in Cyrillic look-alikes.
        let v = url("https://\u{430}\u{440}\u{440}\u{4cf}\u{435}.com/");
        assert!(v.text.starts_with("https://xn--"), "{}", v.text);
        assert!(v.confusable.unwrap().contains("look-alikes"));
        // Already punycode in the manifest: judged by what it decodes to.
        assert!(confusable_host("https://xn--pple-43d.com/").is_some());
        assert!(url_with_note("https://\u{430}pple.com/").contains("host shown in punycode"));
    }

    #[test]
    fn unsafe_characters_elsewhere_are_escaped() {
        assert_eq!(
            url("https://a.org/\u{202e}x").text,
            "https://a.org/\\u{202e}x"
        );
        assert_eq!(url("not a url\x1b").text, "not a url\\u{1b}");
    }
}
