//! Datasets as pages show them: linked from a case study, on their own page, by publisher, and
//! in the health list.
use serde::{Deserialize, Serialize};

use super::case_studies::CaseStudyCard;
use super::common::{DateText, Link};
use crate::vocabulary::{CheckOutcome, DatasetCondition};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenceView {
    pub title: String,
    pub url: Option<String>,
    /// `None` when it is not a licence Casebook knows.
    pub open: Option<bool>,
}

/// What a dataset's portal says about it, once it has said anything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedDataset {
    pub title: String,
    pub description: String,
    pub publisher: Option<Link>,
    pub licence: Option<LicenceView>,
    pub formats: Vec<String>,
    pub resource_count: Option<i32>,
    pub modified: Option<DateText>,
    pub frequency: Option<String>,
    /// Which reader found it ("CKAN", "DCAT", ...).
    pub source: String,
    pub source_url: String,
    pub resolved_at: DateText,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetHealthView {
    pub condition: DatasetCondition,
    /// One sentence: "Withdrawn since 3 March 2026", "Moved to ...", "Available".
    pub summary: String,
    pub checked_at: Option<DateText>,
}

impl DatasetHealthView {
    /// Worth a warning to the case study's authors.
    pub fn is_problem(&self) -> bool {
        !matches!(self.condition, DatasetCondition::Available | DatasetCondition::Unchecked)
    }
}

/// A dataset as a case study links it: the dataset (what its first author typed and what the
/// portal says), this case study's note, and which details its author chose to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkedDataset {
    pub dataset: DatasetView,
    pub usage: String,
    pub prefer_own: bool,
}

/// The details a page shows for a linked dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownDataset {
    pub title: String,
    pub publisher: Option<Link>,
    pub publisher_name: String,
    pub licence: Option<LicenceView>,
    pub formats: String,
}

impl LinkedDataset {
    /// What this case study shows of the dataset, as its author chose.
    pub fn shown(&self) -> ShownDataset {
        self.dataset.shown(self.prefer_own)
    }
}

impl DatasetView {
    /// The portal's details unless `prefer_own` or there are none yet; an empty typed value is
    /// filled from the portal either way.
    pub fn shown(&self, prefer_own: bool) -> ShownDataset {
        let d = self;
        let typed_licence = (!d.licence.is_empty()).then(|| LicenceView { title: d.licence.clone(), url: None, open: None });
        match &d.resolved {
            Some(r) if !prefer_own => ShownDataset {
                title: r.title.clone(),
                publisher_name: r.publisher.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| d.publisher.clone()),
                publisher: r.publisher.clone(),
                licence: r.licence.clone().or(typed_licence),
                formats: if r.formats.is_empty() { d.format.clone() } else { r.formats.join(", ") },
            },
            resolved => {
                let resolved = resolved.as_ref();
                let or = |typed: &str, found: Option<String>| if typed.is_empty() { found.unwrap_or_default() } else { typed.to_string() };
                ShownDataset {
                    title: or(&d.title, resolved.map(|r| r.title.clone())),
                    publisher: None,
                    publisher_name: or(&d.publisher, resolved.and_then(|r| r.publisher.as_ref().map(|p| p.name.clone()))),
                    licence: typed_licence.or_else(|| resolved.and_then(|r| r.licence.clone())),
                    formats: or(&d.format, resolved.map(|r| r.formats.join(", "))),
                }
            }
        }
        .or_url(&d.url)
    }
}

impl ShownDataset {
    /// A dataset nobody has named yet is called by its address.
    fn or_url(mut self, url: &str) -> ShownDataset {
        if self.title.is_empty() {
            self.title = url.to_string();
        }
        self
    }
}

/// One check in a dataset's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckView {
    pub at: DateText,
    pub outcome: CheckOutcome,
    pub status: Option<i32>,
    pub detail: Option<String>,
}

/// A case study using a dataset, with what it says about how.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetUse {
    pub card: CaseStudyCard,
    pub usage: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetView {
    pub id: i32,
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub licence: String,
    pub format: String,
    pub resolved: Option<ResolvedDataset>,
    pub health: DatasetHealthView,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetPage {
    pub dataset: DatasetView,
    pub uses: Vec<DatasetUse>,
    /// Newest first, the latest 30.
    pub checks: Vec<CheckView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublisherPage {
    pub publisher: Link,
    pub datasets: Vec<DatasetView>,
    /// Published case studies using any of its datasets.
    pub services: Vec<CaseStudyCard>,
}

/// A dataset with a problem, for organisers and admins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetProblem {
    pub dataset: DatasetView,
    pub case_studies: Vec<Link>,
    /// Its checks are paused, and the viewer may ask for one again.
    pub may_check_again: bool,
}

/// What a look-up of one address found, for the editor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetLookupView {
    pub url: String,
    pub title: String,
    pub publisher: String,
    pub licence: String,
    pub formats: String,
    /// Which reader found it ("CKAN", "DCAT", ...); empty when nothing was found.
    pub source: String,
    /// Why nothing was found, for people.
    pub problem: Option<String>,
}
