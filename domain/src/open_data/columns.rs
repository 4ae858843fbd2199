//! The CSV columns of the dumps, each described once: the export writes them, the `/data` page
//! lists them, and the importer reads them back.
use super::records::{CaseStudyRecord, Named};
use crate::views::{ColumnView, DownloadView};

pub struct Column {
    pub name: &'static str,
    pub description: &'static str,
}

const fn column(name: &'static str, description: &'static str) -> Column {
    Column { name, description }
}

/// The downloads as the open data page lists them.
pub fn downloads() -> Vec<DownloadView> {
    let columns = |list: &[Column]| list.iter().map(|c| ColumnView { name: c.name.into(), description: c.description.into() }).collect();
    vec![
        DownloadView {
            file: super::CSV.into(),
            title: "Case studies".into(),
            format: "CSV".into(),
            description: "One row for each published case study.".into(),
            columns: columns(CASE_STUDY_COLUMNS),
        },
        DownloadView {
            file: super::DATASETS_CSV.into(),
            title: "Datasets used by case studies".into(),
            format: "CSV".into(),
            description: "One row for each dataset a case study uses, with how the service uses it.".into(),
            columns: columns(DATASET_COLUMNS),
        },
        DownloadView {
            file: super::JSON.into(),
            title: "Case studies".into(),
            format: "JSON".into(),
            description: "Every published case study as an array of records, the same records the API gives, with lists as arrays and each dataset as an object. An import reads this file back.".into(),
            columns: Vec::new(),
        },
    ]
}

/// Where a cell holds several values, they are separated by this.
pub const LIST_SEPARATOR: &str = "; ";

pub const CASE_STUDY_COLUMNS: &[Column] = &[
    column("id", "The case study's stable identifier (its address on the site). An import recognises a row again by it."),
    column("url", "The case study's page."),
    column("title", "Its title."),
    column("summary", "One or two sentences on what the service does."),
    column("body", "The story: the problem, the service and how it was built, in Markdown."),
    column("service_area", "The area of public service, one of the site's service area slugs (for example `waste-and-recycling`)."),
    column("phase", "How far the service got: `discovery`, `alpha`, `beta`, `live` or `retired`."),
    column("region", "Where the service runs."),
    column("start_date", "When the work started, as YYYY-MM-DD, or empty."),
    column("end_date", "When it ended, as YYYY-MM-DD, or empty."),
    column("outcomes", "What changed for people, with figures where known."),
    column("lessons", "What the team learned."),
    column("practices", "Ways of working the team used, as practice slugs separated by `; `."),
    column("contact", "How to reach the team: an address or a web page."),
    column("licence", "The licence of this row's content, as an SPDX identifier (for example `CC-BY-4.0`)."),
    column("licence_url", "The licence's own page."),
    column("patterns", "Why the open data was released, as pattern slugs separated by `; `."),
    column("organisations", "The organisations behind the service, by name, separated by `; `."),
    column("organisation_ids", "The same organisations' slugs (`/organisations/<slug>`), in the same order."),
    column("tags", "Tags, by name, separated by `; `."),
    column("networks", "The networks it is shared in, by slug, separated by `; `."),
    column(
        "datasets",
        "The addresses of the datasets it uses, separated by `; `; `case-study-datasets.csv` has one row for each, with the usage note.",
    ),
    column("published_at", "When it was first published (RFC 3339)."),
    column("updated_at", "When it last changed (RFC 3339)."),
];

pub const DATASET_COLUMNS: &[Column] = &[
    column("case_study_id", "The `id` of the case study using the dataset."),
    column("dataset_id", "The dataset's number on this site (`/datasets/<number>`)."),
    column("url", "The dataset's address on its portal."),
    column("title", "The dataset's title, as the case study's author gave it."),
    column("publisher", "Who publishes it, as the author gave it."),
    column("licence", "Its licence, as the author gave it."),
    column("format", "Its formats, as the author gave them."),
    column("usage", "How the service uses the dataset, in the author's words."),
    column(
        "health",
        "Its condition at the last check: `available`, `stale`, `moved`, `private`, `unavailable`, `withdrawn` or `unchecked`.",
    ),
    column("licence_of_row", "The licence of this row, the case study's (an SPDX identifier)."),
];

/// A spreadsheet reads a cell starting with one of these as a formula; the export puts an
/// apostrophe before it so that it stays text (OWASP's advice), and the importer takes it off.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The inverse of `neutralise`, for cells read back from an export.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

fn names(named: &[Named]) -> String {
    named.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(LIST_SEPARATOR)
}

fn slugs(named: &[Named]) -> String {
    named.iter().map(|n| n.slug.as_str()).collect::<Vec<_>>().join(LIST_SEPARATOR)
}

pub fn case_study_row(r: &CaseStudyRecord) -> Vec<String> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let cells = [
        r.id.clone(),
        r.url.clone(),
        r.title.clone(),
        r.summary.clone(),
        r.body.clone(),
        r.service_area.slug().to_string(),
        r.phase.slug().to_string(),
        r.region.clone(),
        date(r.start_date),
        date(r.end_date),
        r.outcomes.clone(),
        r.lessons.clone(),
        r.practices.iter().map(|p| p.slug()).collect::<Vec<_>>().join(LIST_SEPARATOR),
        r.contact.clone(),
        r.licence.slug().to_string(),
        r.licence_url.clone(),
        slugs(&r.patterns),
        names(&r.organisations),
        slugs(&r.organisations),
        names(&r.tags),
        slugs(&r.networks),
        r.datasets.iter().map(|d| d.url.as_str()).collect::<Vec<_>>().join(LIST_SEPARATOR),
        r.published_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        r.updated_at.to_rfc3339(),
    ];
    cells.iter().map(|c| neutralise(c)).collect()
}

pub fn dataset_rows(r: &CaseStudyRecord) -> impl Iterator<Item = Vec<String>> + '_ {
    r.datasets.iter().map(|d| {
        let cells = [
            r.id.clone(),
            d.dataset_id.map(|id| id.to_string()).unwrap_or_default(),
            d.url.clone(),
            d.title.clone(),
            d.publisher.clone(),
            d.licence.clone(),
            d.format.clone(),
            d.usage.clone(),
            d.health.map(|h| h.slug().to_string()).unwrap_or_default(),
            r.licence.slug().to_string(),
        ];
        cells.iter().map(|c| neutralise(c)).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_kept_as_text_and_come_back_unchanged() {
        for cell in ["=HYPERLINK(\"http://evil\",\"x\")", "+1", "-5% waste", "@SUM(A1)", "\tx"] {
            let out = neutralise(cell);
            assert!(out.starts_with('\''), "{cell:?}");
            assert_eq!(restore(&out), cell);
        }
        assert_eq!(neutralise("Bins"), "Bins");
        assert_eq!(restore("'quoted"), "'quoted", "an apostrophe the export did not add stays");
    }

    #[test]
    fn every_row_has_a_cell_for_every_column() {
        assert_eq!(CASE_STUDY_COLUMNS.len(), 24);
        assert_eq!(DATASET_COLUMNS.len(), 10);
    }
}
