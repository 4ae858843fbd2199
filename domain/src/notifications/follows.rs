//! Following: what can be followed, by its key, and how much of it a person hears and when.
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entities::{case_study, dataset, follow, network, organisation, pattern, tag};
use crate::forms::{limits, FieldErrors, FollowForm};
use crate::permissions::{Action, Authorship};
use crate::search::SearchParams;
use crate::views::{FollowButtonView, FollowView};
use crate::vocabulary::{Delivery, FollowLevel, FollowTarget, Status};
use crate::{identity::roles, paths, DomainError};

/// What a new follow gets unless the person chooses: every new case study, in a daily digest.
pub const DEFAULT_LEVEL: FollowLevel = FollowLevel::Everything;
pub const DEFAULT_DELIVERY: Delivery = Delivery::Daily;

/// A followable thing, found: its stored key, and how it is named and reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followable {
    pub target: FollowTarget,
    /// Ids for networks, datasets and case studies (slugs change); slugs for the catalogue;
    /// the canonical query string for a search.
    pub key: String,
    pub label: String,
    pub href: String,
}

fn invalid(field: &str, message: impl Into<String>) -> DomainError {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    DomainError::Invalid(errors)
}

/// Finds what `key` names; `NotFound` when nothing is there (or, for a case study, nothing
/// published).
pub async fn find(db: &impl ConnectionTrait, target: FollowTarget, key: &str) -> Result<Followable, DomainError> {
    let key = key.trim();
    let id = key.parse::<i32>().ok();
    let found = |key: String, label: String, href: String| Followable { target, key, label, href };
    Ok(match target {
        FollowTarget::Network => {
            let n = match id {
                Some(id) => network::Entity::find_by_id(id).one(db).await?.ok_or(DomainError::NotFound)?,
                None => crate::networks::find(db, key).await?,
            };
            found(n.id.to_string(), format!("the network {}", n.name), paths::network(&n.slug))
        }
        FollowTarget::CaseStudy => {
            let c = match id {
                Some(id) => case_study::Entity::find_by_id(id).one(db).await?.ok_or(DomainError::NotFound)?,
                None => crate::case_studies::find(db, key).await?,
            };
            if c.status != Status::Published {
                return Err(DomainError::NotFound);
            }
            found(c.id.to_string(), format!("the case study “{}”", c.title), paths::case_study(&c.slug))
        }
        FollowTarget::Dataset => {
            let d = dataset::Entity::find_by_id(id.ok_or(DomainError::NotFound)?).one(db).await?.ok_or(DomainError::NotFound)?;
            let title = if d.title.is_empty() { d.url.clone() } else { d.title.clone() };
            found(d.id.to_string(), format!("the dataset {title}"), paths::dataset(d.id))
        }
        FollowTarget::Pattern => {
            let p = pattern::Entity::find().filter(pattern::Column::Slug.eq(key)).one(db).await?.ok_or(DomainError::NotFound)?;
            found(p.slug.clone(), format!("the pattern {}", p.name), paths::pattern(&p.slug))
        }
        FollowTarget::Tag => {
            let t = tag::Entity::find().filter(tag::Column::Slug.eq(key)).one(db).await?.ok_or(DomainError::NotFound)?;
            found(t.slug.clone(), format!("the tag {}", t.name), paths::tag(&t.slug))
        }
        FollowTarget::Organisation => {
            let o = organisation::Entity::find().filter(organisation::Column::Slug.eq(key)).one(db).await?.ok_or(DomainError::NotFound)?;
            found(o.slug.clone(), o.name.clone(), paths::organisation(&o.slug))
        }
        FollowTarget::Search => {
            let params = saved_search(key)?;
            found(params.query_string(), find_label(&params), params.href())
        }
    })
}

/// A followed search as it is kept: its words and filters, from the first page, in relevance
/// order (the order changes nothing a new case study matches).
pub fn saved_search(query: &str) -> Result<SearchParams, DomainError> {
    if query.chars().count() > limits::FOLLOW_KEY {
        return Err(invalid("key", format!("A followed search is {} characters or fewer", limits::FOLLOW_KEY)));
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes()).into_owned().collect();
    let params = SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(DomainError::Invalid)?;
    let params = SearchParams { page: 1, sort: Default::default(), ..params };
    if params.q.is_empty() && params.filters.is_empty() {
        return Err(invalid("key", "Search for some words or choose a filter first, then follow the search"));
    }
    Ok(params)
}

/// A followed search in words.
pub fn find_label(params: &SearchParams) -> String {
    let filters: Vec<String> = params.filters.iter().map(|(_, value)| value.clone()).collect();
    match (params.q.is_empty(), filters.is_empty()) {
        (false, true) => format!("the search “{}”", params.q),
        (false, false) => format!("the search “{}” in {}", params.q, filters.join(", ")),
        _ => format!("the search for {}", filters.join(", ")),
    }
}

/// An optional choice: empty is none, anything else must be one of the options.
fn chosen<T>(field: &str, value: &str, from_slug: fn(&str) -> Option<T>) -> Result<Option<T>, DomainError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    from_slug(value).map(Some).ok_or_else(|| invalid(field, "Choose one of the options"))
}

/// Follows, changes or unfollows, as the person asks; returns the page to go back to.
pub async fn save(db: &DatabaseConnection, user_id: i32, form: &FollowForm) -> Result<String, DomainError> {
    roles::actor(db, Some(user_id)).await?.check(&Authorship::default(), Action::Follow)?;
    let target = FollowTarget::from_slug(form.target.trim()).ok_or_else(|| invalid("target", "Choose what to follow"))?;
    let level = chosen("level", &form.level, FollowLevel::from_slug)?;
    let delivery = chosen("delivery", &form.delivery, Delivery::from_slug)?;
    let followed = find(db, target, &form.key).await?;
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") { form.back.clone() } else { followed.href.clone() };
    let mine = follow::Entity::find()
        .filter(follow::Column::UserId.eq(user_id))
        .filter(follow::Column::Target.eq(target))
        .filter(follow::Column::TargetKey.eq(followed.key.as_str()));
    match form.action.as_str() {
        "unfollow" => {
            follow::Entity::delete_many()
                .filter(follow::Column::UserId.eq(user_id))
                .filter(follow::Column::Target.eq(target))
                .filter(follow::Column::TargetKey.eq(followed.key.as_str()))
                .exec(db)
                .await?;
        }
        "follow" | "change" => {
            let existing = mine.one(db).await?;
            if existing.is_none() && follow::Entity::find().filter(follow::Column::UserId.eq(user_id)).count(db).await? >= limits::FOLLOWS {
                return Err(DomainError::Conflict(format!(
                    "You follow {} things, the most one person can: unfollow some first",
                    limits::FOLLOWS
                )));
            }
            let level = level.or(existing.as_ref().map(|f| f.level)).unwrap_or(DEFAULT_LEVEL);
            let delivery = delivery.or(existing.as_ref().map(|f| f.delivery)).unwrap_or(DEFAULT_DELIVERY);
            upsert(db, user_id, &followed, level, delivery, false, true).await?;
        }
        _ => return Err(invalid("action", "Choose follow or unfollow")),
    }
    Ok(back)
}

/// Keeps a follow; `replace` false leaves one that exists alone (a follow Casebook makes never
/// overrides what the person chose, or their turning it down).
pub(crate) async fn upsert(
    db: &impl ConnectionTrait,
    user_id: i32,
    followed: &Followable,
    level: FollowLevel,
    delivery: Delivery,
    automatic: bool,
    replace: bool,
) -> Result<(), DomainError> {
    let key = [follow::Column::UserId, follow::Column::Target, follow::Column::TargetKey];
    let row = follow::ActiveModel {
        user_id: Set(user_id),
        target: Set(followed.target),
        target_key: Set(followed.key.clone()),
        level: Set(level),
        delivery: Set(delivery),
        automatic: Set(automatic),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let insert = follow::Entity::insert(row);
    if replace {
        let update = OnConflict::columns(key)
            .update_columns([follow::Column::Level, follow::Column::Delivery, follow::Column::Automatic])
            .to_owned();
        insert.on_conflict(update).exec(db).await?;
    } else {
        insert.on_conflict_do_nothing_on(key).exec(db).await?;
    }
    Ok(())
}

/// A follow button's state for the viewer, with the count where it is shown (not for single
/// case studies or searches, which belong to one person's interests).
pub async fn button(db: &DatabaseConnection, viewer: i32, target: FollowTarget, key: &str) -> Result<FollowButtonView, DomainError> {
    let followed = find(db, target, key).await?;
    let of = |q: sea_orm::Select<follow::Entity>| {
        q.filter(follow::Column::Target.eq(target)).filter(follow::Column::TargetKey.eq(followed.key.as_str()))
    };
    let mine = of(follow::Entity::find()).filter(follow::Column::UserId.eq(viewer)).one(db).await?;
    let count = match target {
        FollowTarget::CaseStudy | FollowTarget::Search => None,
        _ => Some(of(follow::Entity::find()).filter(follow::Column::Level.ne(FollowLevel::Muted)).count(db).await?),
    };
    Ok(FollowButtonView { target, key: followed.key, label: followed.label, following: mine.map(|f| (f.level, f.delivery)), count })
}

/// Everything a person follows, newest first, each named; what no longer exists is left out.
pub async fn of_person(db: &DatabaseConnection, user_id: i32) -> Result<Vec<FollowView>, DomainError> {
    let rows = follow::Entity::find().filter(follow::Column::UserId.eq(user_id)).order_by_desc(follow::Column::Id).all(db).await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let Ok(found) = find(db, row.target, &row.target_key).await else { continue };
        views.push(FollowView {
            target: row.target,
            key: row.target_key,
            label: found.label,
            href: found.href,
            level: row.level,
            delivery: row.delivery,
            automatic: row.automatic,
        });
    }
    Ok(views)
}
