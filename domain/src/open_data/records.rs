//! The public shape of Casebook's content: one record per published case study, with stable
//! field names, shared by the API, the bulk dumps and the importer.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::case_studies::cards;
use crate::entities::{case_study, network};
use crate::paths;
use crate::views::{cursor_page, ListFilters};
use crate::vocabulary::{DatasetCondition, Licence, Phase, Practice, ServiceArea};
use crate::DomainError;

/// Something with a page of its own on the site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

impl From<crate::views::Link> for Named {
    fn from(link: crate::views::Link) -> Self {
        Named { slug: link.slug, name: link.name }
    }
}

/// A dataset a case study uses, as its author linked it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DatasetUse {
    /// The dataset's number on this site (`/api/v1/datasets/{id}`); left out on import.
    #[serde(default)]
    pub dataset_id: Option<i32>,
    pub url: String,
    /// What the author typed; the portal's own details are on the dataset.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub publisher: String,
    #[serde(default)]
    pub licence: String,
    #[serde(default)]
    pub format: String,
    /// How the service uses the dataset, in the author's words.
    #[serde(default)]
    pub usage: String,
    /// The author chose to show what they typed over what the portal says.
    #[serde(default)]
    pub keep_own_details: bool,
    /// Its condition at the last check; left out on import.
    #[serde(default)]
    pub health: Option<DatasetCondition>,
}

/// One published case study.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseStudyRecord {
    /// The case study's slug: stable, and the key an import recognises it by again.
    pub id: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    /// The story, in Markdown.
    pub body: String,
    pub service_area: ServiceArea,
    pub phase: Phase,
    pub region: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub outcomes: String,
    pub lessons: String,
    pub practices: Vec<Practice>,
    pub contact: String,
    /// The licence this write-up is shared under (an SPDX identifier).
    pub licence: Licence,
    pub licence_url: String,
    pub patterns: Vec<Named>,
    pub organisations: Vec<Named>,
    pub tags: Vec<Named>,
    pub datasets: Vec<DatasetUse>,
    /// The networks it is shared in.
    pub networks: Vec<Named>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Records for these case studies, in their order: one query per kind of link for the batch.
pub(crate) async fn records_of(
    db: &impl ConnectionTrait,
    models: Vec<case_study::Model>,
    base: &str,
) -> Result<Vec<CaseStudyRecord>, DomainError> {
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let mut organisations = cards::organisations_of(db, &ids).await?;
    let mut patterns = cards::patterns_of(db, &ids).await?;
    let mut tags = cards::tags_of(db, &ids).await?;
    let mut datasets = cards::datasets_of(db, &ids).await?;
    let mut networks = networks_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let mut tags: Vec<Named> =
                tags.remove(&m.id).unwrap_or_default().into_iter().map(|t| Named { slug: t.slug, name: t.name }).collect();
            tags.sort_by(|a, b| a.name.cmp(&b.name));
            let mut datasets: Vec<DatasetUse> = datasets
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(d, link)| DatasetUse {
                    dataset_id: Some(d.id),
                    health: Some(crate::datasets::condition(&d)),
                    url: d.url,
                    title: d.title,
                    publisher: d.publisher,
                    licence: d.licence,
                    format: d.format,
                    usage: link.usage,
                    keep_own_details: link.prefer_own,
                })
                .collect();
            datasets.sort_by(|a, b| a.url.cmp(&b.url));
            CaseStudyRecord {
                url: format!("{base}{}", paths::case_study(&m.slug)),
                patterns: patterns.remove(&m.id).unwrap_or_default().into_iter().map(Named::from).collect(),
                organisations: organisations.remove(&m.id).unwrap_or_default().into_iter().map(Named::from).collect(),
                networks: networks.remove(&m.id).unwrap_or_default(),
                practices: m.practices.split(',').filter_map(Practice::from_slug).collect(),
                licence_url: m.licence.url().to_string(),
                tags,
                datasets,
                id: m.slug,
                title: m.title,
                summary: m.summary,
                body: m.body,
                service_area: m.service_area,
                phase: m.phase,
                region: m.region,
                start_date: m.start_date,
                end_date: m.end_date,
                outcomes: m.outcomes,
                lessons: m.lessons,
                contact: m.contact,
                licence: m.licence,
                published_at: m.published_at,
                updated_at: m.updated_at,
            }
        })
        .collect())
}

/// The networks each case study is shared in (approved and not hidden), with names.
async fn networks_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<Named>>, DomainError> {
    let slugs = cards::networks_of(db, ids).await?;
    let all: Vec<String> = slugs.values().flatten().cloned().collect();
    let names: HashMap<String, String> =
        network::Entity::find().filter(network::Column::Slug.is_in(all)).all(db).await?.into_iter().map(|n| (n.slug, n.name)).collect();
    Ok(slugs
        .into_iter()
        .map(|(id, slugs)| {
            let named = slugs.into_iter().filter_map(|slug| names.get(&slug).map(|name| Named { name: name.clone(), slug })).collect();
            (id, named)
        })
        .collect())
}

/// Filters for listing case studies through the API: the list page's, by slug.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RecordFilters {
    pub pattern: Option<String>,
    pub service_area: Option<ServiceArea>,
    pub phase: Option<Phase>,
    pub organisation: Option<String>,
    pub tag: Option<String>,
    pub network: Option<String>,
}

/// One page of records, newest first, and where the next starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RecordPage {
    pub items: Vec<CaseStudyRecord>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Up to `limit` published case studies matching `filters` whose ids are below `before`, newest
/// (highest id) first. Ids never change, so a cursor stays valid while others publish.
pub async fn page(
    db: &impl ConnectionTrait,
    filters: &RecordFilters,
    before: Option<u64>,
    limit: u64,
    base: &str,
) -> Result<RecordPage, DomainError> {
    let list_filters = ListFilters {
        pattern: filters.pattern.clone(),
        service_area: filters.service_area.map(|a| a.slug().to_string()),
        phase: filters.phase.map(|p| p.slug().to_string()),
        organisation: filters.organisation.clone(),
        tag: filters.tag.clone(),
        network: filters.network.clone(),
        page: None,
    };
    let mut query = crate::case_studies::matching(db, &list_filters).await?;
    if let Some(before) = before {
        // Ids are 32-bit; a cursor past them starts from the newest.
        query = query.filter(case_study::Column::Id.lt(before.min(i32::MAX as u64) as i64));
    }
    let fetched = query.order_by_desc(case_study::Column::Id).limit(limit + 1).all(db).await?;
    let (models, next_cursor) = cursor_page(fetched, limit, |m| m.id);
    Ok(RecordPage { items: records_of(db, models, base).await?, next_cursor })
}

/// The next `batch` published case studies after id `after`, in id order, for the dumps.
pub(crate) async fn published_after(db: &impl ConnectionTrait, after: i32, batch: u64) -> Result<Vec<case_study::Model>, DomainError> {
    Ok(cards::published().filter(case_study::Column::Id.gt(after)).order_by_asc(case_study::Column::Id).limit(batch).all(db).await?)
}

/// One change in a case study's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevisionRecord {
    pub number: usize,
    pub author: String,
    pub at: String,
    /// The fields this revision changed, by their labels.
    pub changed: Vec<String>,
}

/// A published case study with its authors and history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseStudyDetail {
    #[serde(flatten)]
    pub record: CaseStudyRecord,
    pub authors: Vec<String>,
    pub revisions: Vec<RevisionRecord>,
}

/// Everything public about one case study; anything unpublished is not found.
pub async fn detail(db: &impl ConnectionTrait, slug: &str, base: &str) -> Result<CaseStudyDetail, DomainError> {
    let model = crate::case_studies::find(db, slug).await?;
    if model.status != crate::vocabulary::Status::Published {
        return Err(DomainError::NotFound);
    }
    let authorship = crate::case_studies::authorship(db, &model).await?;
    let authors = crate::identity::profiles::author_credits(db, &authorship.authors).await?.into_iter().map(|a| a.name).collect();
    let revisions = crate::case_studies::history(db, model.id)
        .await?
        .into_iter()
        .map(|r| RevisionRecord { number: r.number, author: r.author, at: r.at.iso, changed: r.changed })
        .collect();
    let record = records_of(db, vec![model], base).await?.pop().ok_or(DomainError::NotFound)?;
    Ok(CaseStudyDetail { record, authors, revisions })
}
