//! Author names as citation formats need them: a person's name split into
//! family and given parts, a corporate author kept whole.

/// Words that mark a corporate author, cited as one literal name.
const CORPORATE: [&str; 12] = [
    "staff",
    "desk",
    "editorial",
    "news",
    "agency",
    "team",
    "service",
    "reporters",
    "bureau",
    "press",
    "newsroom",
    "board",
];

/// Whether `name` is an organisation (or a one-word name), which styles
/// must print as written rather than invert.
pub(super) fn is_corporate(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    words.len() < 2 || words.iter().any(|w| CORPORATE.contains(&w.as_str()))
}

/// Splits "Given Names Family" into (family, given). Names written family
/// first ("Kim Jong-un") cannot be told apart from a byline's text alone;
/// the manifest records names as bylines print them.
pub(super) fn split_name(name: &str) -> (String, String) {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let family = words.pop().unwrap_or_default().to_string();
    (family, words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_and_corporate_authors_stay_whole() {
        assert_eq!(split_name("Ann B. Lee"), ("Lee".into(), "Ann B.".into()));
        assert!(is_corporate("Daily NK Staff"));
        assert!(is_corporate("Reuters"));
        assert!(!is_corporate("Ann Lee"));
    }
}
