//! The notifications page: unread first, grouped by kind and reason, read one or all at once;
//! and how each notification is put in words, for the page and for mail alike.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{case_study, dataset, event, network, notification, user};
use crate::events::Detail;
use crate::forms::MarkReadForm;
use crate::permissions::{Action, Authorship};
use crate::views::{NotificationGroup, NotificationView, NotificationsView};
use crate::vocabulary::{NotificationKind as Kind, SubmissionState};
use crate::{identity::roles, paths, text, DomainError};

/// The most a page lists; older ones stay in the database.
const SHOWN: u64 = 200;

/// A notification in words: what happened (`text`) and where to see it (`href`, a path).
#[derive(Clone, Debug)]
pub struct Described {
    pub id: i64,
    pub kind: Kind,
    pub text: String,
    pub href: String,
    pub reason: String,
    pub follow_id: Option<i32>,
    pub at: chrono::DateTime<Utc>,
    pub read: bool,
}

/// Puts notifications in words, reading what they name in a few queries for the lot.
pub async fn describe(db: &impl ConnectionTrait, rows: &[notification::Model]) -> Result<Vec<Described>, DomainError> {
    let ids = |f: fn(&notification::Model) -> Option<i32>| rows.iter().filter_map(f).collect::<std::collections::BTreeSet<_>>();
    let case_studies: BTreeMap<i32, case_study::Model> = case_study::Entity::find()
        .filter(case_study::Column::Id.is_in(ids(|n| n.case_study_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let networks: BTreeMap<i32, network::Model> = network::Entity::find()
        .filter(network::Column::Id.is_in(ids(|n| n.network_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let events: BTreeMap<i64, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(rows.iter().map(|n| n.event_id).collect::<std::collections::BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let people: BTreeMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(events.values().filter_map(|e| e.actor_id).collect::<std::collections::BTreeSet<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let mut described = Vec::with_capacity(rows.len());
    for n in rows {
        let event = events.get(&n.event_id);
        let who = event.and_then(|e| e.actor_id).and_then(|a| people.get(&a)).cloned().unwrap_or_else(|| "Someone".into());
        let story = n.case_study_id.and_then(|id| case_studies.get(&id));
        let title = story.map_or_else(|| "a case study".to_string(), |c| format!("“{}”", c.title));
        let story_href = story.map_or_else(|| paths::CASE_STUDIES.to_string(), |c| paths::case_study(&c.slug));
        let place = n.network_id.and_then(|id| networks.get(&id));
        let place_name = place.map_or_else(String::new, |p| p.name.clone());
        let place_href = |page: &str| place.map_or_else(|| paths::NETWORKS.to_string(), |p| paths::network_page(&p.slug, page));
        let detail = event.map(|e| e.detail()).unwrap_or_default();
        let (text, href) = match n.kind {
            Kind::NewCaseStudy => (format!("New case study: {title}"), story_href),
            Kind::NewInNetwork => (format!("New in {place_name}: {title}"), story_href),
            Kind::Changed => (format!("{title} changed"), story_href),
            Kind::CoAuthorEdit => (format!("{who} edited {title}"), story_href),
            Kind::SubmissionWaiting => (format!("{title} is waiting for review in {place_name}"), place_href("review")),
            Kind::Decision => match detail {
                Detail::Submission { state: SubmissionState::Rejected, reason, .. } => {
                    (format!("{place_name} did not accept {title}: {}", reason.unwrap_or_default()), story_href)
                }
                _ => (format!("{place_name} approved {title}"), story_href),
            },
            Kind::Report => (format!("{who} reported {title} to {place_name}"), place_href("review")),
            Kind::ReportOutcome => (format!("{place_name} hid {title} after a report"), story_href),
            Kind::JoinRequest => (format!("{who} asked to join {place_name}"), place_href("members")),
            Kind::Invitation => (
                format!("{who} invited you to join {place_name}"),
                place.map_or_else(|| paths::NETWORKS.to_string(), |p| paths::network(&p.slug)),
            ),
            Kind::DatasetWithdrawn => {
                let dataset_id = event.map(|e| e.subject_id).unwrap_or_default();
                let name = dataset::Entity::find_by_id(dataset_id)
                    .one(db)
                    .await?
                    .map(|d| if d.title.is_empty() { d.url } else { d.title })
                    .unwrap_or_default();
                (format!("A dataset was withdrawn by its publisher: {name}"), paths::dataset(dataset_id))
            }
            Kind::WorkLikeYours => (format!("{who} published {title}, work like yours"), story_href),
        };
        described.push(Described {
            id: n.id,
            kind: n.kind,
            text,
            href,
            reason: n.reason.clone(),
            follow_id: n.follow_id,
            at: n.created_at,
            read: n.read_at.is_some(),
        });
    }
    Ok(described)
}

/// How a group of notifications is headed: "4 new case studies: You follow the pattern …".
pub fn heading(kind: Kind, count: usize, reason: &str) -> String {
    format!("{} ({count}): {reason}", kind.label())
}

/// Groups of one kind and reason, in the order of their first (newest) item.
pub fn grouped(described: Vec<Described>) -> Vec<(Kind, String, Vec<Described>)> {
    let mut groups: Vec<(Kind, String, Vec<Described>)> = Vec::new();
    for d in described {
        match groups.iter_mut().find(|(kind, reason, _)| *kind == d.kind && *reason == d.reason) {
            Some((_, _, items)) => items.push(d),
            None => groups.push((d.kind, d.reason.clone(), vec![d])),
        }
    }
    groups
}

/// The person's notifications page.
pub async fn page(db: &DatabaseConnection, user_id: i32) -> Result<NotificationsView, DomainError> {
    let rows = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::Id)
        .limit(SHOWN)
        .all(db)
        .await?;
    let (unread_rows, read_rows): (Vec<_>, Vec<_>) = rows.into_iter().partition(|n| n.read_at.is_none());
    let mut groups = Vec::new();
    for rows in [unread_rows, read_rows] {
        for (kind, reason, items) in grouped(describe(db, &rows).await?) {
            let unread = items.iter().filter(|d| !d.read).count();
            groups.push(NotificationGroup {
                heading: heading(kind, items.len(), &reason),
                unread,
                items: items
                    .into_iter()
                    .map(|d| NotificationView {
                        id: d.id,
                        text: d.text,
                        href: d.href,
                        reason: d.reason,
                        at: text::timestamp_text(d.at).display,
                        unread: !d.read,
                    })
                    .collect(),
            });
        }
    }
    Ok(NotificationsView { groups, unread: unread(db, user_id).await? })
}

pub async fn unread(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, DomainError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks one of the person's notifications read, or all of them.
pub async fn mark_read(db: &DatabaseConnection, user_id: i32, form: &MarkReadForm) -> Result<(), DomainError> {
    roles::actor(db, Some(user_id)).await?.check(&Authorship::default(), Action::Follow)?;
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    match (form.id, form.all.is_some()) {
        (_, true) => {}
        (Some(id), false) => update = update.filter(notification::Column::Id.eq(id)),
        (None, false) => return Err(DomainError::NotFound),
    }
    update.exec(db).await?;
    Ok(())
}
