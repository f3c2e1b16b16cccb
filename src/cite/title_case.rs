//! English title case as CSL specifies it and the Chicago Manual (18th
//! edition, 8.159) and the MLA Handbook apply it: every word capitalised
//! except articles, coordinating conjunctions and prepositions, whatever
//! their length, unless first, last or after a colon. Words already holding
//! a capital after their first letter ("iPhone", "NK") are left as written.
//!
//! The CSL processor's own dictionary capitalises some prepositions
//! ("After", "Before", "Through"), which both guides lowercase, so titles
//! for those styles are cased here (see `styles`).

/// Articles, coordinating conjunctions and the single-word prepositions of
/// the CSL specification's stop-word list that are not also common in
/// headlines as other parts of speech.
const STOP_WORDS: [&str; 70] = [
    "a",
    "about",
    "across",
    "after",
    "against",
    "along",
    "alongside",
    "amid",
    "amidst",
    "among",
    "amongst",
    "an",
    "and",
    "around",
    "as",
    "at",
    "atop",
    "before",
    "behind",
    "below",
    "beneath",
    "beside",
    "besides",
    "between",
    "beyond",
    "but",
    "by",
    "despite",
    "down",
    "during",
    "except",
    "for",
    "from",
    "in",
    "inside",
    "into",
    "nor",
    "of",
    "off",
    "on",
    "onto",
    "or",
    "out",
    "outside",
    "over",
    "per",
    "since",
    "so",
    "than",
    "the",
    "through",
    "throughout",
    "till",
    "to",
    "toward",
    "towards",
    "under",
    "underneath",
    "unlike",
    "until",
    "unto",
    "up",
    "upon",
    "versus",
    "via",
    "vs",
    "with",
    "within",
    "without",
    "yet",
];

/// The title in title case.
pub(crate) fn title_case(title: &str) -> String {
    let words: Vec<&str> = title.split(' ').collect();
    let last = words.iter().rposition(|w| !w.is_empty()).unwrap_or(0);
    let mut starts_phrase = true;
    let mut out = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let free = starts_phrase || i == last;
        out.push(
            w.split('-')
                .enumerate()
                .map(|(j, part)| case_word(part, free && j == 0))
                .collect::<Vec<_>>()
                .join("-"),
        );
        if !w.is_empty() {
            starts_phrase = w.ends_with([':', '?', '!', '\u{2014}']);
        }
    }
    out.join(" ")
}

fn case_word(w: &str, free: bool) -> String {
    let letters: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
    if w.chars().skip(1).any(char::is_uppercase) || letters.is_empty() {
        return w.to_string();
    }
    let lower = letters.to_lowercase();
    if !free && STOP_WORDS.contains(&lower.as_str()) {
        return w.to_lowercase();
    }
    capitalise_first_letter(w)
}

/// The word with its first letter in upper case ("'tis" gives "'Tis").
pub(crate) fn capitalise_first_letter(w: &str) -> String {
    match w.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((i, c)) => format!("{}{}{}", &w[..i], c.to_uppercase(), &w[i + c.len_utf8()..]),
        None => w.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::title_case;

    #[test]
    fn prepositions_stay_lower_case_whatever_their_length() {
        assert_eq!(
            title_case("Harbour town families questioned After fishing crew vanishes"),
            "Harbour Town Families Questioned after Fishing Crew Vanishes"
        );
        assert_eq!(
            title_case("NK calls defectors in SK to persuade them to come back"),
            "NK Calls Defectors in SK to Persuade Them to Come Back"
        );
        assert_eq!(
            title_case("the iPhone at ten: a look back through the years of"),
            "The iPhone at Ten: A Look Back through the Years Of"
        );
        assert_eq!(
            title_case("long-term plans for x-ray use"),
            "Long-Term Plans for X-Ray Use"
        );
    }
}
