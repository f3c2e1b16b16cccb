//! Human citation styles. The work part of Chicago (notes and
//! bibliography, 18th edition), APA (7th) and MLA (9th) is rendered by a
//! CSL processor (the `hayagriva` crate) with the official CSL styles it
//! embeds, from the same CSL-JSON item that `--format csl-json` prints, so
//! that the two cannot disagree. Bluebook has no CSL style; its rule for
//! online newspaper articles (rules 16.6 and 18.2) is written here. Each
//! style's work part is followed by the evidence clause.

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    ElemChild, ElemChildren, Formatted,
};
use serde_json::Value;

use super::{CiteSource, Dates, Markup, evidence_clause, html_escape};

/// Chicago: the note form, then the bibliography form, each followed by the
/// evidence clause.
pub(super) fn chicago(src: &CiteSource, markup: Markup) -> String {
    let forms = csl_work(CslStyle::Chicago, src, markup);
    let evidence = evidence_clause(src, markup, Dates::Long);
    format!(
        "{} {evidence}\n{} {evidence}\n",
        forms.note, forms.bibliography
    )
}

/// APA: the reference-list entry and the evidence clause.
pub(super) fn apa(src: &CiteSource, markup: Markup) -> String {
    let forms = csl_work(CslStyle::Apa, src, markup);
    format!(
        "{} {}\n",
        forms.bibliography,
        evidence_clause(src, markup, Dates::Long)
    )
}

/// MLA: the works-cited entry and the evidence clause.
pub(super) fn mla(src: &CiteSource, markup: Markup) -> String {
    let forms = csl_work(CslStyle::Mla, src, markup);
    format!(
        "{} {}\n",
        forms.bibliography,
        evidence_clause(src, markup, Dates::DayFirst)
    )
}

/// A style rendered by the CSL processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CslStyle {
    /// Chicago notes and bibliography.
    Chicago,
    /// APA, reference list entry.
    Apa,
    /// MLA, works-cited entry.
    Mla,
}

impl CslStyle {
    fn archived(self) -> ArchivedStyle {
        match self {
            CslStyle::Chicago => ArchivedStyle::ChicagoNotes,
            CslStyle::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
            CslStyle::Mla => ArchivedStyle::ModernLanguageAssociation,
        }
    }
}

/// The note (first citation) and bibliography forms of the work, as the
/// style renders them, without the evidence.
pub(super) struct WorkForms {
    /// The footnote form (for note styles) or in-text form.
    pub note: String,
    /// The bibliography or reference-list entry.
    pub bibliography: String,
}

/// Renders the work with one CSL style. The styles are embedded in the
/// binary and independent (the tests check both), so the only way to get
/// nothing is a manifest with nothing to cite, which verification rules out.
fn csl_work(style: CslStyle, src: &CiteSource, markup: Markup) -> WorkForms {
    let Some(mut item) = work_item_value(src) else {
        return WorkForms {
            note: String::new(),
            bibliography: String::new(),
        };
    };
    match style {
        CslStyle::Apa => capitalise_hyphenated_given_names(&mut item),
        CslStyle::Chicago | CslStyle::Mla => case_english_title(&mut item),
    }
    let (note, mut bibliography) = render_item(style, &item).unwrap_or_default();
    if style == CslStyle::Chicago && src.manifest.article.authors.is_empty() {
        quote_unsigned_title(&item, &mut bibliography);
    }
    WorkForms {
        note: write(&note, markup),
        bibliography: write(&bibliography, markup),
    }
}

/// English titles in Chicago and MLA are title-cased by `title_case`
/// rather than by the processor (whose dictionary capitalises prepositions
/// such as "After"); the item's language is then set to "und"
/// (undetermined, BCP 47), which the styles never print and which keeps
/// the processor from casing the title again. Other languages keep their
/// own capitalisation, as both guides ask.
fn case_english_title(item: &mut Value) {
    let english = item
        .get("language")
        .and_then(Value::as_str)
        .is_none_or(|l| l.to_ascii_lowercase().starts_with("en"));
    if !english {
        return;
    }
    if let Some(t) = item.get("title").and_then(Value::as_str) {
        item["title"] = Value::String(super::title_case::title_case(t));
    }
    item["language"] = Value::String("und".into());
}

/// APA gives each part of a hyphenated given name an initial ("Jean-Baptiste"
/// is "J.-B.", APA 7 §9.8). `hayagriva` keeps a lower-case part whole
/// ("Hye-jin" would be "H.-jin"), so for APA, which prints only initials,
/// each part is capitalised first.
fn capitalise_hyphenated_given_names(item: &mut Value) {
    let Some(authors) = item.get_mut("author").and_then(Value::as_array_mut) else {
        return;
    };
    for given in authors.iter_mut().filter_map(|a| a.get_mut("given")) {
        if let Some(g) = given.as_str() {
            let parts: Vec<String> = g.split('-').map(super::capitalise).collect();
            *given = Value::String(parts.join("-"));
        }
    }
}

/// The first note and the bibliography entry of one item, as element trees.
fn render_item(style: CslStyle, item: &Value) -> Option<(ElemChildren, ElemChildren)> {
    let Style::Independent(style) = style.archived().get() else {
        return None;
    };
    let item: Item = serde_json::from_value(item.clone()).ok()?;
    let locales = locales();
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::new(
        vec![CitationItem::with_entry(&item)],
        &style,
        None,
        &locales,
        Some(1),
    ));
    let rendered = driver.finish(BibliographyRequest::new(&style, None, &locales));
    let note = rendered.citations.into_iter().next()?.citation;
    let bibliography = rendered.bibliography?.items.into_iter().next()?.content;
    Some((note, bibliography))
}

/// Marks the title's run in a rendered tree.
const TITLE_MARK: char = '\u{e000}';
const OPEN_QUOTE: char = '\u{e001}';
const CLOSE_QUOTE: char = '\u{e002}';

/// Chicago's bibliography entry of an unsigned newspaper article puts the
/// newspaper in the author's place and the title in quotation marks
/// (CMOS 18, 14.89): "*Daily NK*. “Title.” May 27, 2018." The CSL style
/// chooses quotes by the presence of `container-title`, which `hayagriva`
/// treats as absent once it has stood in for the author (citeproc-js does
/// not), and so italicises the title. The title's run, found by rendering
/// the item again with a marker for a title, is set in quotes instead.
fn quote_unsigned_title(item: &Value, bibliography: &mut ElemChildren) {
    let mut marked = item.clone();
    marked["title"] = Value::String(TITLE_MARK.to_string());
    let Some((_, marked)) = render_item(CslStyle::Chicago, &marked) else {
        return;
    };
    let Some(path) = find_run(&marked, 0) else {
        return;
    };
    if let Some(run) = run_at(bibliography, &path)
        && run.formatting.font_style == FontStyle::Italic
    {
        run.formatting.font_style = FontStyle::Normal;
        run.text = format!("{OPEN_QUOTE}{}{CLOSE_QUOTE}", run.text);
    }
}

fn find_run(children: &ElemChildren, depth: usize) -> Option<Vec<usize>> {
    if depth > 64 {
        return None;
    }
    for (i, child) in children.0.iter().enumerate() {
        let found = match child {
            ElemChild::Text(t) if t.text.contains(TITLE_MARK) => Some(vec![]),
            ElemChild::Elem(e) => find_run(&e.children, depth + 1),
            _ => None,
        };
        if let Some(mut rest) = found {
            rest.insert(0, i);
            return Some(rest);
        }
    }
    None
}

fn run_at<'t>(children: &'t mut ElemChildren, path: &[usize]) -> Option<&'t mut Formatted> {
    match children.0.get_mut(*path.first()?)? {
        ElemChild::Text(t) if path.len() == 1 => Some(t),
        ElemChild::Elem(e) => run_at(&mut e.children, &path[1..]),
        _ => None,
    }
}

/// The CSL-JSON item of the work alone: the archive, note and evidence
/// fields are left to the evidence clause, so that styles that print an
/// archive do not say it twice; a web section ("World", "Opinion") is left
/// out, since styles print CSL's `section` as a print edition's section.
/// Typographic apostrophes in the title, the outlet and the names.
fn typeset_names_and_titles(item: &mut Value) {
    let fix = |v: &mut Value| {
        if let Some(s) = v.as_str() {
            *v = Value::String(super::typographic_apostrophes(s));
        }
    };
    for key in ["title", "container-title"] {
        if let Some(v) = item.get_mut(key) {
            fix(v);
        }
    }
    if let Some(authors) = item.get_mut("author").and_then(Value::as_array_mut) {
        for a in authors {
            for part in ["family", "given", "literal"] {
                if let Some(v) = a.get_mut(part) {
                    fix(v);
                }
            }
        }
    }
}

fn work_item_value(src: &CiteSource) -> Option<Value> {
    let Value::Array(mut items) = super::csl::csl_json(src) else {
        return None;
    };
    let Value::Object(mut item) = items.pop()? else {
        return None;
    };
    for key in ["archive", "archive_location", "note", "custom", "section"] {
        item.remove(key);
    }
    let mut item = Value::Object(item);
    typeset_names_and_titles(&mut item);
    Some(item)
}

fn write(children: &ElemChildren, markup: Markup) -> String {
    let mut out = String::new();
    match markup {
        // Writing into a String cannot fail.
        Markup::Plain => {
            let _ = children.write_buf(&mut out, BufWriteFormat::Plain);
        }
        Markup::Html => write_html(children, &mut out, 0),
    }
    // A period after a quoted title goes inside the quotation marks.
    out.trim()
        .replace(&format!("{CLOSE_QUOTE}."), &format!(".{CLOSE_QUOTE}"))
        .replace(OPEN_QUOTE, "\u{201c}")
        .replace(CLOSE_QUOTE, "\u{201d}")
}

/// HTML written here rather than by the processor, which copies text into
/// its HTML unescaped: a title is hostile input like any other.
fn write_html(children: &ElemChildren, out: &mut String, depth: usize) {
    if depth > 64 {
        return;
    }
    for child in &children.0 {
        match child {
            ElemChild::Text(t) => {
                let f = t.formatting;
                let tags: Vec<&str> = [
                    (f.font_style == FontStyle::Italic).then_some("i"),
                    (f.font_weight == FontWeight::Bold).then_some("b"),
                    (f.font_variant == FontVariant::SmallCaps).then_some("span"),
                ]
                .into_iter()
                .flatten()
                .collect();
                for tag in &tags {
                    match *tag {
                        "span" => out.push_str("<span style=\"font-variant: small-caps\">"),
                        t => out.push_str(&format!("<{t}>")),
                    }
                }
                out.push_str(&html_escape(&t.text));
                for tag in tags.iter().rev() {
                    out.push_str(&format!("</{tag}>"));
                }
            }
            ElemChild::Elem(e) => write_html(&e.children, out, depth + 1),
            ElemChild::Markup(m) => out.push_str(&html_escape(m)),
            ElemChild::Link { text, url } => {
                out.push_str(&format!(
                    "<a href=\"{}\">{}</a>",
                    html_escape(url),
                    html_escape(&text.text)
                ));
            }
            ElemChild::Transparent { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_styles_used_are_embedded_and_independent() {
        for s in [CslStyle::Chicago, CslStyle::Apa, CslStyle::Mla] {
            assert!(matches!(s.archived().get(), Style::Independent(_)), "{s:?}");
        }
    }
}
