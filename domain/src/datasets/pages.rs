//! The dataset pages: every dataset published case studies use, one dataset with its uses and
//! checks, a publisher's datasets and the services built on them, and the problem list.
use std::collections::HashMap;

use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::views::dataset_view;
use crate::case_studies::cards::cards;
use crate::case_studies::published_ids;
use crate::entities::{case_study, case_study_dataset, dataset, dataset_check};
use crate::permissions::{Action, Actor};
use crate::text::timestamp_text;
use crate::views::{check_page, CheckView, DatasetPage, DatasetProblem, DatasetUse, DatasetView, Link, Page, PublisherPage, MAX_LIST_PAGE};
use crate::vocabulary::{CheckOutcome, Status};
use crate::DomainError;

/// `dataset.id IN (datasets that published case studies link)`.
fn used_by_published() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(case_study_dataset::Column::DatasetId)
        .from(case_study_dataset::Entity)
        .and_where(case_study_dataset::Column::CaseStudyId.in_subquery(published_ids()))
        .to_owned()
}

/// Datasets on one page of `/datasets`.
pub const PER_PAGE: u64 = 50;

/// One page of the datasets published case studies use, by title; one only drafts link is not
/// shown. Paged: every saved case study may add datasets, and the whole list outgrew a page.
pub async fn datasets(db: &impl ConnectionTrait, page: Option<u64>) -> Result<Page<DatasetView>, DomainError> {
    let page = check_page(page.unwrap_or(1), MAX_LIST_PAGE).map_err(DomainError::Invalid)?;
    let pages = dataset::Entity::find()
        .filter(dataset::Column::Id.in_subquery(used_by_published()))
        .order_by_asc(dataset::Column::Title)
        .order_by_asc(dataset::Column::Id)
        .paginate(db, PER_PAGE);
    let counted = pages.num_items_and_pages().await?;
    let rows = pages.fetch_page(page - 1).await?;
    Ok(Page {
        items: rows.iter().map(dataset_view).collect(),
        page,
        per_page: PER_PAGE,
        total_items: counted.number_of_items,
        total_pages: counted.number_of_pages,
    })
}

/// Up to `limit` datasets published case studies link, by id, those above `after` (the public
/// API's cursor).
pub async fn datasets_after(db: &impl ConnectionTrait, after: Option<u64>, limit: u64) -> Result<Vec<DatasetView>, DomainError> {
    let after = after.map_or(0, |a| a.min(i32::MAX as u64) as i32);
    let rows = dataset::Entity::find()
        .filter(dataset::Column::Id.in_subquery(used_by_published()))
        .filter(dataset::Column::Id.gt(after))
        .order_by_asc(dataset::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.iter().map(dataset_view).collect())
}

/// The published case studies linking these datasets, each with its links' usage notes.
async fn uses_of(db: &impl ConnectionTrait, dataset_ids: Vec<i32>) -> Result<Vec<(i32, crate::views::CaseStudyCard, String)>, DomainError> {
    let links = case_study_dataset::Entity::find()
        .filter(case_study_dataset::Column::DatasetId.is_in(dataset_ids))
        .filter(case_study_dataset::Column::CaseStudyId.in_subquery(published_ids()))
        .all(db)
        .await?;
    let models = case_study::Entity::find()
        .filter(case_study::Column::Id.is_in(links.iter().map(|l| l.case_study_id).collect::<Vec<_>>()))
        .filter(case_study::Column::Status.eq(Status::Published))
        .order_by_desc(case_study::Column::PublishedAt)
        .order_by_desc(case_study::Column::Id)
        .limit(500)
        .all(db)
        .await?;
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let found = cards(db, models).await?;
    let mut usage: HashMap<i32, String> = HashMap::new();
    for link in links {
        let note = usage.entry(link.case_study_id).or_default();
        if note.is_empty() {
            *note = link.usage;
        }
    }
    Ok(ids.into_iter().zip(found).map(|(id, card)| (id, card, usage.get(&id).cloned().unwrap_or_default())).collect())
}

pub async fn dataset_page(db: &impl ConnectionTrait, id: i32) -> Result<DatasetPage, DomainError> {
    let found = dataset::Entity::find_by_id(id).one(db).await?.ok_or(DomainError::NotFound)?;
    let uses = uses_of(db, vec![found.id]).await?;
    if uses.is_empty() {
        return Err(DomainError::NotFound);
    }
    let checks = dataset_check::Entity::find()
        .filter(dataset_check::Column::DatasetId.eq(found.id))
        .order_by_desc(dataset_check::Column::CheckedAt)
        .order_by_desc(dataset_check::Column::Id)
        .limit(30)
        .all(db)
        .await?
        .into_iter()
        .map(|c| CheckView { at: timestamp_text(c.checked_at), outcome: c.outcome, status: c.http_status, detail: c.detail })
        .collect();
    Ok(DatasetPage {
        dataset: dataset_view(&found),
        uses: uses.into_iter().map(|(_, card, usage)| DatasetUse { card, usage }).collect(),
        checks,
    })
}

/// A publisher, as its portals name it, with its datasets that published case studies use.
pub async fn publisher_page(db: &impl ConnectionTrait, slug: &str) -> Result<PublisherPage, DomainError> {
    let rows = dataset::Entity::find()
        .filter(dataset::Column::PublisherSlug.eq(slug))
        .filter(dataset::Column::Id.in_subquery(used_by_published()))
        .order_by_asc(dataset::Column::Title)
        .limit(500)
        .all(db)
        .await?;
    let Some(name) = rows.iter().find_map(|d| d.resolved_publisher.clone()) else { return Err(DomainError::NotFound) };
    let services = uses_of(db, rows.iter().map(|d| d.id).collect()).await?.into_iter().map(|(_, card, _)| card).collect();
    Ok(PublisherPage { publisher: Link { slug: slug.to_string(), name }, datasets: rows.iter().map(dataset_view).collect(), services })
}

/// Datasets whose last check found a problem, or that are withdrawn or stale, with the
/// published case studies that link them. Organisers see only datasets that published case
/// studies use: a draft's links, and what its author typed, are its authors' (and admins').
pub async fn problems(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<DatasetProblem>, DomainError> {
    actor.check_dataset_health()?;
    let healthy = [CheckOutcome::Ok, CheckOutcome::Unchecked];
    let mut query = dataset::Entity::find().filter(
        Condition::any()
            .add(dataset::Column::Health.is_not_in(healthy))
            .add(dataset::Column::Stale.eq(true))
            .add(dataset::Column::WithdrawnSince.is_not_null())
            .add(dataset::Column::HeldSince.is_not_null()),
    );
    if !actor.is_admin {
        query = query.filter(
            dataset::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(case_study_dataset::Column::DatasetId)
                    .from(case_study_dataset::Entity)
                    .and_where(case_study_dataset::Column::CaseStudyId.in_subquery(crate::case_studies::published_ids()))
                    .to_owned(),
            ),
        );
    }
    let rows = query.order_by_asc(dataset::Column::Title).limit(500).all(db).await?;
    let links = case_study_dataset::Entity::find()
        .filter(case_study_dataset::Column::DatasetId.is_in(rows.iter().map(|d| d.id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    let studies: HashMap<i32, Link> = case_study::Entity::find()
        .select_only()
        .columns([case_study::Column::Id, case_study::Column::Slug, case_study::Column::Title])
        .filter(case_study::Column::Id.is_in(links.iter().map(|l| l.case_study_id).collect::<Vec<_>>()))
        .filter(case_study::Column::Status.eq(Status::Published))
        .into_tuple::<(i32, String, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, slug, name)| (id, Link { slug, name }))
        .collect();
    Ok(rows
        .iter()
        .map(|d| DatasetProblem {
            dataset: dataset_view(d),
            case_studies: links.iter().filter(|l| l.dataset_id == d.id).filter_map(|l| studies.get(&l.case_study_id).cloned()).collect(),
            may_check_again: d.held_since.is_some() && actor.may_site(Action::CheckDatasetAgain),
        })
        .collect())
}
