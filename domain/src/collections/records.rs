//! Creating and changing a collection: its title, address, introduction, status and owners.
use chrono::Utc;
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::{curates, find};
use crate::case_studies::Checker;
use crate::entities::{collection, collection_network, network};
use crate::events::{self, Change, Entry};
use crate::forms::{limits, CollectionForm, FieldErrors};
use crate::identity::roles;
use crate::permissions::{Actor, NetworkAction};
use crate::views::{CollectionEditorView, Link};
use crate::vocabulary::CollectionStatus;
use crate::DomainError;

struct ValidCollection {
    title: String,
    slug: String,
    introduction: String,
    status: CollectionStatus,
    featured: bool,
    networks: Vec<network::Model>,
}

/// The networks this actor may give a collection to: those they organise, read by id rather than
/// by reading every network (every one for admins, who alone create networks).
async fn curated_networks(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<network::Model>, DomainError> {
    let mut query = network::Entity::find().order_by_asc(network::Column::Name);
    if !actor.is_admin {
        query = query.filter(network::Column::Id.is_in(actor.organises().collect::<Vec<_>>()));
    }
    let found = query.all(db).await?;
    Ok(found.into_iter().filter(|n| actor.may_in(n.id, n.join_policy, NetworkAction::Curate)).collect())
}

fn validate(form: &CollectionForm, choices: &[network::Model]) -> Result<ValidCollection, FieldErrors> {
    let mut c = Checker { errors: FieldErrors::default() };
    let title = c.single_line("title", "Title", &form.title, true, limits::COLLECTION_TITLE);
    let slug = c.slug("slug", &form.slug, &title, limits::SLUG);
    let introduction = c.text("introduction", "Introduction", &form.introduction, false, limits::INTRODUCTION);
    let status = c.choice("status", "Choose draft or published", &form.status, CollectionStatus::from_slug);
    let networks: Vec<network::Model> = choices.iter().filter(|n| form.networks.iter().any(|s| s.trim() == n.slug)).cloned().collect();
    if networks.is_empty() || networks.len() != form.networks.iter().filter(|s| !s.trim().is_empty()).count() {
        c.errors.add("networks", "Choose at least one network to own the collection, from those you organise");
    }
    let Some(status) = status else { return Err(c.errors) };
    c.finish(ValidCollection { title, slug, introduction, status, featured: form.featured.is_some(), networks })
}

async fn slug_taken(db: &DatabaseConnection, slug: &str, other_than: Option<i32>) -> Result<bool, DomainError> {
    let found = collection::Entity::find().filter(collection::Column::Slug.eq(slug)).one(db).await?;
    Ok(found.is_some_and(|c| Some(c.id) != other_than))
}

fn taken() -> DomainError {
    let mut errors = FieldErrors::default();
    errors.add("slug", "Another collection has this web address: choose another");
    DomainError::Invalid(errors)
}

async fn set_owners(db: &impl sea_orm::ConnectionTrait, id: i32, networks: &[network::Model]) -> Result<(), DomainError> {
    collection_network::Entity::delete_many().filter(collection_network::Column::CollectionId.eq(id)).exec(db).await?;
    collection_network::Entity::insert_many(
        networks.iter().map(|n| collection_network::ActiveModel { collection_id: Set(id), network_id: Set(n.id) }),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// A new collection by a curator; returns its slug.
pub async fn create(db: &DatabaseConnection, user_id: i32, form: &CollectionForm) -> Result<String, DomainError> {
    let actor = roles::actor(db, Some(user_id)).await?;
    let choices = curated_networks(db, &actor).await?;
    if choices.is_empty() {
        return Err(DomainError::Forbidden);
    }
    let valid = validate(form, &choices).map_err(DomainError::Invalid)?;
    if slug_taken(db, &valid.slug, None).await? {
        return Err(taken());
    }
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    let id = collection::Entity::insert(collection::ActiveModel {
        slug: Set(valid.slug.clone()),
        title: Set(valid.title),
        introduction: Set(valid.introduction),
        status: Set(valid.status),
        featured: Set(valid.featured),
        version: Set(1),
        is_demo: Set(false),
        created_by: Set(Some(user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    set_owners(&txn, id, &valid.networks).await?;
    events::record(&txn, Entry::new(Change::CollectionChanged, id, 1)).await?;
    txn.commit().await?;
    Ok(valid.slug)
}

/// Saves a curator's changes, only over the version their form was opened from.
pub async fn update(db: &DatabaseConnection, user_id: i32, slug: &str, form: &CollectionForm) -> Result<String, DomainError> {
    let (current, owners) = find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    if !curates(&actor, &owners) {
        return Err(DomainError::Forbidden);
    }
    // Owning networks the curator does not organise stay; they may add and remove their own.
    let mut choices = curated_networks(db, &actor).await?;
    let kept: Vec<network::Model> = owners.iter().filter(|o| !choices.iter().any(|c| c.id == o.id)).cloned().collect();
    choices.extend(kept.iter().cloned());
    let mut valid = validate(form, &choices).map_err(DomainError::Invalid)?;
    for owner in kept {
        if !valid.networks.iter().any(|n| n.id == owner.id) {
            valid.networks.push(owner);
        }
    }
    if valid.slug != current.slug && slug_taken(db, &valid.slug, Some(current.id)).await? {
        return Err(taken());
    }
    let version: i32 = form.version.trim().parse().unwrap_or(0);
    let txn = crate::db::begin(db).await?;
    let saved = collection::Entity::update_many()
        .col_expr(collection::Column::Slug, Expr::value(valid.slug.clone()))
        .col_expr(collection::Column::Title, Expr::value(valid.title))
        .col_expr(collection::Column::Introduction, Expr::value(valid.introduction))
        .col_expr(collection::Column::Status, Expr::value(valid.status.slug()))
        .col_expr(collection::Column::Featured, Expr::value(valid.featured))
        .col_expr(collection::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(collection::Column::Version, Expr::col(collection::Column::Version).add(1))
        .filter(collection::Column::Id.eq(current.id))
        .filter(collection::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if saved.rows_affected == 0 {
        return Err(DomainError::Conflict(super::items::STALE.into()));
    }
    set_owners(&txn, current.id, &valid.networks).await?;
    events::record(&txn, Entry::new(Change::CollectionChanged, current.id, version + 1)).await?;
    txn.commit().await?;
    Ok(valid.slug)
}

/// The create form (no slug) or a collection's edit form, with a rejected submission put back.
pub async fn editor(
    db: &DatabaseConnection,
    user_id: i32,
    slug: Option<&str>,
    rejected: Option<(CollectionForm, FieldErrors)>,
) -> Result<CollectionEditorView, DomainError> {
    let actor = roles::actor(db, Some(user_id)).await?;
    let mut choices = curated_networks(db, &actor).await?;
    let saved = match slug {
        None => {
            if choices.is_empty() {
                return Err(DomainError::Forbidden);
            }
            CollectionForm { status: "draft".into(), ..CollectionForm::default() }
        }
        Some(slug) => {
            let (current, owners) = find(db, slug).await?;
            if !curates(&actor, &owners) {
                return Err(DomainError::Forbidden);
            }
            for owner in &owners {
                if !choices.iter().any(|c| c.id == owner.id) {
                    choices.push(owner.clone());
                }
            }
            CollectionForm {
                title: current.title,
                slug: current.slug,
                introduction: current.introduction,
                status: current.status.slug().into(),
                featured: current.featured.then(|| "on".to_string()),
                networks: owners.into_iter().map(|n| n.slug).collect(),
                version: current.version.to_string(),
            }
        }
    };
    let (form, errors) = rejected.unwrap_or((saved, FieldErrors::default()));
    Ok(CollectionEditorView {
        slug: slug.map(str::to_string),
        form,
        errors,
        networks: choices.into_iter().map(|n| Link { slug: n.slug, name: n.name }).collect(),
    })
}
