//! The Atom feeds (RFC 4287): `/feeds/case-studies.atom`, and `/feeds/<kind>/<slug>.atom` for
//! each pattern, tag, organisation, network and collection. What goes in is the domain's choice
//! (`open_data::feeds`); this turns it into Atom.
use atom_syndication::{Category, Entry, Feed, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use casebook_domain::open_data::{self, CaseStudyRecord, FeedOf};
use casebook_domain::{paths, DomainError};

use crate::error::HttpError;
use crate::AppState;

pub const ATOM: &str = "application/atom+xml; charset=utf-8";

pub async fn latest(State(state): State<AppState>) -> Result<Response, HttpError> {
    let feed = open_data::latest(&state.db, &state.public_url).await?;
    Ok(atom(&feed, &state.public_url))
}

pub async fn of(State(state): State<AppState>, Path((kind, file)): Path<(String, String)>) -> Result<Response, HttpError> {
    let kind = FeedOf::from_plural(&kind).ok_or(DomainError::NotFound)?;
    let slug = file.strip_suffix(".atom").ok_or(DomainError::NotFound)?;
    let feed = open_data::feed(&state.db, kind, slug, &state.public_url).await?;
    Ok(atom(&feed, &state.public_url))
}

fn atom(feed: &open_data::Feed, base: &str) -> Response {
    let link = |href: String, rel: &str, mime: Option<&str>| Link {
        href,
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    };
    let updated = feed.entries.iter().map(|e| e.updated_at).max().unwrap_or_else(chrono::Utc::now);
    let document = Feed {
        title: Text::plain(&feed.title),
        id: format!("{base}{}", feed.path),
        updated: updated.fixed_offset(),
        authors: vec![Person { name: "Casebook".into(), uri: Some(format!("{base}/")), ..Default::default() }],
        links: vec![
            link(format!("{base}{}", feed.path), "self", Some("application/atom+xml")),
            link(format!("{base}{}", feed.page), "alternate", Some("text/html")),
        ],
        entries: feed.entries.iter().map(|record| entry(record, base)).collect(),
        ..Default::default()
    };
    ([(header::CONTENT_TYPE, ATOM), (header::CACHE_CONTROL, "public, max-age=60")], document.to_string()).into_response()
}

/// One case study: its publishers as authors, its patterns and tags as categories.
fn entry(record: &CaseStudyRecord, base: &str) -> Entry {
    let category = |scheme: &str, named: &open_data::Named| Category {
        term: named.slug.clone(),
        scheme: Some(format!("{base}{scheme}")),
        label: Some(named.name.clone()),
    };
    let categories =
        record.patterns.iter().map(|p| category("/patterns/", p)).chain(record.tags.iter().map(|t| category("/tags/", t))).collect();
    Entry {
        title: Text::plain(&record.title),
        id: record.url.clone(),
        updated: record.updated_at.fixed_offset(),
        published: record.published_at.map(|at| at.fixed_offset()),
        authors: record
            .organisations
            .iter()
            .map(|o| Person { name: o.name.clone(), uri: Some(format!("{base}{}", paths::organisation(&o.slug))), ..Default::default() })
            .collect(),
        categories,
        links: vec![Link { href: record.url.clone(), rel: "alternate".into(), mime_type: Some("text/html".into()), ..Default::default() }],
        summary: Some(Text::plain(&record.summary)),
        rights: Some(Text::plain(format!("{} ({})", record.licence.slug(), record.licence_url))),
        ..Default::default()
    }
}
