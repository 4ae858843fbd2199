//! `/api/v1/patterns`, `/tags` and `/organisations`: what case studies are described with.
use axum::extract::State;
use axum::Json;
use casebook_domain::catalogue;
use casebook_domain::vocabulary::OrganisationKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::Problem;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct Pattern {
    slug: String,
    name: String,
    summary: String,
    /// In Markdown.
    description: String,
    /// How many published case studies it describes.
    case_studies: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Tag {
    slug: String,
    name: String,
    case_studies: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Organisation {
    slug: String,
    name: String,
    kind: OrganisationKind,
    website: Option<String>,
}

/// Every pattern, in the site's order.
#[utoipa::path(get, path = "/api/v1/patterns", operation_id = "listPatterns", tag = "catalogue", responses((status = 200, description = "The patterns", body = Vec<Pattern>)))]
pub async fn patterns(State(state): State<AppState>) -> Result<Json<Vec<Pattern>>, Problem> {
    let patterns = catalogue::patterns_with_counts(&state.db).await?;
    Ok(Json(
        patterns
            .into_iter()
            .map(|p| Pattern { slug: p.slug, name: p.name, summary: p.summary, description: p.description, case_studies: p.case_studies })
            .collect(),
    ))
}

/// Every tag a published case study uses, by name.
#[utoipa::path(get, path = "/api/v1/tags", operation_id = "listTags", tag = "catalogue", responses((status = 200, description = "The tags", body = Vec<Tag>)))]
pub async fn tags(State(state): State<AppState>) -> Result<Json<Vec<Tag>>, Problem> {
    let tags = catalogue::tags_with_counts(&state.db).await?;
    Ok(Json(tags.into_iter().map(|(t, case_studies)| Tag { slug: t.slug, name: t.name, case_studies }).collect()))
}

/// Every organisation, by name.
#[utoipa::path(
    get,
    path = "/api/v1/organisations", operation_id = "listOrganisations",
    tag = "catalogue",
    responses((status = 200, description = "The organisations", body = Vec<Organisation>))
)]
pub async fn organisations(State(state): State<AppState>) -> Result<Json<Vec<Organisation>>, Problem> {
    let organisations = catalogue::organisations(&state.db).await?;
    Ok(Json(organisations.into_iter().map(|o| Organisation { slug: o.slug, name: o.name, kind: o.kind, website: o.website }).collect()))
}
