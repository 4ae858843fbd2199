//! Search over HTTP: `GET /api/v1/search`, and the background task that keeps the index in step
//! with the database.
use std::collections::BTreeMap;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use casebook_domain::db::DatabaseConnection;
use casebook_domain::search::{self, Fragment, Freshness, SearchEngine, SearchParams, SearchView, WorkerOptions};
use casebook_domain::ErrorKind;
use serde::Serialize;

use crate::error::{escape, status_of};
use crate::AppState;

/// Rebuilds the index if it is empty or outdated, then follows the event log for as long as the
/// process runs. Every instance runs one; the leased cursor keeps them from repeating each
/// other's work.
pub fn keep_index_current(db: DatabaseConnection, engine: SearchEngine) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match search::ensure_fresh(&db, &engine).await {
            Ok(Freshness::Rebuilt(done)) => {
                tracing::info!(documents = done.documents, seconds = done.elapsed.as_secs_f64(), "search index rebuilt")
            }
            Ok(Freshness::Fresh) => {}
            Err(error) => tracing::error!(%error, "could not check the search index; changes will be applied as they come"),
        }
        // This process's name on the cursor's lease.
        let instance = format!("{}-{}", std::process::id(), &casebook_domain::identity::random_token()[..16]);
        search::run_worker(db, engine, instance, WorkerOptions::default()).await;
    })
}

#[derive(Serialize)]
struct ApiQuery {
    q: String,
    filters: BTreeMap<&'static str, Vec<String>>,
    sort: &'static str,
    page: u64,
}

#[derive(Serialize)]
struct ApiHit {
    slug: String,
    url: String,
    title: String,
    summary: String,
    /// The title and summary as HTML, matches in `<mark>`, everything else escaped.
    highlighted: Highlighted,
    phase: &'static str,
    service_area: &'static str,
    region: String,
    organisations: Vec<String>,
    patterns: Vec<String>,
}

#[derive(Serialize)]
struct Highlighted {
    title: String,
    summary: String,
}

#[derive(Serialize)]
struct ApiFacetValue {
    value: String,
    label: String,
    count: u64,
    selected: bool,
}

#[derive(Serialize)]
struct ApiResults {
    query: ApiQuery,
    total: u64,
    page: u64,
    per_page: u64,
    total_pages: u64,
    hits: Vec<ApiHit>,
    facets: BTreeMap<&'static str, Vec<ApiFacetValue>>,
}

#[derive(Serialize)]
struct ApiProblem {
    error: &'static str,
    message: String,
    fields: BTreeMap<String, String>,
}

fn marked_html(fragments: &[Fragment]) -> String {
    fragments.iter().map(|f| if f.matched { format!("<mark>{}</mark>", escape(&f.text)) } else { escape(&f.text) }).collect()
}

impl From<SearchView> for ApiResults {
    fn from(view: SearchView) -> Self {
        let filters = view.params.grouped_filters().into_iter().map(|(dimension, values)| (dimension.key(), values)).collect();
        ApiResults {
            query: ApiQuery { q: view.params.q.clone(), filters, sort: view.params.sort.key(), page: view.params.page },
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
                    phase: hit.card.phase.slug(),
                    service_area: hit.card.service_area.slug(),
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
                    (facet.dimension.key(), values)
                })
                .collect(),
        }
    }
}

fn problem(status: StatusCode, error: &'static str, message: &str, fields: BTreeMap<String, String>) -> Response {
    (status, Json(ApiProblem { error, message: message.to_string(), fields })).into_response()
}

/// `GET /api/v1/search`: the search page's parameters, answered as JSON.
pub async fn api(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let pairs: Vec<(String, String)> = match serde_html_form::from_str(query.as_deref().unwrap_or_default()) {
        Ok(pairs) => pairs,
        Err(_) => {
            return problem(
                StatusCode::BAD_REQUEST,
                ErrorKind::Invalid.explain().code,
                "The query string could not be read",
                BTreeMap::new(),
            )
        }
    };
    let params = match SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(params) => params,
        Err(errors) => {
            let fields = errors.0.into_iter().map(|e| (e.field, e.message)).collect();
            return problem(status_of(ErrorKind::Invalid), ErrorKind::Invalid.explain().code, "Some parameters are not valid", fields);
        }
    };
    match search::search(&state.db, &state.search, &params).await {
        Ok(view) => Json(ApiResults::from(view)).into_response(),
        Err(error) => {
            tracing::error!(%error, "search failed");
            let explained = error.kind().explain();
            problem(status_of(error.kind()), explained.code, explained.title, BTreeMap::new())
        }
    }
}
