//! `/api/v1/datasets`: the datasets published case studies use, with what their portals say
//! and their health.
use axum::extract::State;
use axum::Json;
use casebook_domain::datasets;
use casebook_domain::paths;
use casebook_domain::views::{cursor_page, DatasetView};
use casebook_domain::vocabulary::{CheckOutcome, DatasetCondition};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{cursor, limit, ApiPath, ApiQuery};
use super::Problem;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct DatasetLicence {
    title: String,
    url: Option<String>,
    /// Whether it is an open licence; absent when Casebook does not know it.
    open: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct DatasetHealth {
    condition: DatasetCondition,
    summary: String,
    checked_at: Option<String>,
}

/// What the dataset's portal says, once it has said anything.
#[derive(Serialize, ToSchema)]
pub struct PortalDetails {
    /// Which reader found the details: CKAN, DCAT, ...
    source: String,
    source_url: String,
    description: String,
    modified: Option<String>,
    frequency: Option<String>,
    resource_count: Option<i32>,
    resolved_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct Dataset {
    id: i32,
    url: String,
    /// The portal's title, or what its first author typed.
    title: String,
    publisher: String,
    licence: Option<DatasetLicence>,
    formats: String,
    health: DatasetHealth,
    portal: Option<PortalDetails>,
}

#[derive(Serialize, ToSchema)]
pub struct DatasetUsedBy {
    case_study: String,
    url: String,
    title: String,
    /// How the service uses the dataset, in its author's words.
    usage: String,
}

#[derive(Serialize, ToSchema)]
pub struct Check {
    at: String,
    outcome: CheckOutcome,
    status: Option<i32>,
    detail: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DatasetDetail {
    #[serde(flatten)]
    dataset: Dataset,
    uses: Vec<DatasetUsedBy>,
    /// Newest first, the latest 30.
    checks: Vec<Check>,
}

#[derive(Serialize, ToSchema)]
pub struct DatasetPage {
    items: Vec<Dataset>,
    next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `next_cursor` from the page before.
    #[param(pattern = "^[0-9]{0,18}$")]
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u64>,
}

fn dataset(d: DatasetView) -> Dataset {
    let shown = d.shown(false);
    Dataset {
        id: d.id,
        url: d.url.clone(),
        title: shown.title,
        publisher: shown.publisher_name,
        licence: shown.licence.map(|l| DatasetLicence { title: l.title, url: l.url, open: l.open }),
        formats: shown.formats,
        health: DatasetHealth { condition: d.health.condition, summary: d.health.summary, checked_at: d.health.checked_at.map(|t| t.iso) },
        portal: d.resolved.map(|r| PortalDetails {
            source: r.source,
            source_url: r.source_url,
            description: r.description,
            modified: r.modified.map(|t| t.iso),
            frequency: r.frequency,
            resource_count: r.resource_count,
            resolved_at: r.resolved_at.iso,
        }),
    }
}

/// Datasets published case studies use, in the order they were first linked.
#[utoipa::path(
    get,
    path = "/api/v1/datasets", operation_id = "listDatasets",
    tag = "datasets",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of datasets", body = DatasetPage),
        (status = 400, description = "A parameter could not be read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>, ApiQuery(query): ApiQuery<ListQuery>) -> Result<Json<DatasetPage>, Problem> {
    let limit = limit(query.limit)?;
    let after = cursor(query.cursor.as_deref())?;
    let found = datasets::datasets_after(&state.db, after, limit + 1).await?;
    let (found, next_cursor) = cursor_page(found, limit, |d| d.id);
    Ok(Json(DatasetPage { items: found.into_iter().map(dataset).collect(), next_cursor }))
}

/// One dataset, the case studies using it and how, and its check history.
#[utoipa::path(
    get,
    path = "/api/v1/datasets/{id}", operation_id = "getDataset",
    tag = "datasets",
    params(("id" = i64, Path, description = "The dataset's `id`")),
    responses(
        (status = 200, description = "The dataset", body = DatasetDetail),
        (status = 400, description = "The id is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No published case study uses a dataset with this id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<DatasetDetail>, Problem> {
    let id = i32::try_from(id).map_err(|_| Problem::from(casebook_domain::DomainError::NotFound))?;
    let page = datasets::dataset_page(&state.db, id).await?;
    let uses = page
        .uses
        .into_iter()
        .map(|u| DatasetUsedBy {
            url: format!("{}{}", state.public_url, paths::case_study(&u.card.slug)),
            case_study: u.card.slug,
            title: u.card.title,
            usage: u.usage,
        })
        .collect();
    let checks = page.checks.into_iter().map(|c| Check { at: c.at.iso, outcome: c.outcome, status: c.status, detail: c.detail }).collect();
    Ok(Json(DatasetDetail { dataset: dataset(page.dataset), uses, checks }))
}
