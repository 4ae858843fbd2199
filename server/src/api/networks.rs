//! `/api/v1/networks` and `/api/v1/collections`: the networks, and the ordered collections their
//! organisers curate. Only what anyone may see: drafts and hidden members never appear.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use casebook_domain::events::Now;
use casebook_domain::open_data::Named;
use casebook_domain::views::ListFilters;
use casebook_domain::vocabulary::{JoinPolicy, ReviewPolicy};
use casebook_domain::{collections, networks, paths};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiPath, ApiQuery};
use super::Problem;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct Network {
    slug: String,
    name: String,
    /// The description's first paragraph, as text.
    blurb: String,
    join_policy: JoinPolicy,
    member_count: u64,
    case_study_count: u64,
    collection_count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct NetworkDetail {
    slug: String,
    name: String,
    /// Sanitised HTML.
    description_html: String,
    website: String,
    join_policy: JoinPolicy,
    review_policy: ReviewPolicy,
    organisers: Vec<String>,
    member_count: u64,
    case_study_count: u64,
    /// The case studies shared here: `/api/v1/case-studies?network=<slug>`.
    case_studies_url: String,
    collections: Vec<Named>,
}

#[derive(Serialize, ToSchema)]
pub struct Collection {
    slug: String,
    title: String,
    item_count: u64,
    featured: bool,
    networks: Vec<Named>,
    updated_at: String,
}

/// One place in a collection. `case_study` is absent once the case study is no longer published;
/// the place keeps the title it had.
#[derive(Serialize, ToSchema)]
pub struct CollectionItem {
    position: i32,
    title: String,
    /// The curator's note on why it is here.
    note: String,
    case_study: Option<String>,
    url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CollectionDetail {
    slug: String,
    title: String,
    /// Sanitised HTML.
    introduction_html: String,
    featured: bool,
    networks: Vec<Named>,
    updated_at: String,
    /// In the curators' order.
    items: Vec<CollectionItem>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworksQuery {
    /// Fifty networks a page, by name; a `Link` header with `rel="next"` names the next page.
    #[param(minimum = 1, maximum = 1000)]
    page: Option<u64>,
}

/// The networks, by name, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/networks", operation_id = "listNetworks",
    tag = "networks",
    params(NetworksQuery),
    responses(
        (status = 200, description = "A page of networks", body = Vec<Network>),
        (status = 400, description = "A parameter could not be read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>, ApiQuery(query): ApiQuery<NetworksQuery>) -> Result<Response, Problem> {
    let found = networks::list(&state.db, None, query.page).await?;
    let next = (found.networks.page < found.networks.total_pages)
        .then(|| format!("<{}?page={}>; rel=\"next\"", paths::API_NETWORKS, found.networks.page + 1));
    let body = Json(
        found
            .networks
            .items
            .into_iter()
            .map(|n| Network {
                slug: n.slug,
                name: n.name,
                blurb: n.blurb,
                join_policy: n.join_policy,
                member_count: n.member_count,
                case_study_count: n.case_study_count,
                collection_count: n.collection_count,
            })
            .collect::<Vec<_>>(),
    );
    Ok(match next {
        Some(link) => ([(header::LINK, link)], body).into_response(),
        None => body.into_response(),
    })
}

/// One network.
#[utoipa::path(
    get,
    path = "/api/v1/networks/{slug}", operation_id = "getNetwork",
    tag = "networks",
    params(("slug" = String, Path, description = "The network's slug")),
    responses(
        (status = 200, description = "The network", body = NetworkDetail),
        (status = 404, description = "There is no network with this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn one(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> Result<Json<NetworkDetail>, Problem> {
    let n = networks::page(&state.db, &Now::default(), &state.case_study_memory, None, &slug, ListFilters::default()).await?;
    Ok(Json(NetworkDetail {
        case_studies_url: format!("{}/api/v1/case-studies?network={}", state.public_url, n.slug),
        organisers: n.organisers.into_iter().map(|p| p.name).collect(),
        case_study_count: n.case_studies.total_items,
        collections: n.collections.into_iter().map(|c| Named { slug: c.slug, name: c.title }).collect(),
        slug: n.slug,
        name: n.name,
        description_html: n.description_html,
        website: n.website,
        join_policy: n.join_policy,
        review_policy: n.review_policy,
        member_count: n.member_count,
    }))
}

/// Every published collection, the most recently changed first.
#[utoipa::path(
    get,
    path = "/api/v1/collections", operation_id = "listCollections",
    tag = "networks",
    responses((status = 200, description = "The collections", body = Vec<Collection>))
)]
pub async fn collections(State(state): State<AppState>) -> Result<Json<Vec<Collection>>, Problem> {
    let found = collections::list(&state.db, None).await?;
    Ok(Json(
        found
            .collections
            .into_iter()
            .map(|c| Collection {
                slug: c.slug,
                title: c.title,
                item_count: c.item_count,
                featured: c.featured,
                networks: c.networks.into_iter().map(Named::from).collect(),
                updated_at: c.updated.iso,
            })
            .collect(),
    ))
}

/// One published collection, its items in order with their notes.
#[utoipa::path(
    get,
    path = "/api/v1/collections/{slug}", operation_id = "getCollection",
    tag = "networks",
    params(("slug" = String, Path, description = "The collection's slug")),
    responses(
        (status = 200, description = "The collection", body = CollectionDetail),
        (status = 404, description = "There is no published collection with this slug", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn collection(State(state): State<AppState>, ApiPath(slug): ApiPath<String>) -> Result<Json<CollectionDetail>, Problem> {
    let found = collections::view_whole(&state.db, None, &slug).await?;
    let items = found
        .items
        .items
        .into_iter()
        .map(|entry| CollectionItem {
            position: entry.position,
            note: entry.note,
            url: entry.card.as_ref().map(|c| format!("{}{}", state.public_url, paths::case_study(&c.slug))),
            case_study: entry.card.map(|c| c.slug),
            title: entry.title,
        })
        .collect();
    Ok(Json(CollectionDetail {
        slug: found.slug,
        title: found.title,
        introduction_html: found.introduction_html,
        featured: found.featured,
        networks: found.networks.into_iter().map(Named::from).collect(),
        updated_at: found.updated.iso,
        items,
    }))
}
