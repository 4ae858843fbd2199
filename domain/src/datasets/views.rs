//! A dataset row as pages show it.
use chrono::Utc;

use super::health::condition;
use super::metadata::web_address;
use crate::entities::{case_study_dataset, dataset};
use crate::text::{date_text, timestamp_text};
use crate::views::{DatasetHealthView, DatasetView, LicenceView, Link, LinkedDataset, ResolvedDataset};
use crate::vocabulary::{DatasetCondition, PortalKind};

pub fn resolved(d: &dataset::Model) -> Option<ResolvedDataset> {
    let title = d.resolved_title.clone()?;
    let resolved_at = d.resolved_at?;
    let publisher = match (&d.resolved_publisher, &d.publisher_slug) {
        (Some(name), Some(slug)) => Some(Link { slug: slug.clone(), name: name.clone() }),
        _ => None,
    };
    let licence = d.licence_title.clone().or_else(|| d.licence_url.clone()).map(|title| LicenceView {
        title,
        // Rows saved before addresses were checked may hold any scheme.
        url: d.licence_url.as_deref().and_then(web_address),
        open: d.licence_open,
    });
    Some(ResolvedDataset {
        title,
        description: d.description.clone().unwrap_or_default(),
        publisher,
        licence,
        formats: d.formats.as_deref().unwrap_or("").split(", ").filter(|f| !f.is_empty()).map(str::to_string).collect(),
        resource_count: d.resource_count,
        modified: d.source_modified_at.map(|m| date_text(m.date_naive())),
        frequency: d.update_frequency.clone(),
        source: d.portal_kind.as_deref().and_then(PortalKind::from_slug).map_or("the portal", |k| k.label()).to_string(),
        source_url: d.api_url.clone().unwrap_or_else(|| d.url.clone()),
        resolved_at: timestamp_text(resolved_at),
    })
}

/// The one sentence people read about a dataset's health.
pub fn health(d: &dataset::Model) -> DatasetHealthView {
    let day = |at: chrono::DateTime<Utc>| date_text(at.date_naive()).display;
    let condition = condition(d);
    let summary = match condition {
        DatasetCondition::Withdrawn => format!("Withdrawn since {}", d.withdrawn_since.map(day).unwrap_or_default()),
        DatasetCondition::Moved => format!("Moved to {}", d.health_detail.clone().unwrap_or_default()),
        DatasetCondition::Private => "Private: the portal no longer shows it to the public".to_string(),
        DatasetCondition::Stale => match d.source_modified_at {
            Some(at) => format!("Not updated since {}", day(at)),
            None => "Not updated on time".to_string(),
        },
        DatasetCondition::Unavailable => format!("Unavailable at the last check: {}", d.health.label().to_lowercase()),
        DatasetCondition::Unchecked if super::health::not_yet_reached(d) => "Not checked yet: its portal could not be reached".to_string(),
        DatasetCondition::Unchecked => "Not checked yet".to_string(),
        DatasetCondition::Available => "Available".to_string(),
    };
    // Checks that keep dying stop until an admin asks for one; that is said whatever the last check found.
    let summary = match (&d.held_since, &d.check_problem) {
        (Some(_), problem) => format!("{summary}. Checks are paused: {}", problem.as_deref().unwrap_or("they kept failing")),
        _ => summary,
    };
    DatasetHealthView { condition, summary, checked_at: d.checked_at.map(timestamp_text) }
}

pub fn dataset_view(d: &dataset::Model) -> DatasetView {
    DatasetView {
        id: d.id,
        title: d.title.clone(),
        url: d.url.clone(),
        publisher: d.publisher.clone(),
        licence: d.licence.clone(),
        format: d.format.clone(),
        resolved: resolved(d),
        health: health(d),
    }
}

pub fn linked(d: &dataset::Model, link: &case_study_dataset::Model) -> LinkedDataset {
    LinkedDataset { dataset: dataset_view(d), usage: link.usage.clone(), prefer_own: link.prefer_own }
}
