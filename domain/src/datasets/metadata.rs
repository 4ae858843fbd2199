//! What a portal says about a dataset, in one shape whichever portal said it.
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::vocabulary::PortalKind;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Licence {
    pub id: String,
    pub title: String,
    pub url: String,
    /// Whether it is an open licence; `None` when it is not one we know.
    pub open: Option<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Metadata {
    pub portal: PortalKind,
    /// Where the details were read from.
    pub api_url: String,
    pub title: String,
    pub description: String,
    pub publisher: String,
    pub licence: Option<Licence>,
    pub formats: Vec<String>,
    pub resource_count: Option<i32>,
    pub modified: Option<DateTime<Utc>>,
    pub frequency: Option<super::frequency::Frequency>,
}

impl Metadata {
    pub fn new(portal: PortalKind, api_url: impl Into<String>) -> Metadata {
        Metadata {
            portal,
            api_url: api_url.into(),
            title: String::new(),
            description: String::new(),
            publisher: String::new(),
            licence: None,
            formats: Vec::new(),
            resource_count: None,
            modified: None,
            frequency: None,
        }
    }

    /// Trims every text to what the columns hold, and sorts and dedups the formats; a portal
    /// may send anything.
    pub fn tidy(mut self) -> Metadata {
        fn cut(text: &str, max: usize) -> String {
            let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
            one_line.chars().take(max).collect()
        }
        self.title = cut(&self.title, 500);
        self.description = self.description.trim().chars().take(5000).collect();
        self.publisher = cut(&self.publisher, 200);
        if let Some(licence) = &mut self.licence {
            licence.id = cut(&licence.id, 120);
            licence.title = cut(&licence.title, 200);
            licence.url = web_address(&licence.url).filter(|url| url.len() <= 500).unwrap_or_default();
            if licence.title.is_empty() {
                licence.title = super::licences::title_for(&licence.url).unwrap_or_else(|| licence.id.clone());
            }
            if licence.open.is_none() {
                licence.open = super::licences::is_open(&licence.id, &licence.url, &licence.title);
            }
        }
        let mut formats: Vec<String> = self.formats.iter().map(|f| cut(f, 40).to_ascii_uppercase()).filter(|f| !f.is_empty()).collect();
        formats.sort();
        formats.dedup();
        formats.truncate(12);
        self.formats = formats;
        self
    }
}

/// An address a portal gave, kept only as an http(s) URL: anything else (`javascript:`, `data:`)
/// would reach a link in every page that shows it.
pub fn web_address(text: &str) -> Option<String> {
    let url = url::Url::parse(text.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// Dates as portals write them: RFC 3339, ISO 8601 without a zone (CKAN, read as UTC), or a day.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_licence_keeps_only_a_web_address() {
        let with_url = |url: &str| {
            let mut found = Metadata::new(PortalKind::Ckan, "https://portal.example/api");
            found.licence = Some(Licence { id: "x".into(), title: "X".into(), url: url.into(), open: None });
            found.tidy().licence.unwrap().url
        };
        assert_eq!(with_url("javascript:alert(document.cookie)"), "");
        assert_eq!(with_url(" JavaScript:alert(1)"), "");
        assert_eq!(with_url("data:text/html,<script>alert(1)</script>"), "");
        assert_eq!(with_url("not a url"), "");
        assert_eq!(with_url("https://opendatacommons.org/licenses/odbl/"), "https://opendatacommons.org/licenses/odbl/");
    }

    #[test]
    fn reads_the_dates_portals_write() {
        assert_eq!(parse_date("2017-06-30T09:08:37.040414").unwrap().to_rfc3339(), "2017-06-30T09:08:37.040414+00:00");
        assert_eq!(parse_date("2024-03-01T10:00:00+01:00").unwrap().to_rfc3339(), "2024-03-01T09:00:00+00:00");
        assert_eq!(parse_date("2024-03-01").unwrap().to_rfc3339(), "2024-03-01T00:00:00+00:00");
        assert_eq!(parse_date("last Tuesday"), None);
    }
}
