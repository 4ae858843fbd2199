//! The notifier: a consumer of the event log that works out who is told of each event, and
//! why, and keeps one notification per (person, event, kind). Mail is sent later, from these
//! rows (`digests`), so the request that made the change pays for nothing but its event.
use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};

use super::follows::{self, Followable};
use crate::entities::{
    case_study, case_study_author, case_study_dataset, case_study_organisation, case_study_pattern, case_study_tag, event, follow, network,
    network_member, notification, organisation, pattern, tag,
};
use crate::events::{Change, Detail};
use crate::search::Percolator;
use crate::vocabulary::{
    Delivery, FollowLevel, FollowTarget, MembershipState, NetworkRole, NotificationKind as Kind, ReportState, Status, SubmissionState,
};
use crate::workers::Handler;
use crate::DomainError;

/// Its cursor's name.
pub const CURSOR: &str = "notifications";

/// Rows inserted at once (SQLite allows 32,766 bound values; a row has ten).
const INSERT_BATCH: usize = 1_000;

pub struct Notifier;

impl Handler for Notifier {
    fn cursor(&self) -> String {
        CURSOR.into()
    }

    /// One transaction for the batch: a replayed batch inserts nothing twice.
    async fn handle(&self, db: &DatabaseConnection, events: &[event::Model]) -> Result<(), DomainError> {
        let txn = crate::db::begin(db).await?;
        for event in events {
            let told = who_is_told(&txn, event).await?;
            keep(&txn, event, told).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

/// One person to tell, and why.
#[derive(Clone, Debug)]
struct Tell {
    user_id: i32,
    kind: Kind,
    case_study_id: Option<i32>,
    network_id: Option<i32>,
    follow: Option<follow::Model>,
    reason: String,
    delivery: Delivery,
}

impl Tell {
    fn through(follow: follow::Model, kind: Kind, reason: String) -> Tell {
        Tell {
            user_id: follow.user_id,
            kind,
            case_study_id: None,
            network_id: None,
            delivery: follow.delivery,
            follow: Some(follow),
            reason,
        }
    }

    fn about(self, case_study_id: Option<i32>, network_id: Option<i32>) -> Tell {
        Tell { case_study_id, network_id, ..self }
    }
}

/// What the notifier needs of a case study.
struct Story {
    model: case_study::Model,
    authors: Vec<i32>,
    patterns: Vec<(i32, String, String)>,
    tags: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    datasets: Vec<i32>,
}

/// One column of the rows of a case study's link table (`key` names the case study).
async fn linked<E: EntityTrait>(db: &impl ConnectionTrait, column: E::Column, key: E::Column, id: i32) -> Result<Vec<i32>, DomainError> {
    Ok(E::find().select_only().column(column).filter(key.eq(id)).into_tuple().all(db).await?)
}

async fn story(db: &impl ConnectionTrait, id: i32) -> Result<Option<Story>, DomainError> {
    let Some(model) = case_study::Entity::find_by_id(id).one(db).await? else { return Ok(None) };
    let authors =
        linked::<case_study_author::Entity>(db, case_study_author::Column::UserId, case_study_author::Column::CaseStudyId, id).await?;
    let patterns =
        linked::<case_study_pattern::Entity>(db, case_study_pattern::Column::PatternId, case_study_pattern::Column::CaseStudyId, id)
            .await?;
    let patterns = pattern::Entity::find().filter(pattern::Column::Id.is_in(patterns)).all(db).await?;
    let tags = linked::<case_study_tag::Entity>(db, case_study_tag::Column::TagId, case_study_tag::Column::CaseStudyId, id).await?;
    let tags = tag::Entity::find().filter(tag::Column::Id.is_in(tags)).all(db).await?;
    let organisations = linked::<case_study_organisation::Entity>(
        db,
        case_study_organisation::Column::OrganisationId,
        case_study_organisation::Column::CaseStudyId,
        id,
    )
    .await?;
    let organisations = organisation::Entity::find().filter(organisation::Column::Id.is_in(organisations)).all(db).await?;
    let datasets =
        linked::<case_study_dataset::Entity>(db, case_study_dataset::Column::DatasetId, case_study_dataset::Column::CaseStudyId, id)
            .await?;
    Ok(Some(Story {
        model,
        authors,
        patterns: patterns.into_iter().map(|p| (p.id, p.slug, p.name)).collect(),
        tags: tags.into_iter().map(|t| (t.slug, t.name)).collect(),
        organisations: organisations.into_iter().map(|o| (o.slug, o.name)).collect(),
        datasets,
    }))
}

/// Follows of any of `targets` at one of `levels`.
async fn followers(
    db: &impl ConnectionTrait,
    targets: &[(FollowTarget, String)],
    levels: &[FollowLevel],
) -> Result<Vec<follow::Model>, DomainError> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let any = targets.iter().fold(Condition::any(), |any, (target, key)| {
        any.add(Condition::all().add(follow::Column::Target.eq(*target)).add(follow::Column::TargetKey.eq(key.as_str())))
    });
    Ok(follow::Entity::find().filter(any).filter(follow::Column::Level.is_in(levels.iter().copied())).all(db).await?)
}

const HEARING: [FollowLevel; 2] = [FollowLevel::Everything, FollowLevel::NewOnly];

/// A person's follow of one thing, made for them (turned on, at once) if they have none: how
/// authors follow their case studies and organisers their network's queue. `None` when they
/// muted it.
async fn own_follow(db: &impl ConnectionTrait, user_id: i32, target: FollowTarget, key: i32) -> Result<Option<follow::Model>, DomainError> {
    let find = || {
        follow::Entity::find()
            .filter(follow::Column::UserId.eq(user_id))
            .filter(follow::Column::Target.eq(target))
            .filter(follow::Column::TargetKey.eq(key.to_string()))
    };
    if let Some(found) = find().one(db).await? {
        return Ok(Some(found).filter(|f| f.level != FollowLevel::Muted));
    }
    let followable = Followable { target, key: key.to_string(), label: String::new(), href: String::new() };
    follows::upsert(db, user_id, &followable, FollowLevel::Everything, Delivery::AtOnce, true, false).await?;
    Ok(find().one(db).await?.filter(|f| f.level != FollowLevel::Muted))
}

/// The people who run a network's queue: its organisers and reviewers.
async fn reviewers(db: &impl ConnectionTrait, network_id: i32) -> Result<Vec<i32>, DomainError> {
    Ok(network_member::Entity::find()
        .select_only()
        .column(network_member::Column::UserId)
        .filter(network_member::Column::NetworkId.eq(network_id))
        .filter(network_member::Column::State.eq(MembershipState::Active))
        .filter(network_member::Column::Role.is_in([NetworkRole::Organiser, NetworkRole::Reviewer]))
        .into_tuple()
        .all(db)
        .await?)
}

async fn network_name(db: &impl ConnectionTrait, id: i32) -> Result<String, DomainError> {
    Ok(network::Entity::find_by_id(id).one(db).await?.map(|n| n.name).unwrap_or_default())
}

/// Everyone told of `event`, at most once per person and kind.
async fn who_is_told(db: &impl ConnectionTrait, event: &event::Model) -> Result<Vec<Tell>, DomainError> {
    let Some(change) = event.change() else { return Ok(Vec::new()) };
    let id = event.subject_id;
    let told = match (change, event.detail()) {
        (Change::Created, _) => {
            // Authors follow what they write, from the start.
            if let Some(story) = story(db, id).await? {
                for &author in &story.authors {
                    own_follow(db, author, FollowTarget::CaseStudy, id).await?;
                }
            }
            Vec::new()
        }
        (Change::Published, _) => published(db, id).await?,
        (Change::Edited, Detail::Edited { substantial, .. }) => edited(db, id, event.actor_id, substantial).await?,
        (Change::SharingChanged, Detail::Submission { network_id, state, .. }) => shared(db, id, network_id, state, event.actor_id).await?,
        (Change::SharingChanged, Detail::Report { network_id, state: ReportState::Hidden, .. }) => {
            to_authors(db, id, Kind::ReportOutcome, |title| format!("You wrote “{title}”"))
                .await?
                .into_iter()
                .map(|t| t.about(Some(id), Some(network_id)))
                .collect()
        }
        (Change::ReportChanged, Detail::Report { case_study_id, state: ReportState::Open, .. }) => {
            to_reviewers(db, id, Kind::Report).await?.into_iter().map(|t| t.about(Some(case_study_id), Some(id))).collect()
        }
        (Change::MembersChanged, Detail::Membership { user_id, state: Some(MembershipState::Requested) }) => {
            to_reviewers(db, id, Kind::JoinRequest).await?.into_iter().filter(|t| t.user_id != user_id).collect()
        }
        (Change::MembersChanged, Detail::Membership { user_id, state: Some(MembershipState::Invited) }) => {
            let name = network_name(db, id).await?;
            vec![Tell {
                user_id,
                kind: Kind::Invitation,
                case_study_id: None,
                network_id: Some(id),
                follow: None,
                reason: format!("You were invited to join {name}"),
                delivery: Delivery::AtOnce,
            }]
        }
        (Change::DatasetChanged, Detail::Dataset { withdrawn: true }) => dataset_withdrawn(db, id).await?,
        _ => Vec::new(),
    };
    // The person who did it is never told of it.
    Ok(told.into_iter().filter(|t| Some(t.user_id) != event.actor_id).collect())
}

/// The authors of a case study, through their own follow of it.
async fn to_authors(db: &impl ConnectionTrait, id: i32, kind: Kind, reason: impl Fn(&str) -> String) -> Result<Vec<Tell>, DomainError> {
    let Some(story) = story(db, id).await? else { return Ok(Vec::new()) };
    let mut told = Vec::new();
    for &author in &story.authors {
        if let Some(f) = own_follow(db, author, FollowTarget::CaseStudy, id).await? {
            told.push(Tell::through(f, kind, reason(&story.model.title)).about(Some(id), None));
        }
    }
    Ok(told)
}

/// A network's organisers and reviewers, through their own follow of it.
async fn to_reviewers(db: &impl ConnectionTrait, network_id: i32, kind: Kind) -> Result<Vec<Tell>, DomainError> {
    let name = network_name(db, network_id).await?;
    let mut told = Vec::new();
    for person in reviewers(db, network_id).await? {
        if let Some(f) = own_follow(db, person, FollowTarget::Network, network_id).await? {
            told.push(Tell::through(f, kind, format!("You review case studies shared in {name}")).about(None, Some(network_id)));
        }
    }
    Ok(told)
}

/// Picks one follow per person, the soonest delivery first: one who follows both a pattern
/// (weekly) and a tag (at once) of a new case study hears of it once, at once.
fn one_each(mut tells: Vec<Tell>) -> Vec<Tell> {
    let rank = |d: Delivery| Delivery::ALL.iter().position(|x| *x == d).unwrap_or(usize::MAX);
    tells.sort_by_key(|t| (t.user_id, rank(t.delivery), t.follow.as_ref().map(|f| f.id)));
    tells.dedup_by_key(|t| t.user_id);
    tells
}

async fn published(db: &impl ConnectionTrait, id: i32) -> Result<Vec<Tell>, DomainError> {
    let Some(story) = story(db, id).await? else { return Ok(Vec::new()) };
    if story.model.status != Status::Published {
        return Ok(Vec::new());
    }
    let mut targets: Vec<(FollowTarget, String, String)> = Vec::new();
    targets.extend(story.patterns.iter().map(|(_, slug, name)| (FollowTarget::Pattern, slug.clone(), format!("the pattern {name}"))));
    targets.extend(story.tags.iter().map(|(slug, name)| (FollowTarget::Tag, slug.clone(), format!("the tag {name}"))));
    targets.extend(story.organisations.iter().map(|(slug, name)| (FollowTarget::Organisation, slug.clone(), name.clone())));
    targets.extend(story.datasets.iter().map(|d| (FollowTarget::Dataset, d.to_string(), "a dataset it uses".to_string())));
    let keys: Vec<(FollowTarget, String)> = targets.iter().map(|(t, k, _)| (*t, k.clone())).collect();
    let mut tells = Vec::new();
    for f in followers(db, &keys, &HEARING).await? {
        let what =
            targets.iter().find(|(t, k, _)| *t == f.target && *k == f.target_key).map(|(_, _, what)| what.clone()).unwrap_or_default();
        tells.push(Tell::through(f, Kind::NewCaseStudy, format!("You follow {what}")));
    }
    tells.extend(saved_searches_matching(db, id).await?);
    let tells: Vec<Tell> =
        one_each(tells).into_iter().filter(|t| !story.authors.contains(&t.user_id)).map(|t| t.about(Some(id), None)).collect();
    let mut all = tells;
    all.extend(work_like_yours(db, &story).await?);
    Ok(all)
}

/// Saved searches that find the case study, by the search's own rules.
async fn saved_searches_matching(db: &impl ConnectionTrait, id: i32) -> Result<Vec<Tell>, DomainError> {
    let saved = follow::Entity::find()
        .filter(follow::Column::Target.eq(FollowTarget::Search))
        .filter(follow::Column::Level.is_in(HEARING))
        .all(db)
        .await?;
    if saved.is_empty() {
        return Ok(Vec::new());
    }
    let Some(percolator) = Percolator::of(db, id).await? else { return Ok(Vec::new()) };
    let mut verdicts: BTreeMap<String, bool> = BTreeMap::new();
    let mut tells = Vec::new();
    for f in saved {
        let matched = match verdicts.get(&f.target_key) {
            Some(&known) => known,
            None => {
                let matched = match follows::saved_search(&f.target_key) {
                    Ok(params) => percolator.matches(&params)?,
                    Err(_) => false,
                };
                verdicts.insert(f.target_key.clone(), matched);
                matched
            }
        };
        if matched {
            let label = follows::saved_search(&f.target_key).map(|p| follows::find_label(&p)).unwrap_or_default();
            tells.push(Tell::through(f, Kind::NewCaseStudy, format!("You follow {label}")));
        }
    }
    Ok(tells)
}

/// The authors of other published case studies that share a linked dataset with this one, or
/// two patterns and the service area, told once of it.
async fn work_like_yours(db: &impl ConnectionTrait, story: &Story) -> Result<Vec<Tell>, DomainError> {
    let id = story.model.id;
    let mut similar: BTreeSet<i32> = BTreeSet::new();
    if !story.datasets.is_empty() {
        let sharing: Vec<i32> = case_study_dataset::Entity::find()
            .select_only()
            .column(case_study_dataset::Column::CaseStudyId)
            .filter(case_study_dataset::Column::DatasetId.is_in(story.datasets.clone()))
            .filter(case_study_dataset::Column::CaseStudyId.ne(id))
            .into_tuple()
            .all(db)
            .await?;
        similar.extend(sharing);
    }
    if story.patterns.len() >= 2 {
        let pairs: Vec<(i32, i32)> = case_study_pattern::Entity::find()
            .select_only()
            .column(case_study_pattern::Column::CaseStudyId)
            .column(case_study_pattern::Column::PatternId)
            .filter(case_study_pattern::Column::PatternId.is_in(story.patterns.iter().map(|(p, _, _)| *p)))
            .filter(case_study_pattern::Column::CaseStudyId.ne(id))
            .into_tuple()
            .all(db)
            .await?;
        let mut shared: BTreeMap<i32, usize> = BTreeMap::new();
        for (case_study_id, _) in pairs {
            *shared.entry(case_study_id).or_default() += 1;
        }
        let candidates: Vec<i32> = shared.into_iter().filter(|(_, n)| *n >= 2).map(|(c, _)| c).collect();
        let same_area: Vec<i32> = case_study::Entity::find()
            .select_only()
            .column(case_study::Column::Id)
            .filter(case_study::Column::Id.is_in(candidates))
            .filter(case_study::Column::ServiceArea.eq(story.model.service_area))
            .into_tuple()
            .all(db)
            .await?;
        similar.extend(same_area);
    }
    if similar.is_empty() {
        return Ok(Vec::new());
    }
    let theirs: Vec<(i32, i32)> = case_study_author::Entity::find()
        .select_only()
        .column(case_study_author::Column::UserId)
        .column(case_study_author::Column::CaseStudyId)
        .filter(case_study_author::Column::CaseStudyId.is_in(similar.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let published: BTreeSet<i32> = case_study::Entity::find()
        .select_only()
        .column(case_study::Column::Id)
        .filter(case_study::Column::Id.is_in(similar.iter().copied()))
        .filter(case_study::Column::Status.eq(Status::Published))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut tells: Vec<Tell> = Vec::new();
    for (user_id, theirs) in theirs {
        if story.authors.contains(&user_id) || !published.contains(&theirs) || tells.iter().any(|t| t.user_id == user_id) {
            continue;
        }
        // Once per case study, whatever happens to it later.
        let told_before = notification::Entity::find()
            .filter(notification::Column::UserId.eq(user_id))
            .filter(notification::Column::Kind.eq(Kind::WorkLikeYours))
            .filter(notification::Column::CaseStudyId.eq(id))
            .count(db)
            .await?;
        if told_before > 0 {
            continue;
        }
        let Some(f) = own_follow(db, user_id, FollowTarget::CaseStudy, theirs).await? else { continue };
        let title = case_study::Entity::find_by_id(theirs).one(db).await?.map(|c| c.title).unwrap_or_default();
        tells.push(Tell::through(f, Kind::WorkLikeYours, format!("It is like your case study “{title}”")).about(Some(id), None));
    }
    Ok(tells)
}

async fn edited(db: &impl ConnectionTrait, id: i32, actor: Option<i32>, substantial: bool) -> Result<Vec<Tell>, DomainError> {
    let Some(story) = story(db, id).await? else { return Ok(Vec::new()) };
    let mut tells = Vec::new();
    // Every edit by one author reaches the others; only a substantial one reaches followers.
    if actor.is_some_and(|a| story.authors.contains(&a)) {
        tells.extend(to_authors(db, id, Kind::CoAuthorEdit, |title| format!("You are an author of “{title}”")).await?);
    }
    if substantial && story.model.status == Status::Published {
        let key = [(FollowTarget::CaseStudy, id.to_string())];
        for f in followers(db, &key, &[FollowLevel::Everything]).await? {
            if !story.authors.contains(&f.user_id) {
                let reason = format!("You follow the case study “{}”", story.model.title);
                tells.push(Tell::through(f, Kind::Changed, reason).about(Some(id), None));
            }
        }
    }
    Ok(tells)
}

async fn shared(
    db: &impl ConnectionTrait,
    id: i32,
    network_id: i32,
    state: SubmissionState,
    actor: Option<i32>,
) -> Result<Vec<Tell>, DomainError> {
    let about = |tells: Vec<Tell>| tells.into_iter().map(|t| t.about(Some(id), Some(network_id))).collect::<Vec<_>>();
    Ok(match state {
        SubmissionState::Pending => about(to_reviewers(db, network_id, Kind::SubmissionWaiting).await?),
        SubmissionState::Rejected => about(to_authors(db, id, Kind::Decision, |title| format!("You submitted “{title}”")).await?),
        SubmissionState::Approved => {
            let Some(story) = story(db, id).await? else { return Ok(Vec::new()) };
            let mut tells = Vec::new();
            // An approval by someone else is a decision; one made at once for a trusted author
            // is not news to them.
            if actor.is_some_and(|a| !story.authors.contains(&a)) {
                tells.extend(to_authors(db, id, Kind::Decision, |title| format!("You submitted “{title}”")).await?);
            }
            if story.model.status == Status::Published {
                let name = network_name(db, network_id).await?;
                let key = [(FollowTarget::Network, network_id.to_string())];
                let followers = followers(db, &key, &HEARING).await?;
                let reviewers = reviewers(db, network_id).await?;
                for f in followers {
                    // The network's own reviewers follow it for its queue, not its news.
                    let for_the_queue = f.automatic && reviewers.contains(&f.user_id);
                    if !story.authors.contains(&f.user_id) && !for_the_queue {
                        tells.push(Tell::through(f, Kind::NewInNetwork, format!("You follow the network {name}")));
                    }
                }
            }
            about(tells)
        }
        SubmissionState::Withdrawn => Vec::new(),
    })
}

async fn dataset_withdrawn(db: &impl ConnectionTrait, dataset_id: i32) -> Result<Vec<Tell>, DomainError> {
    let using = linked::<case_study_dataset::Entity>(
        db,
        case_study_dataset::Column::CaseStudyId,
        case_study_dataset::Column::DatasetId,
        dataset_id,
    )
    .await?;
    let mut keys: Vec<(FollowTarget, String)> = vec![(FollowTarget::Dataset, dataset_id.to_string())];
    keys.extend(using.iter().map(|c| (FollowTarget::CaseStudy, c.to_string())));
    for &case_study_id in &using {
        for author in story(db, case_study_id).await?.map(|s| s.authors).unwrap_or_default() {
            own_follow(db, author, FollowTarget::CaseStudy, case_study_id).await?;
        }
    }
    let tells = followers(db, &keys, &[FollowLevel::Everything]).await?.into_iter().map(|f| {
        let case_study = (f.target == FollowTarget::CaseStudy).then(|| f.target_key.parse().ok()).flatten();
        let reason = if case_study.is_some() { "A case study you follow uses it" } else { "You follow the dataset" };
        Tell::through(f, Kind::DatasetWithdrawn, reason.into()).about(case_study, None)
    });
    Ok(one_each(tells.collect()))
}

/// Keeps the notifications, once per (person, event, kind) whoever replays the event.
async fn keep(db: &impl ConnectionTrait, event: &event::Model, told: Vec<Tell>) -> Result<(), DomainError> {
    let now = Utc::now();
    let rows: Vec<notification::ActiveModel> = told
        .into_iter()
        .map(|t| notification::ActiveModel {
            user_id: Set(t.user_id),
            event_id: Set(event.id),
            kind: Set(t.kind),
            case_study_id: Set(t.case_study_id),
            network_id: Set(t.network_id),
            follow_id: Set(t.follow.map(|f| f.id)),
            reason: Set(t.reason.chars().take(300).collect()),
            delivery: Set(t.delivery),
            created_at: Set(now),
            read_at: Set(None),
            mail_id: Set(None),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(INSERT_BATCH) {
        notification::Entity::insert_many(chunk.to_vec())
            .on_conflict_do_nothing_on([notification::Column::UserId, notification::Column::EventId, notification::Column::Kind])
            .exec(db)
            .await?;
    }
    Ok(())
}
