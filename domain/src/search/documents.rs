//! What the search engines index for a published case study, read from the database a batch
//! at a time with a fixed number of queries per batch.
use sea_orm::{ConnectionTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::case_studies::cards::{datasets_of, networks_of, organisations_of, patterns_of, published_by_ids, tags_of};
use crate::entities::case_study;
use crate::markdown::plain_text;
use crate::DomainError;

/// One case study as both engines store it. Text fields are searched; the singular fields
/// (`pattern`, `organisation`, ...) hold slugs and values to filter and count by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchDocument {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tags: Vec<String>,
    pub patterns: Vec<String>,
    pub organisations: Vec<String>,
    pub datasets: Vec<String>,
    pub pattern: Vec<String>,
    pub service_area: String,
    pub phase: String,
    pub organisation: Vec<String>,
    pub region: String,
    pub publisher: Vec<String>,
    pub tag: Vec<String>,
    /// Slugs of the networks it is shared in (approved there, not hidden).
    pub network: Vec<String>,
    /// `open` when any dataset it uses is under an open licence.
    pub licence: Vec<String>,
    /// The conditions of the datasets it uses (`available`, `withdrawn`, ...).
    pub dataset_health: Vec<String>,
    /// Seconds since 1970, for newest first.
    pub published_at: i64,
}

impl SearchDocument {
    /// The searched text, field by field: title, summary, tags, patterns, organisations, body,
    /// datasets.
    pub(crate) fn searched_text(&self) -> [Vec<&str>; 7] {
        fn all(values: &[String]) -> Vec<&str> {
            values.iter().map(String::as_str).collect()
        }
        [
            vec![self.title.as_str()],
            vec![self.summary.as_str()],
            all(&self.tags),
            all(&self.patterns),
            all(&self.organisations),
            vec![self.body.as_str()],
            all(&self.datasets),
        ]
    }

    /// The values of one filter dimension.
    pub fn values(&self, dimension: super::Dimension) -> Vec<&str> {
        use super::Dimension::*;
        match dimension {
            Pattern => self.pattern.iter().map(String::as_str).collect(),
            ServiceArea => vec![self.service_area.as_str()],
            Phase => vec![self.phase.as_str()],
            Organisation => self.organisation.iter().map(String::as_str).collect(),
            Region => vec![self.region.as_str()],
            Publisher => self.publisher.iter().map(String::as_str).collect(),
            Tag => self.tag.iter().map(String::as_str).collect(),
            Network => self.network.iter().map(String::as_str).collect(),
            Licence => self.licence.iter().map(String::as_str).collect(),
            DatasetHealth => self.dataset_health.iter().map(String::as_str).collect(),
        }
    }
}

/// The documents of those of `ids` that are published; the others have no document.
pub async fn load(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<SearchDocument>, DomainError> {
    let models = published_by_ids(db, ids.to_vec()).await?;
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let mut organisations = organisations_of(db, &ids).await?;
    let mut patterns = patterns_of(db, &ids).await?;
    let mut tags = tags_of(db, &ids).await?;
    let mut datasets = datasets_of(db, &ids).await?;
    let mut networks = networks_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let organisations = organisations.remove(&m.id).unwrap_or_default();
            let patterns = patterns.remove(&m.id).unwrap_or_default();
            let tags = tags.remove(&m.id).unwrap_or_default();
            let datasets: Vec<_> = datasets.remove(&m.id).unwrap_or_default().into_iter().map(|(dataset, _)| dataset).collect();
            let service_area = m.service_area;
            let mut publisher: Vec<String> = datasets
                .iter()
                .map(|d| d.resolved_publisher.clone().unwrap_or_else(|| d.publisher.clone()))
                .filter(|p| !p.is_empty())
                .collect();
            let licence = if datasets.iter().any(|d| d.licence_open == Some(true)) { vec!["open".to_string()] } else { Vec::new() };
            let mut dataset_health: Vec<String> = datasets.iter().map(|d| crate::datasets::condition(d).slug().to_string()).collect();
            dataset_health.sort();
            dataset_health.dedup();
            publisher.sort();
            publisher.dedup();
            let body = [plain_text(&m.body), m.outcomes, m.lessons, service_area.label().to_string(), m.region.clone()].join("\n");
            SearchDocument {
                id: m.id,
                slug: m.slug,
                title: m.title,
                summary: m.summary,
                body,
                tags: tags.iter().map(|t| t.name.clone()).collect(),
                patterns: patterns.iter().map(|p| p.name.clone()).collect(),
                organisations: organisations.iter().map(|o| o.name.clone()).collect(),
                datasets: datasets
                    .iter()
                    .map(|d| {
                        format!(
                            "{} {} {}",
                            d.resolved_title.as_deref().unwrap_or(&d.title),
                            d.title,
                            d.resolved_publisher.as_deref().unwrap_or(&d.publisher)
                        )
                    })
                    .collect(),
                pattern: patterns.into_iter().map(|p| p.slug).collect(),
                service_area: service_area.slug().to_string(),
                phase: m.phase.slug().to_string(),
                organisation: organisations.into_iter().map(|o| o.slug).collect(),
                region: m.region,
                publisher,
                tag: tags.into_iter().map(|t| t.slug).collect(),
                network: networks.remove(&m.id).unwrap_or_default(),
                licence,
                dataset_health,
                published_at: m.published_at.unwrap_or(m.updated_at).timestamp(),
            }
        })
        .collect())
}

/// Every published case study's id, in order, for rebuilding an index in batches.
pub async fn published_ids(db: &impl ConnectionTrait) -> Result<Vec<i32>, DomainError> {
    Ok(crate::case_studies::published()
        .select_only()
        .column(case_study::Column::Id)
        .order_by_asc(case_study::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}
