use casebook_domain::views::{CaseStudyCard, CaseStudyView, EditorView, HomeView, ListFilters, Page};
use leptos::prelude::*;

use super::ApiError;
#[cfg(feature = "ssr")]
use {super::server_context, crate::request::request_state, casebook_domain::case_studies};

#[server(prefix = "/fn", endpoint = "home_page")]
pub async fn home_page() -> Result<HomeView, ApiError> {
    Ok(case_studies::home(&server_context()?.db).await?)
}

#[server(prefix = "/fn", endpoint = "case_study_list")]
pub async fn case_study_list(filters: ListFilters) -> Result<Page<CaseStudyCard>, ApiError> {
    Ok(case_studies::list(&server_context()?.db, &filters).await?)
}

#[server(prefix = "/fn", endpoint = "case_study")]
pub async fn case_study(slug: String) -> Result<CaseStudyView, ApiError> {
    let viewer = request_state().viewer.map(|v| v.user_id);
    Ok(case_studies::view(&server_context()?.db, &slug, viewer).await?)
}

/// The create form (no slug) or edit form, with a rejected submission put back where there is one.
#[server(prefix = "/fn", endpoint = "case_study_editor")]
pub async fn case_study_editor(slug: Option<String>) -> Result<EditorView, ApiError> {
    let viewer = request_state().viewer.ok_or(casebook_domain::DomainError::Unauthenticated)?;
    let rejected = crate::request::submitted::<casebook_domain::views::Rejected>();
    Ok(case_studies::editor(&server_context()?.db, viewer.user_id, slug.as_deref(), rejected).await?)
}

/// Sanitised HTML for Markdown, for the editor's preview.
#[server(prefix = "/fn", endpoint = "preview_markdown")]
pub async fn preview_markdown(markdown: String) -> Result<String, ApiError> {
    if markdown.chars().count() > casebook_domain::forms::limits::BODY {
        return Err(ApiError { kind: casebook_domain::ErrorKind::Invalid, message: "The story is too long to preview".into() });
    }
    Ok(casebook_domain::markdown::render(&markdown))
}
