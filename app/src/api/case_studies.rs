use casebook_domain::views::{CaseStudyCard, CaseStudyView, EditorView, HomeView, ListFilters, Page};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {super::server_context, crate::request::request_state, casebook_domain::case_studies};

#[server(prefix = "/fn", endpoint = "home_page")]
pub async fn home_page() -> Result<HomeView, ApiError> {
    let context = server_context()?;
    Ok(case_studies::home(&context.db, &context.now, &context.catalogue_memory, &context.case_study_memory).await?)
}

#[server(prefix = "/fn", endpoint = "case_study_list")]
pub async fn case_study_list(filters: ListFilters) -> Result<Page<CaseStudyCard>, ApiError> {
    let context = server_context()?;
    Ok(case_studies::list(&context.db, &context.now, &context.case_study_memory, &filters).await?)
}

/// A case study as its page shows it, with its schema.org JSON-LD (ready for the page's script
/// element) when it is published: made from the same view, so the page reads nothing twice.
#[server(prefix = "/fn", endpoint = "case_study")]
pub async fn case_study(slug: String) -> Result<(CaseStudyView, Option<String>), ApiError> {
    use casebook_domain::{open_data, vocabulary::Status};
    let viewer = request_state().viewer.map(|v| v.user_id);
    let context = server_context()?;
    let view = case_studies::view(&context.db, &context.now, &context.case_study_memory, &slug, viewer).await?;
    let linked_data =
        (view.card.status == Status::Published).then(|| open_data::script_text(&open_data::schema_org(&view, &context.public_url)));
    Ok((view, linked_data))
}

/// The create form (no slug) or edit form, with a rejected submission put back where there is
/// one, or the answers kept while the person signed in again (`resume`, the token the sign-in
/// link carried).
#[server(prefix = "/fn", endpoint = "case_study_editor")]
pub async fn case_study_editor(slug: Option<String>, resume: Option<String>) -> Result<EditorView, ApiError> {
    use casebook_domain::{forms::CaseStudyForm, paths, pending_submissions, views::Rejected};
    let db = &server_context()?.db;
    let Some(viewer) = request_state().viewer else {
        // A save after the session had ended: the server kept the answers and says where to sign in.
        let kept = crate::request::submitted::<crate::request::KeptForSignIn>().ok_or(casebook_domain::DomainError::Unauthenticated)?;
        return Ok(case_studies::signed_out_editor(db, slug.as_deref(), kept.form, kept.sign_in, kept.kept).await?);
    };
    let rejected = match resume {
        Some(token) => {
            let form_path = paths::case_study_form(slug.as_deref());
            pending_submissions::take::<CaseStudyForm>(db, &form_path, &token).await?.map(|form| Rejected { form, ..Rejected::default() })
        }
        None => crate::request::submitted::<Rejected>(),
    };
    Ok(case_studies::editor(db, viewer.user_id, slug.as_deref(), rejected).await?)
}

/// Sanitised HTML for Markdown, for the editor's preview.
#[server(prefix = "/fn", endpoint = "preview_markdown")]
pub async fn preview_markdown(markdown: String) -> Result<String, ApiError> {
    if markdown.chars().count() > casebook_domain::forms::limits::BODY {
        return Err(ApiError { kind: casebook_domain::ErrorKind::Invalid, message: "The story is too long to preview".into() });
    }
    Ok(casebook_domain::markdown::render(&markdown))
}
