//! `/import`: an admin brings case studies in from a file on the web. The upload is checked (a
//! dry run) and shown with its report and a confirm button; the confirm carries the file back and
//! imports it. Nothing is kept between the two, so any instance can answer either.
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::request::Parts;
use axum::response::Response;
use casebook_app::request::ImportSubmission;
use casebook_domain::open_data::import::{self, ImportFile};
use casebook_domain::paths;
use casebook_domain::views::{ImportOutcome, ImportReport, RowProblem};
use serde::Deserialize;

use crate::error::HttpError;
use crate::forms::render_again_with_status;
use crate::security::{read_body, token_matches, SignedIn};
use crate::AppState;

/// The largest file the web takes; `casebook import` takes bigger ones.
pub const WEB_FILE_BYTES: usize = 4 * 1024 * 1024;
/// The upload: the file and the datasets file, and room for the form around them.
const UPLOAD_BYTES: usize = 2 * WEB_FILE_BYTES + 64 * 1024;
/// The confirm form carries both files back URL-encoded, which can triple them.
const CONFIRM_BYTES: usize = 6 * WEB_FILE_BYTES + 64 * 1024;

fn bad(error: impl std::fmt::Display) -> HttpError {
    HttpError::BadForm(error.to_string())
}

/// `POST /import`: the upload, checked and reported; nothing is saved.
pub async fn upload(State(state): State<AppState>, SignedIn(viewer): SignedIn, request: Request) -> Result<Response, HttpError> {
    import::may_import(&state.db, viewer.user_id).await?;
    let (parts, body) = request.into_parts();
    let bytes = read_body(&parts, body, UPLOAD_BYTES).await?;
    let mut multipart = Multipart::from_request(Request::from_parts(parts.clone(), Body::from(bytes)), &()).await.map_err(bad)?;
    let (mut token, mut file, mut datasets) = (String::new(), None, None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "csrf_token" => token = field.text().await.map_err(bad)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
            }
            "datasets" => datasets = Some(field.bytes().await.map_err(bad)?.to_vec()).filter(|b| !b.is_empty()),
            _ => {}
        }
    }
    if !token_matches(&parts, &token) {
        return Err(HttpError::Csrf);
    }
    let (name, bytes) = file.unwrap_or_default();
    respond(&state, parts, viewer.user_id, name, bytes, datasets, true).await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    file_name: String,
    #[serde(default)]
    payload: String,
    #[serde(default)]
    datasets_payload: String,
}

/// `POST /import/confirm`: the checked file, imported.
pub async fn confirm(State(state): State<AppState>, SignedIn(viewer): SignedIn, request: Request) -> Result<Response, HttpError> {
    // Asked before the body is read: it may be 24 MiB, and is parsed once.
    import::may_import(&state.db, viewer.user_id).await?;
    let (parts, body) = request.into_parts();
    let bytes = read_body(&parts, body, CONFIRM_BYTES).await?;
    let fields: ConfirmForm = serde_html_form::from_bytes(&bytes).map_err(bad)?;
    if !token_matches(&parts, &fields.csrf_token) {
        return Err(HttpError::Csrf);
    }
    let datasets = Some(fields.datasets_payload.into_bytes()).filter(|b| !b.is_empty());
    respond(&state, parts, viewer.user_id, fields.file_name, fields.payload.into_bytes(), datasets, false).await
}

async fn respond(
    state: &AppState,
    parts: Parts,
    user_id: i32,
    file_name: String,
    bytes: Vec<u8>,
    datasets: Option<Vec<u8>>,
    dry_run: bool,
) -> Result<Response, HttpError> {
    let refused =
        |message: String| ImportReport { problems: vec![RowProblem { row: 0, column: String::new(), message }], ..Default::default() };
    let (text, datasets_text) = (String::from_utf8(bytes), datasets.map(String::from_utf8).transpose());
    let (report, payload, datasets_payload) = match (text, datasets_text) {
        (Ok(text), _) if text.is_empty() => (refused("Choose a file to import".into()), String::new(), String::new()),
        (Ok(text), Ok(datasets)) if text.len() > WEB_FILE_BYTES || datasets.as_ref().is_some_and(|d| d.len() > WEB_FILE_BYTES) => {
            let message =
                format!("On the web a file may be up to {} MB: import bigger ones with casebook import", WEB_FILE_BYTES / 1024 / 1024);
            (refused(message), String::new(), String::new())
        }
        (Ok(text), Ok(datasets)) => {
            let mapping = Default::default();
            let file = ImportFile {
                name: &file_name,
                bytes: text.as_bytes(),
                datasets: datasets.as_deref().map(str::as_bytes),
                mapping: &mapping,
            };
            let report = import::run(&state.db, user_id, file, dry_run, |_, _| {}).await?;
            (report, text, datasets.unwrap_or_default())
        }
        _ => (refused("The files must be UTF-8 text: CSV or JSON".into()), String::new(), String::new()),
    };
    let status = if dry_run && !report.problems.is_empty() { 422 } else { 200 };
    // Both posts answer with the import page.
    let mut parts = parts;
    parts.uri = axum::http::Uri::from_static(paths::IMPORT);
    let outcome = ImportOutcome { file_name, payload, datasets_payload, dry_run, report };
    Ok(render_again_with_status(state, parts, ImportSubmission(outcome), status).await)
}
