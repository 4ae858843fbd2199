//! From a submitted form to a case study that meets every rule, or the full list of what is wrong.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::forms::{limits, CaseStudyForm, FieldErrors};
use crate::text::{char_len, clean, parse_tags, slugify};
use crate::views::Link;
use crate::vocabulary::{Licence, Phase, Practice, ServiceArea, Status};

/// A case study that passed validation. Its JSON is what each revision keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidCaseStudy {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub service_area: ServiceArea,
    pub phase: Phase,
    pub status: Status,
    pub region: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub outcomes: String,
    pub lessons: String,
    pub contact: String,
    pub licence: Licence,
    pub practices: Vec<Practice>,
    pub patterns: Vec<String>,
    pub organisations: Vec<String>,
    pub tags: Vec<String>,
    pub datasets: Vec<ValidDataset>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidDataset {
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub licence: String,
    pub format: String,
    pub usage: String,
    /// Show what the author typed, not what the portal says.
    #[serde(default)]
    pub prefer_own: bool,
}

impl ValidCaseStudy {
    /// Lists in one order whatever order they were given in, so that comparing two versions
    /// finds only real changes.
    pub fn canonical(mut self) -> Self {
        self.practices.sort_by_key(|p| Practice::ALL.iter().position(|x| x == p));
        self.patterns.sort();
        self.organisations.sort();
        self.tags.sort();
        self.datasets.sort_by(|a, b| a.url.cmp(&b.url));
        self
    }
}

/// The field labels people see, by the keys of `ValidCaseStudy`; used for revision summaries.
pub fn field_label(key: &str) -> &str {
    match key {
        "title" => "Title",
        "summary" => "Summary",
        "body" => "Story",
        "service_area" => "Service area",
        "phase" => "Phase",
        "status" => "Status",
        "region" => "Region",
        "start_date" => "Start date",
        "end_date" => "End date",
        "outcomes" => "Outcomes",
        "lessons" => "Lessons learned",
        "contact" => "Contact",
        "licence" => "Licence",
        "practices" => "Practices",
        "patterns" => "Patterns",
        "organisations" => "Organisations",
        "tags" => "Tags",
        "datasets" => "Datasets",
        other => other,
    }
}

/// Collects every problem with a form, so people see them all at once.
pub(crate) struct Checker {
    pub(crate) errors: FieldErrors,
}

/// Words the site's own addresses use after a slug's folder.
pub(crate) const RESERVED_SLUGS: [&str; 2] = ["new", "add"];

impl Checker {
    pub(crate) fn text(&mut self, field: &str, label: &str, raw: &str, required: bool, max: usize) -> String {
        let value = clean(raw);
        if required && value.is_empty() {
            self.errors.add(field, format!("Enter {}", label.to_lowercase()));
        } else if char_len(&value) > max {
            self.errors.add(field, format!("{label} must be {max} characters or fewer (it has {})", char_len(&value)));
        }
        value
    }

    pub(crate) fn single_line(&mut self, field: &str, label: &str, raw: &str, required: bool, max: usize) -> String {
        let value = self.text(field, label, raw, required, max);
        value.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    pub(crate) fn choice<T: Copy>(&mut self, field: &str, message: &str, raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let parsed = parse(raw.trim());
        if parsed.is_none() {
            self.errors.add(field, message);
        }
        parsed
    }

    /// A web address, or nothing.
    pub(crate) fn optional_url(&mut self, field: &str, label: &str, raw: &str) -> String {
        if raw.trim().is_empty() {
            String::new()
        } else {
            self.url(field, label, raw)
        }
    }

    /// The slug typed, or one made from `name` when none was; the site's own words refused.
    pub(crate) fn slug(&mut self, field: &str, raw: &str, name: &str, max: usize) -> String {
        let typed = raw.trim();
        let slug = slugify(if typed.is_empty() { name } else { typed }, max);
        if !typed.is_empty() && slug != typed {
            self.errors.add(field, "The web address may only use lower-case letters, digits and single hyphens, like open-data-network");
        } else if slug.is_empty() && !name.trim().is_empty() {
            self.errors.add(field, "Enter a web address made of letters and digits");
        } else if RESERVED_SLUGS.contains(&slug.as_str()) {
            self.errors.add(field, format!("“{slug}” is used by the site itself: choose another web address"));
        }
        slug
    }

    /// The checked value, or every problem found.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }

    fn date(&mut self, field: &str, label: &str, raw: &str) -> Option<NaiveDate> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(date) if (1990..=2100).contains(&chrono::Datelike::year(&date)) => Some(date),
            Ok(_) => {
                self.errors.add(field, format!("{label} must be between 1990 and 2100"));
                None
            }
            Err(_) => {
                self.errors.add(field, format!("{label} must be a real date, like 2024-03-27"));
                None
            }
        }
    }

    pub(crate) fn url(&mut self, field: &str, label: &str, raw: &str) -> String {
        let value = self.single_line(field, label, raw, true, limits::URL);
        let lower = value.to_ascii_lowercase();
        let has_host = lower
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().is_some_and(|host| host.contains('.') || host.starts_with("localhost")))
            .unwrap_or(false);
        if !value.is_empty()
            && (!(lower.starts_with("https://") || lower.starts_with("http://")) || !has_host || value.contains(char::is_whitespace))
        {
            self.errors.add(field, format!("{label} must be a web address starting with https:// or http://"));
        }
        value
    }
}

/// Checks every field of `form` against the rules and the choices that exist.
/// Field ids in errors match the form's input ids (dataset fields carry their row number).
pub fn validate(form: &CaseStudyForm, patterns: &[Link], organisations: &[Link]) -> Result<ValidCaseStudy, FieldErrors> {
    let mut c = Checker { errors: FieldErrors::default() };
    let title = c.single_line("title", "Title", &form.title, true, limits::TITLE);
    let summary = c.single_line("summary", "Summary", &form.summary, true, limits::SUMMARY);
    let service_area = c.choice("service_area", "Select the service area", &form.service_area, ServiceArea::from_slug);
    let phase = c.choice("phase", "Select the phase the service reached", &form.phase, Phase::from_slug);
    let region = c.single_line("region", "Region", &form.region, true, limits::REGION);
    let start_date = c.date("start_date", "Start date", &form.start_date);
    let end_date = c.date("end_date", "End date", &form.end_date);
    if let (Some(start), Some(end)) = (start_date, end_date) {
        if end < start {
            c.errors.add("end_date", "End date must be the same as or after the start date");
        }
    }
    let body = c.text("body", "Story", &form.body, true, limits::BODY);
    if c.errors.get("body").is_none() {
        for problem in crate::markdown::image_problems(&body) {
            c.errors.add("body", problem);
        }
    }
    let outcomes = c.text("outcomes", "Outcomes", &form.outcomes, false, limits::LONG_TEXT);
    let lessons = c.text("lessons", "Lessons learned", &form.lessons, false, limits::LONG_TEXT);
    let contact = c.single_line("contact", "Contact", &form.contact, false, limits::CONTACT);

    let licence = if form.licence.trim().is_empty() {
        Some(Licence::default())
    } else {
        c.choice("licence", "Select a licence from the list", &form.licence, Licence::from_slug)
    };
    let status = c.choice("status", "Select whether to save a draft, publish or archive", &form.status, Status::from_slug);

    let mut practices = Vec::new();
    // More choices than there are practices cannot all be from the list: nothing to look at.
    let chosen = if form.practices.len() > Practice::ALL.len() { None } else { Some(&form.practices) };
    for raw in chosen.into_iter().flatten() {
        match Practice::from_slug(raw) {
            Some(practice) if !practices.contains(&practice) => practices.push(practice),
            Some(_) => {}
            None => {
                practices.clear();
                break;
            }
        }
    }
    if practices.is_empty() && !form.practices.is_empty() {
        c.errors.add("practices", "Select practices from the list");
    }

    let chosen_patterns = known_choices(&mut c, "patterns", "patterns", &form.patterns, patterns);
    if chosen_patterns.is_empty() && c.errors.get("patterns").is_none() {
        c.errors.add("patterns", "Select at least one pattern");
    }
    let chosen_organisations = known_choices(&mut c, "organisations", "organisations", &form.organisations, organisations);

    let tags = parse_tags(&form.tags, limits::TAGS);
    if tags.len() > limits::TAGS {
        c.errors.add("tags", format!("Enter {} tags or fewer", limits::TAGS));
    } else if let Some((_, long)) = tags.iter().find(|(_, name)| char_len(name) > limits::TAG) {
        c.errors.add("tags", format!("Each tag must be {} characters or fewer: shorten \"{long}\"", limits::TAG));
    }

    let mut rows: Vec<_> = form.dataset_rows().into_iter().enumerate().filter(|(_, row)| !row.is_blank()).collect();
    if rows.len() > limits::DATASETS {
        // Too many is the one thing to say: no row is looked at.
        c.errors.add("datasets", format!("Link {} datasets or fewer", limits::DATASETS));
        rows.clear();
    }
    let mut datasets: Vec<ValidDataset> = Vec::new();
    let mut urls = std::collections::HashSet::new();
    for (index, row) in rows {
        let n = index + 1;
        let dataset = ValidDataset {
            title: c.single_line(&format!("dataset_title_{n}"), &format!("Dataset {n} title"), &row.title, false, limits::DATASET_TITLE),
            url: c.url(&format!("dataset_url_{n}"), &format!("Dataset {n} web address"), &row.url),
            publisher: c.single_line(
                &format!("dataset_publisher_{n}"),
                &format!("Dataset {n} publisher"),
                &row.publisher,
                false,
                limits::SHORT_TEXT,
            ),
            licence: c.single_line(
                &format!("dataset_licence_{n}"),
                &format!("Dataset {n} licence"),
                &row.licence,
                false,
                limits::SHORT_TEXT,
            ),
            format: c.single_line(&format!("dataset_format_{n}"), &format!("Dataset {n} format"), &row.format, false, 60),
            usage: c.text(&format!("dataset_usage_{n}"), &format!("How the service uses dataset {n}"), &row.usage, false, limits::USAGE),
            prefer_own: row.keep_own,
        };
        if !urls.insert(dataset.url.to_ascii_lowercase()) {
            c.errors.add(format!("dataset_url_{n}"), format!("Dataset {n} is already linked above"));
        }
        datasets.push(dataset);
    }

    match (service_area, phase, status, licence) {
        (Some(service_area), Some(phase), Some(status), Some(licence)) if c.errors.is_empty() => Ok(ValidCaseStudy {
            title,
            summary,
            body,
            service_area,
            phase,
            status,
            region,
            start_date,
            end_date,
            outcomes,
            lessons,
            contact,
            licence,
            practices,
            patterns: chosen_patterns,
            organisations: chosen_organisations,
            tags: tags.into_iter().map(|(_, name)| name).collect(),
            datasets,
        }
        .canonical()),
        _ => Err(c.errors),
    }
}

fn known_choices(c: &mut Checker, field: &str, what: &str, chosen: &[String], known: &[Link]) -> Vec<String> {
    let mut result: Vec<String> = Vec::new();
    if chosen.len() > known.len() {
        c.errors.add(field, format!("Select {what} from the list"));
        return result;
    }
    for slug in chosen {
        if !known.iter().any(|k| &k.slug == slug) {
            c.errors.add(field, format!("Select {what} from the list"));
            return Vec::new();
        }
        if !result.contains(slug) {
            result.push(slug.clone());
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(slugs: &[&str]) -> Vec<Link> {
        slugs.iter().map(|s| Link { slug: s.to_string(), name: s.to_string() }).collect()
    }

    fn good_form() -> CaseStudyForm {
        CaseStudyForm {
            title: "  Bin   day finder ".into(),
            summary: "Residents check their bin day online.".into(),
            body: "## The problem\r\nCalls.".into(),
            service_area: "waste-and-recycling".into(),
            phase: "live".into(),
            status: "published".into(),
            region: "North West England".into(),
            start_date: "2023-01-05".into(),
            end_date: "2024-02-01".into(),
            tags: "Bins, bins, UPRN".into(),
            practices: vec!["user-research".into(), "user-research".into()],
            patterns: vec!["engage-with-services".into()],
            organisations: vec!["northshire".into()],
            dataset_title: vec!["Collection rounds".into(), "".into()],
            dataset_url: vec!["https://data.example.org/rounds".into(), "".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_is_valid_and_normalised() {
        let valid = validate(&good_form(), &links(&["engage-with-services"]), &links(&["northshire"])).expect("valid");
        assert_eq!(valid.title, "Bin day finder");
        assert_eq!(valid.body, "## The problem\nCalls.");
        assert_eq!(valid.tags, vec!["bins", "uprn"]);
        assert_eq!(valid.practices, vec![Practice::UserResearch]);
        assert_eq!(valid.licence, Licence::CcBy4);
        assert_eq!(valid.datasets.len(), 1, "blank dataset rows are ignored");
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let form = CaseStudyForm {
            title: "x".repeat(limits::TITLE + 1),
            summary: "   ".into(),
            service_area: "space".into(),
            phase: "".into(),
            status: "published".into(),
            region: "Wales".into(),
            body: "Story".into(),
            start_date: "2024-02-30".into(),
            end_date: "".into(),
            patterns: vec!["made-up".into()],
            organisations: vec![],
            dataset_title: vec!["".into()],
            dataset_url: vec!["javascript:alert(1)".into()],
            ..Default::default()
        };
        let errors = validate(&form, &links(&["engage-with-services"]), &[]).expect_err("invalid");
        for field in ["title", "summary", "service_area", "phase", "start_date", "patterns", "dataset_url_1"] {
            assert!(errors.get(field).is_some(), "no error for {field}: {errors:?}");
        }
        assert!(errors.get("title").is_some_and(|m| m.contains("150 characters or fewer")));
    }

    #[test]
    fn end_date_cannot_precede_start_date() {
        let mut form = good_form();
        form.start_date = "2024-05-01".into();
        form.end_date = "2024-04-30".into();
        let errors = validate(&form, &links(&["engage-with-services"]), &links(&["northshire"])).expect_err("invalid");
        assert!(errors.get("end_date").is_some());
    }

    #[test]
    fn a_pattern_is_required_and_tags_are_limited() {
        let mut form = good_form();
        form.patterns.clear();
        form.tags = (0..=limits::TAGS).map(|i| format!("tag {i}")).collect::<Vec<_>>().join(",");
        let errors = validate(&form, &links(&["engage-with-services"]), &links(&["northshire"])).expect_err("invalid");
        assert_eq!(errors.get("patterns"), Some("Select at least one pattern"));
        assert!(errors.get("tags").is_some());
    }

    /// A signed-in post of 100,000 tags or dataset rows once held a core for 17.8 s while they
    /// were deduplicated pairwise; the limits now apply before that work.
    #[test]
    fn too_many_tags_or_datasets_are_refused_before_any_work_on_them() {
        let tags = (0..100_000).map(|i| format!("tag {i}")).collect::<Vec<_>>().join(",");
        assert_eq!(parse_tags(&tags, limits::TAGS).len(), limits::TAGS + 1, "parsing stops at one past the limit");

        let mut form = good_form();
        form.tags = tags;
        form.dataset_url = (0..100_000).map(|i| format!("https://data.example/{}", i % 7)).collect();
        form.dataset_title = vec!["Same".to_string(); 100_000];
        form.practices = vec!["agile-delivery".to_string(); 100_000];
        form.organisations = vec!["northshire".to_string(); 100_000];
        let errors = validate(&form, &links(&["engage-with-services"]), &links(&["northshire"])).expect_err("invalid");
        assert_eq!(errors.get("tags"), Some("Enter 12 tags or fewer"));
        assert_eq!(errors.get("datasets"), Some("Link 20 datasets or fewer"));
        assert!(errors.get("practices").is_some() && errors.get("organisations").is_some());
        assert!(errors.len() <= 6, "one message per field, not one per row: {errors:?}");
    }
}
