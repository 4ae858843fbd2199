//! Which licences are open, by the ids, addresses and names portals use for them (CKAN's
//! licence ids, SPDX, and the licences' own pages).

const OPEN_IDS: &[&str] = &[
    "uk-ogl",
    "ogl-uk-3.0",
    "ogl-uk-2.0",
    "ogl",
    "ogl3",
    "open-government-licence",
    "cc-by",
    "cc-by-4.0",
    "cc-by-3.0",
    "cc-by-sa",
    "cc-by-sa-4.0",
    "cc-zero",
    "cc0",
    "cc0-1.0",
    "odc-by",
    "odc-by-1.0",
    "odc-odbl",
    "odbl-1.0",
    "odbl",
    "odc-pddl",
    "pddl-1.0",
    "other-open",
    "other-pd",
    "other-at",
    "gfdl",
    "cc-by-4",
    "cc-by-sa-4",
];

const CLOSED_IDS: &[&str] = &["cc-nc", "cc-by-nc", "cc-by-nc-4.0", "cc-by-nd", "cc-by-nc-nd", "other-nc", "other-closed", "notspecified"];

const OPEN_ADDRESSES: &[&str] = &[
    "nationalarchives.gov.uk/doc/open-government-licence",
    "creativecommons.org/licenses/by/",
    "creativecommons.org/licenses/by-sa/",
    "creativecommons.org/publicdomain/zero/",
    "opendatacommons.org/licenses/odbl",
    "opendatacommons.org/licenses/by",
    "opendatacommons.org/licenses/pddl",
    "opendefinition.org/licenses/",
];

/// A readable name for a licence known by its address, where the portal gave none, with the
/// version the address names ("Open Government Licence v3.0", "Creative Commons Attribution 4.0").
pub fn title_for(url: &str) -> Option<String> {
    let url = url.to_ascii_lowercase();
    let (_, name) = [
        ("open-government-licence", "Open Government Licence"),
        ("creativecommons.org/licenses/by/", "Creative Commons Attribution"),
        ("creativecommons.org/licenses/by-sa/", "Creative Commons Attribution-ShareAlike"),
        ("creativecommons.org/publicdomain/zero/", "Creative Commons Zero"),
        ("opendatacommons.org/licenses/odbl", "Open Data Commons Open Database License"),
        ("opendatacommons.org/licenses/by", "Open Data Commons Attribution License"),
        ("opendatacommons.org/licenses/pddl", "Open Data Commons Public Domain Dedication"),
    ]
    .into_iter()
    .find(|(part, _)| url.contains(part))?;
    let version = url.split(['/', '#', '?']).find(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || c == '.'));
    Some(match version {
        Some(v) if name.starts_with("Open Government") => format!("{name} v{v}{}", if v.contains('.') { "" } else { ".0" }),
        Some(v) => format!("{name} {v}"),
        None => name.to_string(),
    })
}

/// `Some(true)` for a licence we know to be open, `Some(false)` for one we know is not, `None`
/// for one we do not know.
pub fn is_open(id: &str, url: &str, title: &str) -> Option<bool> {
    let id = id.trim().to_ascii_lowercase();
    if OPEN_IDS.contains(&id.as_str()) {
        return Some(true);
    }
    if CLOSED_IDS.contains(&id.as_str()) || url.contains("-nc") || url.contains("/by-nd/") {
        return Some(false);
    }
    let url = url.to_ascii_lowercase();
    if OPEN_ADDRESSES.iter().any(|a| url.contains(a)) {
        return Some(true);
    }
    let title = title.to_ascii_lowercase();
    if title.contains("non-commercial") || title.contains("noncommercial") {
        return Some(false);
    }
    if title.contains("open government licence") || title.contains("open data commons") || title.starts_with("creative commons attribution")
    {
        return Some(true);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{is_open, title_for};

    #[test]
    fn knows_the_common_open_licences_by_id_address_or_name() {
        assert_eq!(is_open("uk-ogl", "", ""), Some(true));
        assert_eq!(is_open("", "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/", ""), Some(true));
        assert_eq!(is_open("", "", "Open Government Licence v3.0"), Some(true));
        assert_eq!(is_open("cc-by-nc", "", ""), Some(false));
        assert_eq!(is_open("", "https://creativecommons.org/licenses/by-nc/4.0/", ""), Some(false));
        assert_eq!(is_open("our-own-terms", "", "Our terms"), None);
    }

    #[test]
    fn names_a_licence_by_its_address_with_its_version() {
        assert_eq!(
            title_for("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/").as_deref(),
            Some("Open Government Licence v3.0")
        );
        assert_eq!(title_for("https://creativecommons.org/licenses/by/4.0/").as_deref(), Some("Creative Commons Attribution 4.0"));
        assert_eq!(title_for("https://example.org/terms"), None);
    }
}
