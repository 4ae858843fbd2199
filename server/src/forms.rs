//! The form posts: sharing and editing case studies, signing in and out. Each answers with a
//! redirect on success (post/redirect/get) and works the same with or without JavaScript.
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::SignedCookieJar;
use casebook_app::request::KeptForSignIn;
use casebook_domain::forms::{CaseStudyForm, FieldErrors};
use casebook_domain::rate_limits::{self, Action, Asker};
use casebook_domain::views::{FormProblem, Rejected, RowLookup};
use casebook_domain::{case_studies, identity, DomainError, ErrorKind};
use casebook_domain::{paths, pending_submissions};
use serde::Deserialize;

use crate::error::HttpError;
use crate::rate_limits::SaveRefused;
use crate::render::render_app;
use crate::security::{
    client_address, empty_request, removal_cookie, safe_return_path, signed_in, signed_in_cookies, CsrfForm, NoFields, PostedForm,
    SignedIn, CASE_STUDY_FORM_BYTES, SESSION_COOKIE,
};
use crate::AppState;

const NOT_SAVED: &str = "Sorry, we could not save this just now. Your answers are below: try saving again in a few minutes.";
pub(crate) const EXPIRED_FORM: &str = "This form had expired, so nothing was saved. Check your answers and save again.";

type CaseStudyPost = PostedForm<CaseStudyForm, CASE_STUDY_FORM_BYTES>;

pub async fn create_case_study(State(state): State<AppState>, form: CaseStudyPost) -> Result<Response, HttpError> {
    save_case_study(state, None, form).await
}

pub async fn update_case_study(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: CaseStudyPost,
) -> Result<Response, HttpError> {
    save_case_study(state, Some(slug), form).await
}

async fn save_case_study(state: AppState, slug: Option<String>, form: CaseStudyPost) -> Result<Response, HttpError> {
    let PostedForm { parts, fields, token_matches } = form;
    let Ok(viewer) = signed_in(&parts) else {
        // The session ended while the person was typing: show the form again with all of it,
        // and link to sign-in and back to it. The answers are kept for after sign-in only for a
        // browser that had a session and sent this site's form: anyone else could fill the
        // database with forms nobody will come back for.
        let path = parts.uri.path().to_string();
        let had_session = SignedCookieJar::from_headers(&parts.headers, state.cookie_key.clone()).get(SESSION_COOKIE).is_some();
        let address = client_address(&parts.headers, &parts.extensions, state.behind_proxy);
        let asker = Asker { user_id: None, address: Some(&address) };
        let may_keep =
            had_session && token_matches && rate_limits::check(&state.db, Action::KeepForm, &asker, state.rate_limit_scale).await.is_ok();
        let kept = if may_keep { pending_submissions::keep(&state.db, &path, &fields).await? } else { None };
        tracing::info!(path, kept = kept.is_some(), "a form was posted without a session");
        let sign_in = paths::sign_in_returning_to(&kept.as_ref().map_or_else(|| path.clone(), |token| paths::resume(&path, token)));
        return Ok(render_again(&state, parts, KeptForSignIn { form: fields, sign_in, kept: kept.is_some() }).await);
    };
    if let Some(refused) = parts.extensions.get::<SaveRefused>().copied() {
        let mut errors = FieldErrors::default();
        errors.add("title", refused.message());
        let mut response = render_again(&state, parts, Rejected { form: fields, errors, ..Rejected::default() }).await;
        refused.mark(&mut response);
        return Ok(response);
    }
    if let Some(row) = fields.lookup.trim().parse::<usize>().ok().filter(|_| token_matches) {
        return Ok(render_again(&state, parts, look_up_row(&state, viewer.user_id, fields, row).await?).await);
    }
    let outcome = if token_matches {
        match &slug {
            None => case_studies::create(&state.db, viewer.user_id, &fields).await,
            Some(slug) => case_studies::update(&state.db, viewer.user_id, slug, &fields).await,
        }
    } else {
        tracing::warn!(user = viewer.user_id, "case study form token mismatch");
        let mut errors = FieldErrors::default();
        errors.add("title", EXPIRED_FORM);
        Err(DomainError::Invalid(errors))
    };
    match outcome {
        Ok(saved) => Ok(Redirect::to(&paths::case_study(&saved)).into_response()),
        // The form comes back with everything the person typed and what to fix.
        Err(DomainError::Invalid(errors)) => {
            Ok(render_again(&state, parts, Rejected { form: fields, errors, ..Rejected::default() }).await)
        }
        Err(DomainError::EditConflict(conflict)) => {
            Ok(render_again(&state, parts, Rejected { form: fields, conflict: Some(*conflict), ..Rejected::default() }).await)
        }
        // Whatever failed on our side, the answers are not lost: the form comes back with them.
        Err(DomainError::Database(error)) => {
            tracing::error!(%error, "saving a case study failed");
            let mut errors = FieldErrors::default();
            errors.add("title", NOT_SAVED);
            let mut response = render_again(&state, parts, Rejected { form: fields, errors, ..Rejected::default() }).await;
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// A row's "Look up" without JavaScript: nothing is saved; the form comes back as it was sent,
/// with what was found and the row's empty fields filled from it.
async fn look_up_row(state: &AppState, user_id: i32, mut form: CaseStudyForm, row: usize) -> Result<Rejected, DomainError> {
    let mut rows = form.dataset_rows();
    let Some(typed) = row.checked_sub(1).and_then(|i| rows.get_mut(i)) else { return Ok(Rejected { form, ..Rejected::default() }) };
    let found = state.datasets.look_up_for(user_id, &typed.url).await?;
    if found.problem.is_none() {
        for (field, value) in [
            (&mut typed.title, &found.title),
            (&mut typed.publisher, &found.publisher),
            (&mut typed.licence, &found.licence),
            (&mut typed.format, &found.formats),
        ] {
            if field.trim().is_empty() {
                value.clone_into(field);
            }
        }
    }
    form.set_dataset_rows(&rows);
    form.lookup.clear();
    Ok(Rejected { form, lookup: Some(RowLookup { row, found }), ..Rejected::default() })
}

/// Renders the page a form was posted from again, with `submission` for it to show.
pub async fn render_again<T: Clone + Send + Sync + 'static>(state: &AppState, mut parts: Parts, submission: T) -> Response {
    parts.method = Method::GET;
    parts.extensions.insert(submission);
    // The post may have written: the page reads the event log's position afresh.
    if let Some(request) = parts.extensions.get_mut::<casebook_app::request::RequestState>() {
        request.now = Default::default();
    }
    render_app(state, empty_request(parts)).await
}

/// `render_again`, answering with `status` when the page itself rendered.
pub async fn render_again_with_status<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    parts: Parts,
    submission: T,
    status: u16,
) -> Response {
    let mut response = render_again(state, parts, submission).await;
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::CONFLICT);
    }
    response
}

/// Answers a post that acts on something: on to `Ok`'s address; a refusal people can act on
/// (bad input, a clash with what is there now) shown on the page the form came from, as that
/// page is now; anything else as an error page.
pub async fn answer(state: &AppState, parts: Parts, outcome: Result<String, DomainError>) -> Result<Response, HttpError> {
    match outcome {
        Ok(onward) => Ok(Redirect::to(&onward).into_response()),
        Err(DomainError::Invalid(errors)) => {
            Ok(render_again_with_status(state, parts, FormProblem { message: None, errors }, ErrorKind::Invalid.status()).await)
        }
        Err(DomainError::Conflict(message)) => Ok(render_again_with_status(
            state,
            parts,
            FormProblem { message: Some(message), errors: FieldErrors::default() },
            ErrorKind::Conflict.status(),
        )
        .await),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct DevSignIn {
    persona: i32,
    #[serde(default)]
    return_to: String,
}

/// Signs in as a demo persona. Exists only while the development sign-in is on.
pub async fn dev_sign_in(
    State(state): State<AppState>,
    jar: SignedCookieJar,
    CsrfForm { fields, .. }: CsrfForm<DevSignIn>,
) -> Result<Response, HttpError> {
    if !state.dev_login {
        return Err(DomainError::NotFound.into());
    }
    let previous = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let session = identity::sign_in_as_persona(&state.db, previous.as_deref(), fields.persona, state.session_policy).await?;
    tracing::info!(user = fields.persona, "development sign-in");
    let jar = signed_in_cookies(jar, session, &state);
    Ok((jar, Redirect::to(safe_return_path(&fields.return_to))).into_response())
}

pub async fn sign_out(State(state): State<AppState>, jar: SignedCookieJar, _: CsrfForm<NoFields>) -> Result<Response, HttpError> {
    if let Some(session) = jar.get(SESSION_COOKIE) {
        identity::end_session(&state.db, session.value()).await?;
    }
    Ok((jar.remove(removal_cookie()), Redirect::to("/")).into_response())
}

/// Ends every session of the person signed in, on every device.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    SignedIn(viewer): SignedIn,
    jar: SignedCookieJar,
    _: CsrfForm<NoFields>,
) -> Result<Response, HttpError> {
    let ended = identity::end_all_sessions(&state.db, viewer.user_id).await?;
    tracing::info!(user = viewer.user_id, ended, "signed out everywhere");
    Ok((jar.remove(removal_cookie()), Redirect::to("/")).into_response())
}
