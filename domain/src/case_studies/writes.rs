//! Creating and editing case studies. Each save asks the permission table, moves the status
//! only through `lifecycle`, and writes the row, its links, a revision and its event in one
//! transaction.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};

use super::access::authorship;
use super::lifecycle::{self, transition};
use super::queries::{current_state, find};
use super::revisions;
use super::validation::{field_label, validate, ValidCaseStudy, ValidDataset, RESERVED_SLUGS};
use crate::catalogue::{self, id_for_slug, ids_for_slugs};
use crate::entities::{
    case_study, case_study_author, case_study_dataset, case_study_organisation, case_study_pattern, case_study_tag, dataset, organisation,
    pattern, tag,
};
use crate::events::{self, Change, Detail, Entry};
use crate::forms::{CaseStudyForm, FieldErrors};
use crate::identity::roles;
use crate::permissions::{may, Action, Authorship};
use crate::text::{normalise_tag, slugify};
use crate::views::{ConflictField, EditConflict};
use crate::vocabulary::Status;
use crate::DomainError;

/// Validates and saves a new case study by `author_id`; returns its slug.
pub async fn create(db: &DatabaseConnection, author_id: i32, form: &CaseStudyForm) -> Result<String, DomainError> {
    create_keeping(db, author_id, form, None).await
}

/// What an imported case study keeps from the site it came from, so that its address and dates
/// survive the journey.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    /// The import row's id: kept as the case study's `import_id`, and used as its slug when free
    /// (otherwise the title gives one, as for any new case study).
    pub slug: String,
    pub published_at: Option<chrono::DateTime<Utc>>,
    pub updated_at: Option<chrono::DateTime<Utc>>,
}

/// `create`, keeping what the importer brought where it is given.
pub(crate) async fn create_keeping(
    db: &DatabaseConnection,
    author_id: i32,
    form: &CaseStudyForm,
    kept: Option<&Kept>,
) -> Result<String, DomainError> {
    let actor = roles::actor(db, Some(author_id)).await?;
    actor.check(&Authorship::default(), Action::Create)?;
    let valid = validate_against_catalogue(db, form).await?;
    if !lifecycle::may_start_as(valid.status) {
        let mut errors = FieldErrors::default();
        errors.add("status", "A new case study is saved as a draft or published");
        return Err(DomainError::Invalid(errors));
    }
    let may_change_shared_datasets = may(actor.toward(&Authorship::default()), Action::ChangeSharedDataset);
    insert(db, &[author_id], &valid, Extras { may_change_shared_datasets, ..Extras::default() }, kept).await
}

/// Flags only the demo loader and admins set.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extras {
    pub is_demo: bool,
    pub featured: bool,
    /// May change the details of dataset records that other case studies link too.
    pub may_change_shared_datasets: bool,
}

pub(crate) async fn insert(
    db: &DatabaseConnection,
    author_ids: &[i32],
    valid: &ValidCaseStudy,
    extras: Extras,
    kept: Option<&Kept>,
) -> Result<String, DomainError> {
    let txn = crate::db::begin(db).await?;
    let mut slug = None;
    if let Some(kept) = kept {
        if is_free(&txn, &kept.slug).await? {
            slug = Some(kept.slug.clone());
        }
    }
    let slug = match slug {
        Some(slug) => slug,
        None => unique_slug(&txn, &valid.title).await?,
    };
    let now = Utc::now();
    let mut row = case_study::ActiveModel {
        slug: Set(slug.clone()),
        featured: Set(extras.featured),
        is_demo: Set(extras.is_demo),
        created_by: Set(author_ids.first().copied()),
        created_at: Set(now),
        published_at: Set(None),
        version: Set(1),
        ..Default::default()
    };
    assign(&mut row, valid, None);
    if let Some(kept) = kept {
        row.import_id = Set(Some(kept.slug.clone()));
        if valid.status == Status::Published && kept.published_at.is_some() {
            row.published_at = Set(kept.published_at);
        }
        if let Some(at) = kept.updated_at {
            row.updated_at = Set(at);
        }
    }
    let id = case_study::Entity::insert(row).exec(&txn).await?.last_insert_id;
    write_links(&txn, id, valid, extras.may_change_shared_datasets).await?;
    let authors = author_ids.iter().map(|&user_id| case_study_author::ActiveModel { case_study_id: Set(id), user_id: Set(user_id) });
    case_study_author::Entity::insert_many(authors).exec(&txn).await?;
    if let Some(&author) = author_ids.first() {
        revisions::record(&txn, id, author, None, valid).await?;
    }
    let by = author_ids.first().copied();
    events::record(&txn, Entry::new(Change::Created, id, 1).by(by)).await?;
    if valid.status == Status::Published {
        events::record(&txn, Entry::new(Change::Published, id, 1).by(by)).await?;
    }
    txn.commit().await?;
    Ok(slug)
}

/// Validates and saves an edit by `user_id`; returns the (unchanged) slug. The status the form
/// asks for is a transition the person must be allowed; an edit made from an older version than
/// the one saved comes back as a conflict, with both versions to compare.
pub async fn update(db: &DatabaseConnection, user_id: i32, slug: &str, form: &CaseStudyForm) -> Result<String, DomainError> {
    let model = find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    let authorship = authorship(db, &model).await?;
    actor.check(&authorship, Action::Edit)?;
    let valid = validate_against_catalogue(db, form).await?;
    let before = current_state(db, &model).await?;
    let changed = revisions::changed_fields(&before, &valid);
    if changed.is_empty() {
        return Ok(model.slug);
    }
    if form.version != model.version {
        return Err(conflict(&before, &changed, model.version));
    }
    let moved = transition(model.status, valid.status);
    if let Some(moved) = moved {
        actor.check(&authorship, moved.action)?;
    }
    let txn = crate::db::begin(db).await?;
    let (id, version) = (model.id, model.version);
    let published_at = model.published_at;
    let leaves_published = model.status == Status::Published && valid.status != Status::Published;
    let mut row: case_study::ActiveModel = model.into();
    assign(&mut row, &valid, published_at);
    row.version = Set(version + 1);
    // Saved only over the version this edit started from: a save that raced ahead of it wins,
    // and this one comes back as a conflict.
    let saved = case_study::Entity::update_many()
        .set(row)
        .filter(case_study::Column::Id.eq(id))
        .filter(case_study::Column::Version.eq(version))
        .exec(&txn)
        .await?;
    if saved.rows_affected == 0 {
        txn.rollback().await?;
        let model = find(db, slug).await?;
        let before = current_state(db, &model).await?;
        return Err(conflict(&before, &revisions::changed_fields(&before, &valid), model.version));
    }
    write_links(&txn, id, &valid, may(actor.toward(&authorship), Action::ChangeSharedDataset)).await?;
    if leaves_published {
        crate::networks::withdraw_pending(&txn, id, user_id, version + 1).await?;
    }
    revisions::record(&txn, id, user_id, Some(&before), &valid).await?;
    let detail = Detail::Edited { substantial: revisions::substantial(&before, &valid), fields: changed };
    events::record(&txn, Entry::new(moved.map_or(Change::Edited, |m| m.change), id, version + 1).by(user_id).with(detail)).await?;
    txn.commit().await?;
    Ok(slug.to_string())
}

/// The saved values of the fields an edit differs in.
fn conflict(saved: &ValidCaseStudy, changed: &[String], version: i32) -> DomainError {
    let saved_json = serde_json::to_value(saved).unwrap_or_default();
    let fields = changed
        .iter()
        .map(|key| ConflictField {
            label: field_label(key).to_string(),
            saved: as_text(saved_json.get(key).unwrap_or(&serde_json::Value::Null)),
        })
        .collect();
    DomainError::EditConflict(Box::new(EditConflict { version, fields }))
}

/// A saved value as people read it.
fn as_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(empty)".to_string(),
        serde_json::Value::String(text) if text.is_empty() => "(empty)".to_string(),
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) if items.is_empty() => "(none)".to_string(),
        serde_json::Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join("; "),
        serde_json::Value::Object(fields) => fields.get("title").or_else(|| fields.get("url")).map(as_text).unwrap_or_default(),
        other => other.to_string(),
    }
}

async fn validate_against_catalogue(db: &DatabaseConnection, form: &CaseStudyForm) -> Result<ValidCaseStudy, DomainError> {
    let (patterns, organisations) = catalogue::choices(db).await?;
    validate(form, &patterns, &organisations).map_err(DomainError::Invalid)
}

/// Copies the validated fields onto a row; the first publication is timestamped once.
fn assign(row: &mut case_study::ActiveModel, valid: &ValidCaseStudy, published_at: Option<chrono::DateTime<Utc>>) {
    let now = Utc::now();
    row.title = Set(valid.title.clone());
    row.summary = Set(valid.summary.clone());
    row.body = Set(valid.body.clone());
    row.service_area = Set(valid.service_area);
    row.phase = Set(valid.phase);
    row.status = Set(valid.status);
    row.region = Set(valid.region.clone());
    row.start_date = Set(valid.start_date);
    row.end_date = Set(valid.end_date);
    row.outcomes = Set(valid.outcomes.clone());
    row.lessons = Set(valid.lessons.clone());
    row.practices = Set(valid.practices.iter().map(|p| p.slug()).collect::<Vec<_>>().join(","));
    row.contact = Set(valid.contact.clone());
    row.licence = Set(valid.licence);
    row.updated_at = Set(now);
    row.published_at = Set(match (published_at, valid.status) {
        (Some(at), _) => Some(at),
        (None, Status::Published) => Some(now),
        (None, _) => None,
    });
}

/// Whether `slug` is a well-formed slug no case study has.
async fn is_free(db: &impl ConnectionTrait, slug: &str) -> Result<bool, DomainError> {
    if slug.is_empty() || slugify(slug, 80) != slug || RESERVED_SLUGS.contains(&slug) {
        return Ok(false);
    }
    Ok(case_study::Entity::find().filter(case_study::Column::Slug.eq(slug)).count(db).await? == 0)
}

async fn unique_slug(db: &impl ConnectionTrait, title: &str) -> Result<String, DomainError> {
    let mut base = slugify(title, 80);
    if base.is_empty() {
        base = "case-study".to_string();
    }
    let taken: Vec<String> = case_study::Entity::find()
        .select_only()
        .column(case_study::Column::Slug)
        .filter(case_study::Column::Slug.starts_with(&base))
        .into_tuple()
        .all(db)
        .await?;
    let is_free = |candidate: &str| !taken.iter().any(|t| t == candidate) && !RESERVED_SLUGS.contains(&candidate);
    if is_free(&base) {
        return Ok(base);
    }
    Ok((2..).map(|n| format!("{base}-{n}")).find(|candidate| is_free(candidate)).unwrap_or(base))
}

/// Replaces the patterns, organisations, tags and datasets a case study links to.
async fn write_links(db: &impl ConnectionTrait, id: i32, valid: &ValidCaseStudy, may_change_shared: bool) -> Result<(), DomainError> {
    case_study_pattern::Entity::delete_many().filter(case_study_pattern::Column::CaseStudyId.eq(id)).exec(db).await?;
    case_study_organisation::Entity::delete_many().filter(case_study_organisation::Column::CaseStudyId.eq(id)).exec(db).await?;
    case_study_tag::Entity::delete_many().filter(case_study_tag::Column::CaseStudyId.eq(id)).exec(db).await?;
    case_study_dataset::Entity::delete_many().filter(case_study_dataset::Column::CaseStudyId.eq(id)).exec(db).await?;

    let pattern_ids = ids_for_slugs::<pattern::Entity>(db, pattern::Column::Id, pattern::Column::Slug, &valid.patterns).await?;
    if !pattern_ids.is_empty() {
        let rows = pattern_ids
            .into_iter()
            .map(|pattern_id| case_study_pattern::ActiveModel { case_study_id: Set(id), pattern_id: Set(pattern_id) });
        case_study_pattern::Entity::insert_many(rows).exec(db).await?;
    }

    let organisation_ids =
        ids_for_slugs::<organisation::Entity>(db, organisation::Column::Id, organisation::Column::Slug, &valid.organisations).await?;
    if !organisation_ids.is_empty() {
        let rows = organisation_ids
            .into_iter()
            .map(|organisation_id| case_study_organisation::ActiveModel { case_study_id: Set(id), organisation_id: Set(organisation_id) });
        case_study_organisation::Entity::insert_many(rows).exec(db).await?;
    }

    let mut tag_ids = Vec::new();
    for (slug, name) in valid.tags.iter().filter_map(|name| normalise_tag(name)) {
        // Another save may add the same new tag at the same moment: whoever is first makes it.
        tag::Entity::insert(tag::ActiveModel { slug: Set(slug.clone()), name: Set(name), ..Default::default() })
            .on_conflict_do_nothing_on([tag::Column::Slug])
            .exec(db)
            .await?;
        tag_ids.push(id_for_slug::<tag::Entity>(db, tag::Column::Id, tag::Column::Slug, &slug).await?.ok_or(DomainError::NotFound)?);
    }
    if !tag_ids.is_empty() {
        let rows = tag_ids.into_iter().map(|tag_id| case_study_tag::ActiveModel { case_study_id: Set(id), tag_id: Set(tag_id) });
        case_study_tag::Entity::insert_many(rows).exec(db).await?;
    }

    for linked in &valid.datasets {
        let dataset_id = link_dataset(db, linked, may_change_shared).await?;
        case_study_dataset::Entity::insert(case_study_dataset::ActiveModel {
            case_study_id: Set(id),
            dataset_id: Set(dataset_id),
            usage: Set(linked.usage.clone()),
            prefer_own: Set(linked.prefer_own),
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Datasets are shared by URL: linking a known URL reuses its record. Its title, publisher,
/// licence and format are shared by every case study that links it, so what one author types
/// changes them only while no other case study links it, or when an admin saves; the usage
/// note is always the author's own. A change to a shared record is an event of its own, so that
/// every case study showing it is indexed again.
async fn link_dataset(db: &impl ConnectionTrait, linked: &ValidDataset, may_change_shared: bool) -> Result<i32, DomainError> {
    let by_url = || dataset::Entity::find().filter(dataset::Column::Url.eq(&linked.url));
    let Some(found) = by_url().one(db).await? else {
        // Another save may link the same new address at the same moment: whoever is first makes
        // the record, and the other links it as any known address.
        let inserted = dataset::Entity::insert(dataset::ActiveModel {
            title: Set(linked.title.clone()),
            url: Set(linked.url.clone()),
            publisher: Set(linked.publisher.clone()),
            licence: Set(linked.licence.clone()),
            format: Set(linked.format.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([dataset::Column::Url])
        .exec(db)
        .await?;
        return match inserted {
            sea_orm::TryInsertResult::Inserted(done) => Ok(done.last_insert_id),
            _ => Ok(by_url().one(db).await?.ok_or(DomainError::NotFound)?.id),
        };
    };
    let keep_or = |typed: &str, saved: &str| if typed.is_empty() { saved.to_string() } else { typed.to_string() };
    let wanted = (
        keep_or(&linked.title, &found.title),
        keep_or(&linked.publisher, &found.publisher),
        keep_or(&linked.licence, &found.licence),
        keep_or(&linked.format, &found.format),
    );
    if wanted == (found.title.clone(), found.publisher.clone(), found.licence.clone(), found.format.clone()) {
        return Ok(found.id);
    }
    let others = case_study_dataset::Entity::find().filter(case_study_dataset::Column::DatasetId.eq(found.id)).count(db).await?;
    if others > 0 && !may_change_shared {
        return Ok(found.id);
    }
    let id = found.id;
    let mut row: dataset::ActiveModel = found.into();
    row.title = Set(wanted.0);
    row.publisher = Set(wanted.1);
    row.licence = Set(wanted.2);
    row.format = Set(wanted.3);
    row.update(db).await?;
    if others > 0 {
        events::record(db, Entry::new(Change::DatasetChanged, id, 0)).await?;
    }
    Ok(id)
}
