//! Slugs and tags: readable, URL-safe names for things people typed.

/// A URL-safe, readable slug: lower-case ASCII letters and digits joined by single hyphens.
/// Accented Latin letters keep their base letter so "Café" reads as "cafe".
pub fn slugify(text: &str, max_len: usize) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.chars().take(max_len).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded = match c {
        'à'..='å' | 'À'..='Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è'..='ë' | 'È'..='Ë' => "e",
        'ì'..='ï' | 'Ì'..='Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => "o",
        'ù'..='ü' | 'Ù'..='Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'ŷ' | 'Ŷ' => "y",
        'ŵ' | 'Ŵ' => "w",
        'ß' => "ss",
        '&' => " and ",
        _ => "",
    };
    let own = if folded.is_empty() { Some(c) } else { None };
    folded.chars().chain(own)
}

/// A tag as typed, normalised: trimmed, inner white space collapsed, lower case.
/// Returns `(slug, name)`, or `None` when nothing usable is left.
pub fn normalise_tag(raw: &str) -> Option<(String, String)> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let slug = slugify(&name, 60);
    (!slug.is_empty()).then_some((slug, name))
}

/// Tags from a comma-separated list, deduplicated case-insensitively (by slug), first spelling
/// kept. Stops once it has found `most` tags and one more, so that however many are sent, no
/// more work is done than telling that there are too many.
pub fn parse_tags(input: &str, most: usize) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut tags: Vec<(String, String)> = Vec::new();
    for (slug, name) in input.split([',', ';', '\n']).filter_map(normalise_tag) {
        if seen.insert(slug.clone()) {
            tags.push((slug, name));
            if tags.len() > most {
                break;
            }
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_url_safe() {
        assert_eq!(slugify("Bin collection days — Northshire", 80), "bin-collection-days-northshire");
        assert_eq!(slugify("  Café & Bus: 24/7!  ", 80), "cafe-and-bus-24-7");
        assert_eq!(slugify("<script>alert(1)</script>", 80), "script-alert-1-script");
        assert_eq!(slugify("Ŵyddgrug bus times", 80), "wyddgrug-bus-times");
        assert_eq!(slugify("!!!", 80), "");
        assert_eq!(slugify("a very long title that goes on", 12), "a-very-long");
    }

    #[test]
    fn tags_are_normalised_and_deduplicated_case_insensitively() {
        let tags = parse_tags(" Bin Collection, bin   collection ,GTFS, gtfs,, ;UPRN\n", 12);
        assert_eq!(
            tags,
            vec![
                ("bin-collection".to_string(), "bin collection".to_string()),
                ("gtfs".to_string(), "gtfs".to_string()),
                ("uprn".to_string(), "uprn".to_string()),
            ]
        );
        assert_eq!(normalise_tag("   "), None);
        assert_eq!(normalise_tag("***"), None);
    }
}
