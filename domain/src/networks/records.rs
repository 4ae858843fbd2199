//! Creating, changing and finding networks. A renamed network keeps its old slugs, so that
//! links to it still arrive.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::membership::{person_for, upsert_member};
use crate::case_studies::Checker;
use crate::entities::{network, network_former_slug};
use crate::events::{self, Change, Entry};
use crate::forms::{limits, FieldErrors, NetworkForm};
use crate::identity::roles;
use crate::permissions::{Actor, NetworkAction};
use crate::views::NetworkEditorView;
use crate::vocabulary::{JoinPolicy, MembershipState, NetworkRole, ReviewPolicy};
use crate::DomainError;

/// A network form that follows the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ValidNetwork {
    name: String,
    slug: String,
    description: String,
    website: String,
    join_policy: JoinPolicy,
    review_policy: ReviewPolicy,
    trusted_after: i32,
}

fn validate(form: &NetworkForm) -> Result<ValidNetwork, FieldErrors> {
    let mut c = Checker { errors: FieldErrors::default() };
    let name = c.single_line("name", "Name", &form.name, true, limits::NETWORK_NAME);
    let slug = c.slug("slug", &form.slug, &name, limits::SLUG);
    let description = c.text("description", "Description", &form.description, false, limits::DESCRIPTION);
    let website = c.optional_url("website", "Website", &form.website);
    let join_policy = c.choice("join_policy", "Select who may join", &form.join_policy, JoinPolicy::from_slug);
    let review_policy = c.choice("review_policy", "Select which submissions are reviewed", &form.review_policy, ReviewPolicy::from_slug);
    let raw = form.trusted_after.trim();
    let trusted_after = if raw.is_empty() {
        3
    } else {
        match raw.parse::<i32>() {
            Ok(n) if (1..=limits::TRUSTED_AFTER).contains(&n) => n,
            _ => {
                c.errors.add(
                    "trusted_after",
                    format!("Approved submissions before a member is trusted must be a whole number from 1 to {}", limits::TRUSTED_AFTER),
                );
                3
            }
        }
    };
    let (Some(join_policy), Some(review_policy)) = (join_policy, review_policy) else { return Err(c.errors) };
    c.finish(ValidNetwork { name, slug, description, website, join_policy, review_policy, trusted_after })
}

/// The network at `slug`.
pub(crate) async fn find(db: &impl ConnectionTrait, slug: &str) -> Result<network::Model, DomainError> {
    network::Entity::find().filter(network::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)
}

/// Where a network that was at `slug` is now, if it was renamed.
pub async fn moved_to(db: &impl ConnectionTrait, slug: &str) -> Result<Option<String>, DomainError> {
    let Some(former) = network_former_slug::Entity::find_by_id(slug.to_string()).one(db).await? else { return Ok(None) };
    Ok(network::Entity::find_by_id(former.network_id).one(db).await?.map(|n| n.slug))
}

async fn slug_taken(db: &impl ConnectionTrait, slug: &str, by_other_than: Option<i32>) -> Result<bool, DomainError> {
    let current = network::Entity::find().filter(network::Column::Slug.eq(slug)).one(db).await?;
    let former = network_former_slug::Entity::find_by_id(slug.to_string()).one(db).await?;
    Ok(current.is_some_and(|n| Some(n.id) != by_other_than) || former.is_some_and(|f| Some(f.network_id) != by_other_than))
}

fn taken(mut errors: FieldErrors) -> DomainError {
    errors.add("slug", "Another network has this web address: choose another");
    DomainError::Invalid(errors)
}

/// Creates a network with its first organisers. `by` is the site admin creating it from the web
/// (the organisers field must name at least one person); `None` is the command line, which
/// names organisers afterwards with `add_organiser`.
pub async fn create(db: &DatabaseConnection, by: Option<i32>, form: &NetworkForm) -> Result<String, DomainError> {
    if by.is_some() {
        let actor = roles::actor(db, by).await?;
        actor.check_anywhere(NetworkAction::Create)?;
    }
    // Every problem at once: the fields', then the organisers'.
    let (valid, mut errors) = match validate(form) {
        Ok(valid) => (Some(valid), FieldErrors::default()),
        Err(errors) => (None, errors),
    };
    let mut organisers = Vec::new();
    let named: Vec<&str> = form.organisers.split([',', '\n']).map(str::trim).filter(|w| !w.is_empty()).collect();
    // Limits before any lookup.
    if named.len() > limits::ORGANISERS || named.iter().any(|w| w.chars().count() > limits::EMAIL) {
        errors.add("organisers", format!("Name up to {} organisers, each by an email address or profile number", limits::ORGANISERS));
        return Err(DomainError::Invalid(errors));
    }
    for who in named {
        match person_for(db, who).await? {
            Some(user_id) => organisers.push(user_id),
            None => {
                errors.add("organisers", format!("No one with the email address or profile number “{who}” has signed in to Casebook yet"))
            }
        }
    }
    if by.is_some() && organisers.is_empty() && errors.get("organisers").is_none() {
        errors.add("organisers", "Name at least one organiser, by email address or profile number");
    }
    let Some(valid) = valid.filter(|_| errors.is_empty()) else { return Err(DomainError::Invalid(errors)) };
    if slug_taken(db, &valid.slug, None).await? {
        return Err(taken(errors));
    }
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    let id = network::Entity::insert(network::ActiveModel {
        slug: Set(valid.slug.clone()),
        name: Set(valid.name),
        description: Set(valid.description),
        website: Set(valid.website),
        join_policy: Set(valid.join_policy),
        review_policy: Set(valid.review_policy),
        trusted_after: Set(valid.trusted_after),
        is_demo: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    for user_id in organisers {
        upsert_member(&txn, by, id, user_id, NetworkRole::Organiser, MembershipState::Active).await?;
    }
    events::record(&txn, Entry::new(Change::NetworkChanged, id, 0).by(by)).await?;
    txn.commit().await?;
    Ok(valid.slug)
}

/// Saves an organiser's changes to a network; a new slug keeps the old one redirecting.
pub async fn update(db: &DatabaseConnection, user_id: i32, slug: &str, form: &NetworkForm) -> Result<String, DomainError> {
    let current = find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    actor.check_in(current.id, current.join_policy, NetworkAction::Edit)?;
    let valid = validate(form).map_err(DomainError::Invalid)?;
    if valid.slug != current.slug && slug_taken(db, &valid.slug, Some(current.id)).await? {
        return Err(taken(FieldErrors::default()));
    }
    let txn = crate::db::begin(db).await?;
    if valid.slug != current.slug {
        network_former_slug::Entity::delete_by_id(valid.slug.clone()).exec(&txn).await?;
        network_former_slug::Entity::insert(network_former_slug::ActiveModel {
            slug: Set(current.slug.clone()),
            network_id: Set(current.id),
        })
        .exec(&txn)
        .await?;
    }
    network::Entity::update(network::ActiveModel {
        id: Set(current.id),
        slug: Set(valid.slug.clone()),
        name: Set(valid.name),
        description: Set(valid.description),
        website: Set(valid.website),
        join_policy: Set(valid.join_policy),
        review_policy: Set(valid.review_policy),
        trusted_after: Set(valid.trusted_after),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    events::record(&txn, Entry::new(Change::NetworkChanged, current.id, 0)).await?;
    txn.commit().await?;
    Ok(valid.slug)
}

/// The create form (no slug, site admins) or a network's edit form (its organisers), with a
/// rejected submission put back where there is one.
pub async fn editor(
    db: &DatabaseConnection,
    user_id: i32,
    slug: Option<&str>,
    rejected: Option<(NetworkForm, FieldErrors)>,
) -> Result<NetworkEditorView, DomainError> {
    let actor: Actor = roles::actor(db, Some(user_id)).await?;
    let saved = match slug {
        None => {
            actor.check_anywhere(NetworkAction::Create)?;
            NetworkForm { join_policy: "open".into(), review_policy: "every".into(), trusted_after: "3".into(), ..NetworkForm::default() }
        }
        Some(slug) => {
            let n = find(db, slug).await?;
            actor.check_in(n.id, n.join_policy, NetworkAction::Edit)?;
            NetworkForm {
                name: n.name,
                slug: n.slug,
                description: n.description,
                website: n.website,
                join_policy: n.join_policy.slug().into(),
                review_policy: n.review_policy.slug().into(),
                trusted_after: n.trusted_after.to_string(),
                organisers: String::new(),
            }
        }
    };
    let (form, errors) = rejected.unwrap_or((saved, FieldErrors::default()));
    Ok(NetworkEditorView { slug: slug.map(str::to_string), form, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> NetworkForm {
        NetworkForm {
            name: " Open  Data Camp ".into(),
            join_policy: "open".into(),
            review_policy: "trusted".into(),
            trusted_after: "2".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_slug_is_made_from_the_name_and_typed_ones_must_be_clean() {
        let valid = validate(&form()).unwrap();
        assert_eq!((valid.name.as_str(), valid.slug.as_str(), valid.trusted_after), ("Open Data Camp", "open-data-camp", 2));
        let errors = validate(&NetworkForm { slug: "Open Data!".into(), ..form() }).unwrap_err();
        assert!(errors.get("slug").is_some());
        assert!(validate(&NetworkForm { slug: "new".into(), ..form() }).unwrap_err().get("slug").is_some());
    }

    #[test]
    fn every_field_has_its_limit() {
        let errors = validate(&NetworkForm {
            name: "n".repeat(limits::NETWORK_NAME + 1),
            description: "d".repeat(limits::DESCRIPTION + 1),
            website: "ftp://example".into(),
            join_policy: "whoever".into(),
            review_policy: "never".into(),
            trusted_after: "1000".into(),
            ..Default::default()
        })
        .unwrap_err();
        for field in ["name", "description", "website", "join_policy", "review_policy", "trusted_after"] {
            assert!(errors.get(field).is_some(), "no error for {field}");
        }
    }
}
