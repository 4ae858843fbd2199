//! The network form posts: creating and editing networks, joining and leaving, organisers'
//! changes to members, decisions in the review queue; and, on a case study's page, submitting
//! it, withdrawing it and reporting it. Each asks the domain, which asks the permission table.
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use casebook_app::request::NetworkSubmission;
use casebook_domain::forms::{DecisionForm, MemberForm, NetworkForm, ReasonForm};
use casebook_domain::rate_limits::{self, Action, Asker};
use casebook_domain::{networks, paths, DomainError};
use serde::Deserialize;

use crate::error::HttpError;
use crate::forms::{answer, render_again_with_status};
use crate::security::{CsrfForm, SignedIn};
use crate::AppState;

pub async fn create(State(state): State<AppState>, SignedIn(viewer): SignedIn, form: CsrfForm<NetworkForm>) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = networks::create(&state.db, Some(viewer.user_id), &fields).await;
    saved(&state, parts, fields, outcome).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<NetworkForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = networks::update(&state.db, viewer.user_id, &slug, &fields).await;
    saved(&state, parts, fields, outcome).await
}

async fn saved(state: &AppState, parts: Parts, form: NetworkForm, outcome: Result<String, DomainError>) -> Result<Response, HttpError> {
    match outcome {
        Ok(slug) => Ok(Redirect::to(&paths::network(&slug)).into_response()),
        Err(DomainError::Invalid(errors)) => Ok(render_again_with_status(state, parts, NetworkSubmission(form, errors), 422).await),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct MembershipForm {
    action: String,
}

/// Join (or ask to, or accept an invitation) and leave, from the network's page.
pub async fn membership(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<MembershipForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = match fields.action.as_str() {
        "join" => networks::join(&state.db, viewer.user_id, &slug).await.map(|_| ()),
        "leave" => networks::leave(&state.db, viewer.user_id, &slug).await,
        _ => Err(DomainError::Invalid(Default::default())),
    };
    answer(&state, parts, outcome.map(|()| paths::network(&slug))).await
}

pub async fn members(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<MemberForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let outcome = networks::manage(&state.db, viewer.user_id, &slug, &fields).await;
    answer(&state, parts, outcome.map(|()| paths::network_page(&slug, "members"))).await
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    submission: Option<i32>,
    #[serde(default)]
    report: Option<i32>,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// A decision in the review queue: on a submission (approve, reject) or a report (dismiss, hide).
pub async fn review(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<ReviewForm>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let db = &state.db;
    let outcome = match (fields.submission, fields.report) {
        (Some(submission), None) => {
            let decision = DecisionForm { submission, decision: fields.decision, reason: fields.reason };
            networks::decide(db, viewer.user_id, &slug, &decision).await.map(|_| ())
        }
        (None, Some(report)) => match fields.decision.as_str() {
            "hide" => networks::resolve_report(db, viewer.user_id, &slug, report, true).await,
            "dismiss" => networks::resolve_report(db, viewer.user_id, &slug, report, false).await,
            _ => Err(DomainError::Conflict("Choose to hide the case study or dismiss the report".into())),
        },
        _ => Err(DomainError::Conflict("Choose a submission or a report to decide on".into())),
    };
    answer(&state, parts, outcome.map(|()| paths::network_page(&slug, "review"))).await
}

#[derive(Deserialize)]
pub struct CaseStudyAction {
    action: String,
    #[serde(default)]
    networks: Vec<String>,
    #[serde(default)]
    network: String,
    #[serde(default)]
    reason: String,
}

/// Submitting, withdrawing and reporting, from a case study's page.
pub async fn case_study(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    SignedIn(viewer): SignedIn,
    form: CsrfForm<CaseStudyAction>,
) -> Result<Response, HttpError> {
    let CsrfForm { parts, fields } = form;
    let db = &state.db;
    let user = viewer.user_id;
    let outcome = match fields.action.as_str() {
        "submit" => {
            let form = casebook_domain::forms::SubmitForm { networks: fields.networks };
            networks::submit(db, user, &slug, &form).await.map(|_| ())
        }
        "withdraw" => networks::withdraw(db, user, &slug, &fields.network).await,
        "report" => {
            // Reports reach organisers' queues: fewer than other actions on the page.
            let asker = Asker { user_id: Some(user), address: None };
            match rate_limits::check(db, Action::Report, &asker, state.rate_limit_scale).await {
                Ok(()) => networks::report(db, user, &slug, &ReasonForm { network: fields.network, reason: fields.reason }).await,
                Err(error) => Err(error),
            }
        }
        _ => Err(DomainError::Conflict("Choose what to do".into())),
    };
    answer(&state, parts, outcome.map(|()| paths::case_study(&slug))).await
}

/// A network's old address, after a rename, answers with a permanent redirect to the same page
/// at its new one. Only a `GET /networks/<slug>…` that found nothing asks whether the slug was a
/// network's before, so pages that exist cost no extra query.
pub async fn follow_renames(State(state): State<AppState>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_get = request.method() == axum::http::Method::GET;
    let (path, query) = (request.uri().path().to_string(), request.uri().query().map(str::to_string));
    let response = next.run(request).await;
    if !is_get || response.status() != axum::http::StatusCode::NOT_FOUND {
        return response;
    }
    let Some(rest) = path.strip_prefix("/networks/") else { return response };
    let (slug, tail) = rest.split_once('/').unwrap_or((rest, ""));
    match networks::moved_to(&state.db, slug).await {
        Ok(Some(current)) if current != slug => {
            let mut to = paths::network(&current);
            if !tail.is_empty() {
                to = format!("{to}/{tail}");
            }
            if let Some(query) = query {
                to = format!("{to}?{query}");
            }
            Redirect::permanent(&to).into_response()
        }
        _ => response,
    }
}
