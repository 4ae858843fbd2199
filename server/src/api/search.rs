//! `GET /api/v1/search`: the search page's parameters, answered as JSON.
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::HeaderName;
use axum::response::{IntoResponse, Response};
use axum::Json;
use casebook_domain::search::{self, Dimension, Fragment, SearchParams, SearchView};
use casebook_domain::vocabulary::{Phase, ServiceArea};

/// The most values one filter may be given.
const MAX_VALUES: usize = 10;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Problem;
use crate::error::escape;
use crate::AppState;

#[derive(Serialize, ToSchema)]
pub struct ApiQuery {
    q: String,
    /// The filters applied, by dimension.
    filters: BTreeMap<String, Vec<String>>,
    sort: String,
    page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ApiHit {
    slug: String,
    url: String,
    title: String,
    summary: String,
    /// The title and summary as HTML, matches in `<mark>`, everything else escaped.
    highlighted: Highlighted,
    phase: Phase,
    service_area: ServiceArea,
    region: String,
    organisations: Vec<String>,
    patterns: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Highlighted {
    title: String,
    summary: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApiFacetValue {
    value: String,
    label: String,
    count: u64,
    selected: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ApiResults {
    query: ApiQuery,
    total: u64,
    page: u64,
    per_page: u64,
    total_pages: u64,
    hits: Vec<ApiHit>,
    /// For each dimension, its values among the matches, with counts.
    facets: BTreeMap<String, Vec<ApiFacetValue>>,
}

fn marked_html(fragments: &[Fragment]) -> String {
    fragments.iter().map(|f| if f.matched { format!("<mark>{}</mark>", escape(&f.text)) } else { escape(&f.text) }).collect()
}

impl From<SearchView> for ApiResults {
    fn from(view: SearchView) -> Self {
        let filters = view.params.grouped_filters().into_iter().map(|(dimension, values)| (dimension.key().to_string(), values)).collect();
        ApiResults {
            query: ApiQuery { q: view.params.q.clone(), filters, sort: view.params.sort.key().to_string(), page: view.params.page },
            total: view.total,
            page: view.params.page,
            per_page: search::PER_PAGE,
            total_pages: view.total_pages,
            hits: view
                .hits
                .into_iter()
                .map(|hit| ApiHit {
                    url: casebook_domain::paths::case_study(&hit.card.slug),
                    highlighted: Highlighted { title: marked_html(&hit.title), summary: marked_html(&hit.summary) },
                    slug: hit.card.slug,
                    title: hit.card.title,
                    summary: hit.card.summary,
                    phase: hit.card.phase,
                    service_area: hit.card.service_area,
                    region: hit.card.region,
                    organisations: hit.card.organisations.into_iter().map(|o| o.slug).collect(),
                    patterns: hit.card.patterns.into_iter().map(|p| p.slug).collect(),
                })
                .collect(),
            facets: view
                .facets
                .into_iter()
                .map(|facet| {
                    let values = facet
                        .values
                        .into_iter()
                        .map(|v| ApiFacetValue { value: v.value, label: v.label, count: v.count, selected: v.selected })
                        .collect();
                    (facet.dimension.key().to_string(), values)
                })
                .collect(),
        }
    }
}

/// The search page's parameters. Every filter may be given up to ten times; values of one
/// dimension widen the search, dimensions narrow it.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(dead_code, reason = "read by SearchParams::parse from the raw pairs; this type only describes them")]
pub struct SearchQuery {
    /// Search words; typos are forgiven.
    #[param(max_length = 200)]
    q: Option<String>,
    #[param(inline)]
    sort: Option<SortKey>,
    #[param(minimum = 1, maximum = 100)]
    page: Option<u64>,
    #[param(schema_with = filter_values)]
    pattern: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    service_area: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    phase: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    organisation: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    region: Option<Vec<String>>,
    /// A dataset publisher's slug.
    #[param(schema_with = filter_values)]
    publisher: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    tag: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    network: Option<Vec<String>>,
    /// `open`: case studies all of whose datasets have open licences.
    #[param(schema_with = filter_values)]
    licence: Option<Vec<String>>,
    #[param(schema_with = filter_values)]
    dataset_health: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Relevance,
    Newest,
}

/// Up to ten values of one filter, each a slug or a name of up to 200 characters. Values that
/// name nothing match nothing.
fn filter_values() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String).max_length(Some(200))).max_items(Some(10)).build()
}

/// Published case studies matching words and filters, with facet counts and highlights.
#[utoipa::path(
    get,
    path = "/api/v1/search", operation_id = "searchCaseStudies",
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "The matches", body = ApiResults),
        (status = 400, description = "The query string could not be read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Search is not working at the moment", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(State(state): State<AppState>, RawQuery(query): RawQuery) -> Result<Response, Problem> {
    let pairs: Vec<(String, String)> = serde_html_form::from_str(query.as_deref().unwrap_or_default())
        .map_err(|_| Problem::bad_request("The query string could not be read"))?;
    // The search page folds repeated values together; the API holds to the document's limit on
    // what was sent.
    // The search page's form may send an empty sort or page for the default; the document allows
    // only its enum and whole numbers (Schemathesis with a changing seed found each).
    let empty = [("sort", "Sort by relevance or newest"), ("page", "Page must be a whole number from 1 to 100")];
    if let Some((key, message)) = empty.into_iter().find(|(key, _)| pairs.iter().any(|(k, v)| k == key && v.is_empty())) {
        let mut errors = casebook_domain::forms::FieldErrors::default();
        errors.add(key, message);
        return Err(Problem::from(casebook_domain::DomainError::Invalid(errors)));
    }
    for dimension in Dimension::ALL {
        if pairs.iter().filter(|(k, _)| k == dimension.key()).count() > MAX_VALUES {
            let mut errors = casebook_domain::forms::FieldErrors::default();
            errors.add(dimension.key(), format!("Give at most {MAX_VALUES} values of {}", dimension.key()));
            return Err(Problem::from(casebook_domain::DomainError::Invalid(errors)));
        }
    }
    let params = SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|errors| Problem::from(casebook_domain::DomainError::Invalid(errors)))?;
    let (view, timings) = search::search_timed(&state.db, &state.search, &state.search_memory, &params).await?;
    let started = Instant::now();
    let body = Json(ApiResults::from(view)).into_response();
    Ok(([(SERVER_TIMING, server_timing(&timings, started.elapsed()))], body).into_response())
}

/// Where the time went, in the standard header that browsers' developer tools show and the
/// search benchmark reads.
fn server_timing(timings: &search::SearchTimings, json: Duration) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "position;dur={:.3}, engine;dur={:.3}, cards;dur={:.3}, labels;dur={:.3}, json;dur={:.3}",
        ms(timings.position),
        ms(timings.engine),
        ms(timings.cards),
        ms(timings.labels),
        ms(json)
    )
}

const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");
