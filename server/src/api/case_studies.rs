//! `/api/v1/case-studies`: the published case studies, filtered like the list, paged by cursor.
use axum::extract::State;
use axum::Json;
use casebook_domain::open_data::{self, CaseStudyDetail, RecordFilters, RecordPage};
use casebook_domain::vocabulary::{Phase, ServiceArea};
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{cursor, limit, ApiPath, ApiQuery};
use super::Problem;
use crate::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A pattern's slug.
    pattern: Option<String>,
    #[param(inline)]
    service_area: Option<ServiceArea>,
    #[param(inline)]
    phase: Option<Phase>,
    /// An organisation's slug.
    organisation: Option<String>,
    /// A tag's slug or name.
    tag: Option<String>,
    /// A network's slug: the case studies shared in it.
    network: Option<String>,
    /// `next_cursor` from the page before.
    #[param(pattern = "^[0-9]{0,18}$")]
    cursor: Option<String>,
    /// How many to a page.
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u64>,
}

/// Published case studies, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/case-studies", operation_id = "listCaseStudies",
    tag = "case studies",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of case studies", body = RecordPage),
        (status = 400, description = "A parameter could not be read", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>, ApiQuery(query): ApiQuery<ListQuery>) -> Result<Json<RecordPage>, Problem> {
    let limit = limit(query.limit)?;
    let before = cursor(query.cursor.as_deref())?;
    let filters = RecordFilters {
        pattern: query.pattern,
        service_area: query.service_area,
        phase: query.phase,
        organisation: query.organisation,
        tag: query.tag,
        network: query.network,
    };
    Ok(Json(open_data::page(&state.db, &filters, before, limit, &state.public_url).await?))
}

/// One published case study: its fields, links, datasets with their health, authors and history.
#[utoipa::path(
    get,
    path = "/api/v1/case-studies/{slug}", operation_id = "getCaseStudy",
    tag = "case studies",
    params(("slug" = String, Path, description = "The case study's `id`")),
    responses(
        (status = 200, description = "The case study", body = CaseStudyDetail),
        (status = 404, description = "No published case study has this id", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> Result<Json<CaseStudyDetail>, Problem> {
    Ok(Json(open_data::detail(&state.db, &slug, &state.public_url).await?))
}
