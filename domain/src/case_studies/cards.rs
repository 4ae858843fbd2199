//! Case study cards for lists, and what case studies link to (patterns, organisations, tags,
//! datasets), loaded for a whole batch: a fixed number of queries per list, never one per row.
use std::collections::HashMap;

use sea_orm::sea_query::{Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{
    case_study, case_study_author, case_study_dataset, case_study_organisation, case_study_pattern, case_study_tag, dataset, network,
    organisation, pattern, submission, tag,
};
use crate::text::timestamp_text;
use crate::views::{CaseStudyCard, Link};
use crate::vocabulary::{Status, SubmissionState};
use crate::DomainError;

/// Something case studies link to, by its id.
#[derive(Clone, Copy, Debug)]
pub enum LinkedBy {
    Pattern(i32),
    Organisation(i32),
    Tag(i32),
    Dataset(i32),
    Author(i32),
    /// Shared in a network: approved there and not hidden.
    Network(i32),
}

impl LinkedBy {
    /// `case_study.id IN (SELECT case_study_id FROM <link table> WHERE <other id> = id)`.
    pub fn condition(self) -> SimpleExpr {
        match self {
            LinkedBy::Pattern(id) => {
                in_link::<case_study_pattern::Entity>(case_study_pattern::Column::CaseStudyId, case_study_pattern::Column::PatternId, id)
            }
            LinkedBy::Organisation(id) => in_link::<case_study_organisation::Entity>(
                case_study_organisation::Column::CaseStudyId,
                case_study_organisation::Column::OrganisationId,
                id,
            ),
            LinkedBy::Tag(id) => in_link::<case_study_tag::Entity>(case_study_tag::Column::CaseStudyId, case_study_tag::Column::TagId, id),
            LinkedBy::Dataset(id) => {
                in_link::<case_study_dataset::Entity>(case_study_dataset::Column::CaseStudyId, case_study_dataset::Column::DatasetId, id)
            }
            LinkedBy::Author(id) => {
                in_link::<case_study_author::Entity>(case_study_author::Column::CaseStudyId, case_study_author::Column::UserId, id)
            }
            LinkedBy::Network(id) => case_study::Column::Id.in_subquery(crate::networks::shared_in(id)),
        }
    }
}

fn in_link<E: EntityTrait>(case_study_id: E::Column, other_id: E::Column, id: i32) -> SimpleExpr
where
    E::Column: IdenStatic,
{
    case_study::Column::Id.in_subquery(Query::select().column(case_study_id).from(E::default()).and_where(other_id.eq(id)).to_owned())
}

/// Case studies anyone may read: the one place "published" is written as a query.
pub fn published() -> sea_orm::Select<case_study::Entity> {
    case_study::Entity::find().filter(case_study::Column::Status.eq(Status::Published))
}

/// `SELECT id FROM case_study WHERE <published>`, for `IN (…)` conditions.
pub fn published_ids() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(case_study::Column::Id)
        .from(case_study::Entity)
        .and_where(case_study::Column::Status.eq(Status::Published))
        .to_owned()
}

/// The case studies in one status linked to one thing, newest first.
pub async fn cards_linked_with_status(
    db: &impl ConnectionTrait,
    linked: LinkedBy,
    status: Status,
) -> Result<Vec<CaseStudyCard>, DomainError> {
    let models = case_study::Entity::find()
        .filter(case_study::Column::Status.eq(status))
        .filter(linked.condition())
        .order_by_desc(case_study::Column::PublishedAt)
        .order_by_desc(case_study::Column::UpdatedAt)
        .order_by_desc(case_study::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    cards(db, models).await
}

/// Those of these case studies that are published, in id order. Looked up by id alone: given
/// the status too, SQLite would rather walk the status index, every published row of it.
pub(crate) async fn published_by_ids(db: &impl ConnectionTrait, ids: Vec<i32>) -> Result<Vec<case_study::Model>, DomainError> {
    let mut models =
        case_study::Entity::find().filter(case_study::Column::Id.is_in(ids)).order_by_asc(case_study::Column::Id).all(db).await?;
    models.retain(|m| m.status == Status::Published);
    Ok(models)
}

/// Cards for these case studies, in the same order.
pub async fn cards(db: &impl ConnectionTrait, models: Vec<case_study::Model>) -> Result<Vec<CaseStudyCard>, DomainError> {
    let ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let organisations = organisations_of(db, &ids).await?;
    let patterns = patterns_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let (orgs, pats) = (organisations.get(&m.id).cloned().unwrap_or_default(), patterns.get(&m.id).cloned().unwrap_or_default());
            card(m, orgs, pats)
        })
        .collect())
}

pub(crate) fn card(m: case_study::Model, organisations: Vec<Link>, patterns: Vec<Link>) -> CaseStudyCard {
    CaseStudyCard {
        organisations,
        patterns,
        service_area: m.service_area,
        phase: m.phase,
        status: m.status,
        updated: timestamp_text(m.updated_at),
        slug: m.slug,
        title: m.title,
        summary: m.summary,
        region: m.region,
        is_demo: m.is_demo,
    }
}

pub(crate) async fn organisations_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<Link>>, DomainError> {
    let links =
        case_study_organisation::Entity::find().filter(case_study_organisation::Column::CaseStudyId.is_in(ids.to_vec())).all(db).await?;
    let names: HashMap<i32, Link> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(links.iter().map(|l| l.organisation_id).collect::<Vec<_>>()))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, Link { slug: o.slug, name: o.name }))
        .collect();
    Ok(group(links.iter().map(|l| (l.case_study_id, l.organisation_id)), &names))
}

pub(crate) async fn patterns_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<Link>>, DomainError> {
    let links = case_study_pattern::Entity::find().filter(case_study_pattern::Column::CaseStudyId.is_in(ids.to_vec())).all(db).await?;
    let names: HashMap<i32, Link> = pattern::Entity::find()
        .filter(pattern::Column::Id.is_in(links.iter().map(|l| l.pattern_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, Link { slug: p.slug, name: p.name }))
        .collect();
    Ok(group(links.iter().map(|l| (l.case_study_id, l.pattern_id)), &names))
}

/// The slugs of the networks each case study is shared in, for a batch of case studies.
pub(crate) async fn networks_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<String>>, DomainError> {
    let shared = submission::Entity::find()
        .filter(submission::Column::CaseStudyId.is_in(ids.to_vec()))
        .filter(submission::Column::State.eq(SubmissionState::Approved))
        .filter(submission::Column::Hidden.eq(false))
        .all(db)
        .await?;
    let slugs: HashMap<i32, String> = network::Entity::find()
        .filter(network::Column::Id.is_in(shared.iter().map(|s| s.network_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.slug))
        .collect();
    let mut grouped = group_by(shared.iter().map(|s| (s.case_study_id, s.network_id)), &slugs);
    for values in grouped.values_mut() {
        values.sort();
    }
    Ok(grouped)
}

/// Each case study's tags, for a batch of case studies.
pub(crate) async fn tags_of(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<tag::Model>>, DomainError> {
    let links = case_study_tag::Entity::find().filter(case_study_tag::Column::CaseStudyId.is_in(ids.to_vec())).all(db).await?;
    let tags = tag::Entity::find().filter(tag::Column::Id.is_in(links.iter().map(|l| l.tag_id).collect::<Vec<_>>())).all(db).await?;
    Ok(group_by(links.iter().map(|l| (l.case_study_id, l.tag_id)), &tags.into_iter().map(|t| (t.id, t)).collect()))
}

/// Each case study's datasets with its usage note, for a batch of case studies.
pub(crate) async fn datasets_of(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, Vec<(dataset::Model, case_study_dataset::Model)>>, DomainError> {
    let links = case_study_dataset::Entity::find().filter(case_study_dataset::Column::CaseStudyId.is_in(ids.to_vec())).all(db).await?;
    let datasets: HashMap<i32, dataset::Model> = dataset::Entity::find()
        .filter(dataset::Column::Id.is_in(links.iter().map(|l| l.dataset_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let mut grouped: HashMap<i32, Vec<(dataset::Model, case_study_dataset::Model)>> = HashMap::new();
    for link in links {
        if let Some(found) = datasets.get(&link.dataset_id) {
            grouped.entry(link.case_study_id).or_default().push((found.clone(), link));
        }
    }
    Ok(grouped)
}

/// Groups `(case study, other)` pairs into each case study's links, sorted by name.
fn group(pairs: impl Iterator<Item = (i32, i32)>, names: &HashMap<i32, Link>) -> HashMap<i32, Vec<Link>> {
    let mut grouped = group_by(pairs, names);
    for links in grouped.values_mut() {
        links.sort_by(|a, b| a.name.cmp(&b.name));
    }
    grouped
}

/// Groups `(case study, other)` pairs into each case study's others, in pair order.
pub(crate) fn group_by<T: Clone>(pairs: impl Iterator<Item = (i32, i32)>, others: &HashMap<i32, T>) -> HashMap<i32, Vec<T>> {
    let mut grouped: HashMap<i32, Vec<T>> = HashMap::new();
    for (case_study_id, other_id) in pairs {
        if let Some(other) = others.get(&other_id) {
            grouped.entry(case_study_id).or_default().push(other.clone());
        }
    }
    grouped
}
