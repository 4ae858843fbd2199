//! The network pages: the list, a network's page, its review queue; and what case study pages
//! and profiles say about networks. Pending submissions appear only to their authors and to the
//! network's reviewers.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::membership::{member_counts, names};
use super::records::find;
use crate::case_studies::{self, cards};
use crate::collections;
use crate::entities::{case_study, collection_network, network, network_member, report, revision, submission};
use crate::identity::roles;
use crate::markdown;
use crate::permissions::{may, Action, Actor, Authorship, NetworkAction};
use crate::text::timestamp_text;
use crate::views::{
    check_page, ChangedSince, Link, ListFilters, MembershipLink, NetworkAbilities, NetworkSummary, NetworkView, NetworksView, Page,
    PersonLink, QueueItem, ReportItem, ReviewQueueView, SharingView, SubmissionRow, MAX_LIST_PAGE,
};
use crate::vocabulary::{CollectionStatus, MembershipState, NetworkRole, ReportState, SubmissionState};
use crate::DomainError;

fn first_paragraph(markdown_text: &str) -> String {
    let text = markdown::plain_text(markdown_text);
    let first = text.split("\n\n").next().unwrap_or_default().trim();
    if first.chars().count() > 240 {
        format!("{}…", first.chars().take(240).collect::<String>().trim_end())
    } else {
        first.to_string()
    }
}

/// Networks on one page of `/networks` and of the API's list.
pub const NETWORKS_PER_PAGE: u64 = 50;

/// One page of the networks, by name, with their counts: a fixed number of queries a page.
pub async fn list(db: &DatabaseConnection, viewer: Option<i32>, page: Option<u64>) -> Result<NetworksView, DomainError> {
    let actor = roles::actor(db, viewer).await?;
    let page = check_page(page.unwrap_or(1), MAX_LIST_PAGE).map_err(DomainError::Invalid)?;
    let pages =
        network::Entity::find().order_by_asc(network::Column::Name).order_by_asc(network::Column::Id).paginate(db, NETWORKS_PER_PAGE);
    let counted = pages.num_items_and_pages().await?;
    let networks = pages.fetch_page(page - 1).await?;
    let ids: Vec<i32> = networks.iter().map(|n| n.id).collect();
    let members = member_counts(db, ids.clone()).await?;
    let shared: HashMap<i32, i64> = submission::Entity::find()
        .select_only()
        .column(submission::Column::NetworkId)
        .column_as(submission::Column::Id.count(), "n")
        .filter(submission::Column::NetworkId.is_in(ids.clone()))
        .filter(submission::Column::State.eq(SubmissionState::Approved))
        .filter(submission::Column::Hidden.eq(false))
        .filter(submission::Column::CaseStudyId.in_subquery(cards::published_ids()))
        .group_by(submission::Column::NetworkId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let collections: HashMap<i32, i64> = collection_network::Entity::find()
        .select_only()
        .column(collection_network::Column::NetworkId)
        .column_as(collection_network::Column::CollectionId.count(), "n")
        .filter(collection_network::Column::NetworkId.is_in(ids.clone()))
        .filter(
            collection_network::Column::CollectionId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(crate::entities::collection::Column::Id)
                    .from(crate::entities::collection::Entity)
                    .and_where(crate::entities::collection::Column::Status.eq(CollectionStatus::Published))
                    .to_owned(),
            ),
        )
        .group_by(collection_network::Column::NetworkId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let items = networks
        .into_iter()
        .map(|n| NetworkSummary {
            blurb: first_paragraph(&n.description),
            member_count: members.get(&n.id).copied().unwrap_or(0),
            case_study_count: shared.get(&n.id).copied().unwrap_or(0) as u64,
            collection_count: collections.get(&n.id).copied().unwrap_or(0) as u64,
            slug: n.slug,
            name: n.name,
            join_policy: n.join_policy,
            is_demo: n.is_demo,
        })
        .collect();
    Ok(NetworksView {
        can_create: actor.may_anywhere(NetworkAction::Create),
        networks: Page {
            items,
            page,
            per_page: NETWORKS_PER_PAGE,
            total_items: counted.number_of_items,
            total_pages: counted.number_of_pages,
        },
    })
}

fn abilities(actor: &Actor, n: &network::Model) -> NetworkAbilities {
    let may = |action| actor.may_in(n.id, n.join_policy, action);
    NetworkAbilities {
        join: may(NetworkAction::Join),
        request: may(NetworkAction::RequestToJoin),
        leave: may(NetworkAction::Leave),
        review: may(NetworkAction::Review),
        manage: may(NetworkAction::ManageMembers),
        edit: may(NetworkAction::Edit),
        curate: may(NetworkAction::Curate),
        see_members: may(NetworkAction::SeeMembers),
    }
}

async fn waiting(db: &impl ConnectionTrait, network_id: i32) -> Result<u64, DomainError> {
    let pending = submission::Entity::find()
        .filter(submission::Column::NetworkId.eq(network_id))
        .filter(submission::Column::State.eq(SubmissionState::Pending))
        .count(db)
        .await?;
    let reports = report::Entity::find()
        .filter(report::Column::NetworkId.eq(network_id))
        .filter(report::Column::State.eq(ReportState::Open))
        .count(db)
        .await?;
    Ok(pending + reports)
}

/// A network's page: about it, its organisers, its approved case studies (filtered and paged as
/// the case study list is), its collections, and what the person looking may do.
pub async fn page(
    db: &DatabaseConnection,
    now: &crate::events::Now,
    memory: &case_studies::CaseStudyMemory,
    viewer: Option<i32>,
    slug: &str,
    filters: ListFilters,
) -> Result<NetworkView, DomainError> {
    let n = find(db, slug).await?;
    let actor = roles::actor(db, viewer).await?;
    let may = abilities(&actor, &n);
    let organiser_ids: Vec<i32> = network_member::Entity::find()
        .select_only()
        .column(network_member::Column::UserId)
        .filter(network_member::Column::NetworkId.eq(n.id))
        .filter(network_member::Column::Role.eq(NetworkRole::Organiser))
        .filter(network_member::Column::State.eq(MembershipState::Active))
        .into_tuple()
        .all(db)
        .await?;
    let organiser_names = names(db, organiser_ids.clone()).await?;
    let mut organisers: Vec<PersonLink> = organiser_ids
        .into_iter()
        .map(|id| PersonLink { user_id: id, name: organiser_names.get(&id).cloned().unwrap_or_default() })
        .collect();
    organisers.sort_by(|a, b| a.name.cmp(&b.name));
    let member_count = member_counts(db, vec![n.id]).await?.get(&n.id).copied().unwrap_or(0);
    let filters = ListFilters { network: Some(n.slug.clone()), ..filters };
    let case_studies = case_studies::list(db, now, memory, &filters).await?;
    let collections = collections::for_network(db, &n, &actor).await?;
    let waiting = if may.review { waiting(db, n.id).await? } else { 0 };
    Ok(NetworkView {
        description_html: markdown::render(&n.description),
        standing: actor.in_network(n.id),
        slug: n.slug,
        name: n.name,
        website: n.website,
        join_policy: n.join_policy,
        review_policy: n.review_policy,
        trusted_after: n.trusted_after,
        is_demo: n.is_demo,
        organisers,
        member_count,
        case_studies,
        filters: ListFilters { network: None, ..filters },
        collections,
        may,
        waiting,
    })
}

/// The review queue: pending submissions oldest first, open reports, and approved case studies
/// edited since their approval with what changed.
pub async fn queue(db: &DatabaseConnection, viewer: Option<i32>, slug: &str) -> Result<ReviewQueueView, DomainError> {
    let n = find(db, slug).await?;
    let actor = roles::actor(db, viewer).await?;
    actor.check_in(n.id, n.join_policy, NetworkAction::Review)?;
    let pending = submission::Entity::find()
        .filter(submission::Column::NetworkId.eq(n.id))
        .filter(submission::Column::State.eq(SubmissionState::Pending))
        .order_by_asc(submission::Column::CreatedAt)
        .order_by_asc(submission::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    let reports = report::Entity::find()
        .filter(report::Column::NetworkId.eq(n.id))
        .filter(report::Column::State.eq(ReportState::Open))
        .order_by_asc(report::Column::CreatedAt)
        .limit(200)
        .all(db)
        .await?;
    let approved = submission::Entity::find()
        .filter(submission::Column::NetworkId.eq(n.id))
        .filter(submission::Column::State.eq(SubmissionState::Approved))
        .all(db)
        .await?;
    // Only the versions of the approved ones, to find those edited since: a network may share
    // thousands, and only the few shown in the queue are read whole.
    let versions: HashMap<i32, i32> = case_study::Entity::find()
        .select_only()
        .column(case_study::Column::Id)
        .column(case_study::Column::Version)
        .filter(case_study::Column::Id.is_in(approved.iter().map(|s| s.case_study_id).collect::<Vec<_>>()))
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let edited: Vec<&submission::Model> = approved
        .iter()
        .filter(|s| versions.get(&s.case_study_id).is_some_and(|now| s.approved_version.is_some_and(|v| *now > v)))
        .collect();
    let ids: Vec<i32> = pending
        .iter()
        .map(|s| s.case_study_id)
        .chain(reports.iter().map(|r| r.case_study_id))
        .chain(edited.iter().map(|s| s.case_study_id))
        .collect();
    // Only published case studies: a reviewer never reads what its authors took back.
    let models = case_study::Entity::find()
        .filter(case_study::Column::Id.is_in(ids.clone()))
        .filter(case_study::Column::Status.eq(crate::vocabulary::Status::Published))
        .all(db)
        .await?;
    let by_id: HashMap<i32, case_study::Model> = models.into_iter().map(|m| (m.id, m)).collect();
    let wanted: Vec<case_study::Model> = ids.iter().filter_map(|id| by_id.get(id).cloned()).collect();
    let mut card_of: HashMap<i32, crate::views::CaseStudyCard> = HashMap::new();
    for (id, card) in wanted.iter().map(|m| m.id).zip(cards::cards(db, wanted.clone()).await?) {
        card_of.insert(id, card);
    }
    let people =
        names(db, pending.iter().filter_map(|s| s.submitted_by).chain(reports.iter().filter_map(|r| r.reported_by)).collect()).await?;
    let person = |id: Option<i32>| id.map(|id| PersonLink { user_id: id, name: people.get(&id).cloned().unwrap_or_default() });
    // What changed since approval: the revisions saved after it, for all the edited ones at once.
    let since: Vec<revision::Model> = revision::Entity::find()
        .filter(revision::Column::CaseStudyId.is_in(edited.iter().map(|s| s.case_study_id).collect::<Vec<_>>()))
        .order_by_asc(revision::Column::Id)
        .all(db)
        .await?;
    let changed = edited
        .iter()
        .filter_map(|s| {
            let approved_at = s.decided_at?;
            let mut fields: Vec<String> = Vec::new();
            for r in since.iter().filter(|r| r.case_study_id == s.case_study_id && r.created_at > approved_at) {
                for field in case_studies::changed_labels(r) {
                    if !fields.contains(&field) {
                        fields.push(field);
                    }
                }
            }
            Some(ChangedSince { card: card_of.get(&s.case_study_id)?.clone(), approved: timestamp_text(approved_at), changed: fields })
        })
        .collect();
    Ok(ReviewQueueView {
        pending: pending
            .iter()
            .filter_map(|s| {
                let model = by_id.get(&s.case_study_id)?;
                Some(QueueItem {
                    submission_id: s.id,
                    card: card_of.get(&s.case_study_id)?.clone(),
                    submitted_by: person(s.submitted_by),
                    submitted: timestamp_text(s.created_at),
                    preview_html: markdown::render(&opening(&model.body)),
                })
            })
            .collect(),
        reports: reports
            .iter()
            .filter_map(|r| {
                Some(ReportItem {
                    report_id: r.id,
                    card: card_of.get(&r.case_study_id)?.clone(),
                    reason: r.reason.clone(),
                    reported_by: person(r.reported_by),
                    reported: timestamp_text(r.created_at),
                    hidden: approved.iter().any(|s| s.case_study_id == r.case_study_id && s.hidden),
                })
            })
            .collect(),
        changed,
        can_hide: actor.may_in(n.id, n.join_policy, NetworkAction::Hide),
        slug: n.slug,
        name: n.name,
    })
}

/// The first two paragraphs of a story, for the queue's preview.
fn opening(body: &str) -> String {
    body.split("\n\n").take(3).collect::<Vec<_>>().join("\n\n")
}

fn link(n: &network::Model) -> Link {
    Link { slug: n.slug.clone(), name: n.name.clone() }
}

/// A case study's submissions and the networks they went to: the part of `sharing` that is the
/// same whoever looks, kept with the case study's page.
#[derive(Clone, Debug, Default)]
pub struct Submitted {
    submissions: Vec<submission::Model>,
    networks: Vec<network::Model>,
}

pub async fn submitted(db: &impl ConnectionTrait, case_study_id: i32) -> Result<Submitted, DomainError> {
    let submissions = submission::Entity::find().filter(submission::Column::CaseStudyId.eq(case_study_id)).all(db).await?;
    if submissions.is_empty() {
        return Ok(Submitted::default());
    }
    let ids: Vec<i32> = submissions.iter().map(|s| s.network_id).collect();
    let networks = network::Entity::find().filter(network::Column::Id.is_in(ids)).all(db).await?;
    Ok(Submitted { submissions, networks })
}

/// What a case study's page says about networks, to this actor.
pub async fn sharing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    case_study: &case_study::Model,
    authors: &Authorship,
    submitted: &Submitted,
) -> Result<SharingView, DomainError> {
    let submissions = &submitted.submissions;
    let is_author = may(actor.toward(authors), Action::Edit) && actor.user_id.is_some();
    let published = case_study.status == crate::vocabulary::Status::Published;
    // The networks it went to, and for its authors those they belong to, which it could go to.
    let mut networks = submitted.networks.clone();
    let joined: Vec<i32> = actor.memberships.iter().map(|m| m.network_id).filter(|id| !networks.iter().any(|n| n.id == *id)).collect();
    if is_author && published && !joined.is_empty() {
        networks.extend(network::Entity::find().filter(network::Column::Id.is_in(joined)).all(db).await?);
    }
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    let state_in = |network_id: i32| submissions.iter().find(|s| s.network_id == network_id);
    let shared: Vec<&network::Model> =
        networks.iter().filter(|n| state_in(n.id).is_some_and(|s| s.state == SubmissionState::Approved && !s.hidden)).collect();
    let rows = if is_author {
        networks
            .iter()
            .filter_map(|n| {
                let s = state_in(n.id)?;
                Some(SubmissionRow {
                    network: link(n),
                    case_study: Link { slug: case_study.slug.clone(), name: case_study.title.clone() },
                    state: s.state,
                    reason: s.reason.clone(),
                    at: timestamp_text(s.updated_at),
                    hidden: s.hidden,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let submit_to = if is_author && published {
        networks
            .iter()
            .filter(|n| actor.may_in(n.id, n.join_policy, NetworkAction::Submit))
            .filter(|n| !state_in(n.id).is_some_and(|s| matches!(s.state, SubmissionState::Pending | SubmissionState::Approved)))
            .map(link)
            .collect()
    } else {
        Vec::new()
    };
    let report_to = if actor.user_id.is_some() && published { shared.iter().map(|n| link(n)).collect() } else { Vec::new() };
    let add_to = if published { collections::addable_for(db, actor).await? } else { Vec::new() };
    Ok(SharingView {
        shared_in: if published { shared.iter().map(|n| link(n)).collect() } else { Vec::new() },
        submissions: rows,
        submit_to,
        report_to,
        add_to,
    })
}

/// The networks a person belongs to, for their profile.
/// The networks `user_id` belongs to, as `viewer` may see them: a network that chooses its
/// members lists them only to its members and admins, so its memberships show only to them (and
/// to the person themselves); otherwise walking every profile would rebuild the hidden list.
pub async fn memberships_of(db: &impl ConnectionTrait, user_id: i32, viewer: &Actor) -> Result<Vec<MembershipLink>, DomainError> {
    let rows = network_member::Entity::find()
        .filter(network_member::Column::UserId.eq(user_id))
        .filter(network_member::Column::State.eq(MembershipState::Active))
        .all(db)
        .await?;
    let networks =
        network::Entity::find().filter(network::Column::Id.is_in(rows.iter().map(|r| r.network_id).collect::<Vec<_>>())).all(db).await?;
    let mut links: Vec<MembershipLink> = rows
        .iter()
        .filter_map(|r| networks.iter().find(|n| n.id == r.network_id).map(|n| (r, n)))
        .filter(|(_, n)| viewer.user_id == Some(user_id) || viewer.may_in(n.id, n.join_policy, NetworkAction::SeeMembers))
        .map(|(r, n)| MembershipLink { network: link(n), role: r.role })
        .collect();
    links.sort_by(|a, b| a.network.name.cmp(&b.network.name));
    Ok(links)
}

/// Every submission of case studies this person is an author of, newest change first, for
/// their own profile: the decisions on their work.
pub async fn submissions_by(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<SubmissionRow>, DomainError> {
    let theirs = submission::Entity::find()
        .filter(
            submission::Column::CaseStudyId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(crate::entities::case_study_author::Column::CaseStudyId)
                    .from(crate::entities::case_study_author::Entity)
                    .and_where(crate::entities::case_study_author::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .order_by_desc(submission::Column::UpdatedAt)
        .limit(200)
        .all(db)
        .await?;
    let networks =
        network::Entity::find().filter(network::Column::Id.is_in(theirs.iter().map(|s| s.network_id).collect::<Vec<_>>())).all(db).await?;
    let studies = case_study::Entity::find()
        .filter(case_study::Column::Id.is_in(theirs.iter().map(|s| s.case_study_id).collect::<Vec<_>>()))
        .all(db)
        .await?;
    Ok(theirs
        .iter()
        .filter_map(|s| {
            let n = networks.iter().find(|n| n.id == s.network_id)?;
            let c = studies.iter().find(|c| c.id == s.case_study_id)?;
            Some(SubmissionRow {
                network: link(n),
                case_study: Link { slug: c.slug.clone(), name: c.title.clone() },
                state: s.state,
                reason: s.reason.clone(),
                at: timestamp_text(s.updated_at),
                hidden: s.hidden,
            })
        })
        .collect())
}
