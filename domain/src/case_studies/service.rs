//! Creating, editing and reading case studies. Every change runs in one transaction and keeps a revision.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use super::cards::{self, card, cards, LinkedBy};
use super::revisions;
use super::validation::{validate, ValidCaseStudy, ValidDataset};
use crate::catalogue::{self, id_for_slug, ids_for_slugs};
use crate::entities::{
    case_study, case_study_author, case_study_dataset, case_study_organisation, case_study_pattern, case_study_tag, dataset, organisation,
    pattern, tag,
};
use crate::forms::{CaseStudyForm, DatasetRow, FieldErrors};
use crate::identity::{profiles, roles};
use crate::markdown;
use crate::search;
use crate::text::{date_text, normalise_tag, slugify, timestamp_text};
use crate::views::{CaseStudyView, EditorView, HomeView, Link, LinkedDataset, ListFilters, Page};
use crate::vocabulary::{Licence, Phase, Practice, ServiceArea, Status};
use crate::DomainError;

pub const PER_PAGE: u64 = 10;
/// Blank dataset rows offered on the form, so that datasets can be added without JavaScript.
const BLANK_DATASET_ROWS: usize = 2;
/// Slugs the site's own routes use.
const RESERVED_SLUGS: [&str; 1] = ["new"];

/// Validates and saves a new case study by `author_id`; returns its slug.
pub async fn create(db: &DatabaseConnection, author_id: i32, form: &CaseStudyForm) -> Result<String, DomainError> {
    let valid = validate_against_catalogue(db, form).await?;
    insert(db, &[author_id], &valid, Extras::default()).await
}

/// Flags only the demo loader sets.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Extras {
    pub is_demo: bool,
    pub featured: bool,
}

pub(crate) async fn insert(
    db: &DatabaseConnection,
    author_ids: &[i32],
    valid: &ValidCaseStudy,
    extras: Extras,
) -> Result<String, DomainError> {
    let txn = db.begin().await?;
    let slug = unique_slug(&txn, &valid.title).await?;
    let now = Utc::now();
    let mut row = case_study::ActiveModel {
        slug: Set(slug.clone()),
        featured: Set(extras.featured),
        is_demo: Set(extras.is_demo),
        created_by: Set(author_ids.first().copied()),
        created_at: Set(now),
        published_at: Set(None),
        ..Default::default()
    };
    assign(&mut row, valid, None);
    let id = case_study::Entity::insert(row).exec(&txn).await?.last_insert_id;
    write_links(&txn, id, valid).await?;
    let authors = author_ids.iter().map(|&user_id| case_study_author::ActiveModel { case_study_id: Set(id), user_id: Set(user_id) });
    case_study_author::Entity::insert_many(authors).exec(&txn).await?;
    if let Some(&author) = author_ids.first() {
        revisions::record(&txn, id, author, None, valid).await?;
    }
    search::enqueue(&txn, &[id]).await?;
    txn.commit().await?;
    Ok(slug)
}

/// Validates and saves an edit by `user_id`, who must be an author; returns the (unchanged) slug.
pub async fn update(db: &DatabaseConnection, user_id: i32, slug: &str, form: &CaseStudyForm) -> Result<String, DomainError> {
    let model = find(db, slug).await?;
    ensure_may_edit(db, model.id, user_id).await?;
    let valid = validate_against_catalogue(db, form).await?;
    let before = current_state(db, &model).await?;
    if revisions::changed_fields(&before, &valid).is_empty() {
        return Ok(model.slug);
    }
    let txn = db.begin().await?;
    let id = model.id;
    let published_at = model.published_at;
    let mut row: case_study::ActiveModel = model.into();
    assign(&mut row, &valid, published_at);
    row.update(&txn).await?;
    write_links(&txn, id, &valid).await?;
    revisions::record(&txn, id, user_id, Some(&before), &valid).await?;
    search::enqueue(&txn, &[id]).await?;
    txn.commit().await?;
    Ok(slug.to_string())
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
    row.service_area = Set(valid.service_area.slug().to_string());
    row.phase = Set(valid.phase.slug().to_string());
    row.status = Set(valid.status.slug().to_string());
    row.region = Set(valid.region.clone());
    row.start_date = Set(valid.start_date);
    row.end_date = Set(valid.end_date);
    row.outcomes = Set(valid.outcomes.clone());
    row.lessons = Set(valid.lessons.clone());
    row.practices = Set(valid.practices.iter().map(|p| p.slug()).collect::<Vec<_>>().join(","));
    row.contact = Set(valid.contact.clone());
    row.licence = Set(valid.licence.slug().to_string());
    row.updated_at = Set(now);
    row.published_at = Set(match (published_at, valid.status) {
        (Some(at), _) => Some(at),
        (None, Status::Published) => Some(now),
        (None, _) => None,
    });
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
async fn write_links(db: &impl ConnectionTrait, id: i32, valid: &ValidCaseStudy) -> Result<(), DomainError> {
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
        let existing: Option<i32> = id_for_slug::<tag::Entity>(db, tag::Column::Id, tag::Column::Slug, &slug).await?;
        let tag_id = match existing {
            Some(tag_id) => tag_id,
            None => {
                tag::Entity::insert(tag::ActiveModel { slug: Set(slug), name: Set(name), ..Default::default() })
                    .exec(db)
                    .await?
                    .last_insert_id
            }
        };
        tag_ids.push(tag_id);
    }
    if !tag_ids.is_empty() {
        let rows = tag_ids.into_iter().map(|tag_id| case_study_tag::ActiveModel { case_study_id: Set(id), tag_id: Set(tag_id) });
        case_study_tag::Entity::insert_many(rows).exec(db).await?;
    }

    for linked in &valid.datasets {
        let dataset_id = upsert_dataset(db, linked).await?;
        case_study_dataset::Entity::insert(case_study_dataset::ActiveModel {
            case_study_id: Set(id),
            dataset_id: Set(dataset_id),
            usage: Set(linked.usage.clone()),
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Datasets are shared by URL: linking a known URL reuses its record and refreshes its details.
async fn upsert_dataset(db: &impl ConnectionTrait, linked: &ValidDataset) -> Result<i32, DomainError> {
    let existing = dataset::Entity::find().filter(dataset::Column::Url.eq(&linked.url)).one(db).await?;
    match existing {
        Some(found) => {
            let id = found.id;
            let mut row: dataset::ActiveModel = found.into();
            row.title = Set(linked.title.clone());
            if !linked.publisher.is_empty() {
                row.publisher = Set(linked.publisher.clone());
            }
            if !linked.licence.is_empty() {
                row.licence = Set(linked.licence.clone());
            }
            if !linked.format.is_empty() {
                row.format = Set(linked.format.clone());
            }
            row.update(db).await?;
            Ok(id)
        }
        None => Ok(dataset::Entity::insert(dataset::ActiveModel {
            title: Set(linked.title.clone()),
            url: Set(linked.url.clone()),
            publisher: Set(linked.publisher.clone()),
            licence: Set(linked.licence.clone()),
            format: Set(linked.format.clone()),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(db)
        .await?
        .last_insert_id),
    }
}

async fn find(db: &impl ConnectionTrait, slug: &str) -> Result<case_study::Model, DomainError> {
    case_study::Entity::find().filter(case_study::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)
}

async fn author_ids(db: &impl ConnectionTrait, case_study_id: i32) -> Result<Vec<i32>, DomainError> {
    Ok(case_study_author::Entity::find()
        .select_only()
        .column(case_study_author::Column::UserId)
        .filter(case_study_author::Column::CaseStudyId.eq(case_study_id))
        .into_tuple()
        .all(db)
        .await?)
}

/// Authors may edit their case studies, and admins any case study.
async fn may_edit(db: &impl ConnectionTrait, authors: &[i32], user_id: i32) -> Result<bool, DomainError> {
    Ok(authors.contains(&user_id) || roles::is_admin(db, user_id).await?)
}

async fn ensure_may_edit(db: &impl ConnectionTrait, case_study_id: i32, user_id: i32) -> Result<(), DomainError> {
    if may_edit(db, &author_ids(db, case_study_id).await?, user_id).await? {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

/// What a case study links to, with names.
struct Links {
    patterns: Vec<Link>,
    organisations: Vec<Link>,
    tags: Vec<Link>,
    datasets: Vec<LinkedDataset>,
}

async fn links(db: &impl ConnectionTrait, id: i32) -> Result<Links, DomainError> {
    let patterns = cards::patterns_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    let organisations = cards::organisations_of(db, &[id]).await?.remove(&id).unwrap_or_default();
    let tag_ids: Vec<i32> = case_study_tag::Entity::find()
        .select_only()
        .column(case_study_tag::Column::TagId)
        .filter(case_study_tag::Column::CaseStudyId.eq(id))
        .into_tuple()
        .all(db)
        .await?;
    let tags = tag::Entity::find()
        .filter(tag::Column::Id.is_in(tag_ids))
        .order_by_asc(tag::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|t| Link { slug: t.slug, name: t.name })
        .collect();
    let usages = case_study_dataset::Entity::find().filter(case_study_dataset::Column::CaseStudyId.eq(id)).all(db).await?;
    let mut datasets: Vec<LinkedDataset> = dataset::Entity::find()
        .filter(dataset::Column::Id.is_in(usages.iter().map(|u| u.dataset_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| LinkedDataset {
            usage: usages.iter().find(|u| u.dataset_id == d.id).map(|u| u.usage.clone()).unwrap_or_default(),
            id: d.id,
            title: d.title,
            url: d.url,
            publisher: d.publisher,
            licence: d.licence,
            format: d.format,
        })
        .collect();
    datasets.sort_by(|a, b| a.title.cmp(&b.title));
    Ok(Links { patterns, organisations, tags, datasets })
}

/// The saved case study, in the same shape a valid submission has.
fn state_of(model: &case_study::Model, links: &Links) -> ValidCaseStudy {
    ValidCaseStudy {
        title: model.title.clone(),
        summary: model.summary.clone(),
        body: model.body.clone(),
        service_area: ServiceArea::from_slug(&model.service_area).unwrap_or(ServiceArea::Other),
        phase: Phase::from_slug(&model.phase).unwrap_or(Phase::Discovery),
        status: Status::from_slug(&model.status).unwrap_or(Status::Draft),
        region: model.region.clone(),
        start_date: model.start_date,
        end_date: model.end_date,
        outcomes: model.outcomes.clone(),
        lessons: model.lessons.clone(),
        contact: model.contact.clone(),
        licence: Licence::from_slug(&model.licence).unwrap_or_default(),
        practices: practices(&model.practices),
        patterns: links.patterns.iter().map(|l| l.slug.clone()).collect(),
        organisations: links.organisations.iter().map(|l| l.slug.clone()).collect(),
        tags: links.tags.iter().map(|l| l.name.clone()).collect(),
        datasets: links
            .datasets
            .iter()
            .map(|d| ValidDataset {
                title: d.title.clone(),
                url: d.url.clone(),
                publisher: d.publisher.clone(),
                licence: d.licence.clone(),
                format: d.format.clone(),
                usage: d.usage.clone(),
            })
            .collect(),
    }
    .canonical()
}

async fn current_state(db: &impl ConnectionTrait, model: &case_study::Model) -> Result<ValidCaseStudy, DomainError> {
    Ok(state_of(model, &links(db, model.id).await?))
}

fn practices(stored: &str) -> Vec<Practice> {
    stored.split(',').filter_map(Practice::from_slug).collect()
}

/// A case study as a reader sees it. Drafts exist only for their authors; anyone else gets `NotFound`.
pub async fn view(db: &DatabaseConnection, slug: &str, viewer: Option<i32>) -> Result<CaseStudyView, DomainError> {
    let model = find(db, slug).await?;
    let author_ids = author_ids(db, model.id).await?;
    let can_edit = match viewer {
        Some(user_id) => may_edit(db, &author_ids, user_id).await?,
        None => false,
    };
    if model.status == Status::Draft.slug() && !can_edit {
        return Err(DomainError::NotFound);
    }
    let links = links(db, model.id).await?;
    let authors = profiles::author_credits(db, &author_ids).await?;
    let revisions = revisions::history(db, model.id).await?;
    let related = if model.status == Status::Published.slug() { search::related(db, &model).await? } else { Vec::new() };
    Ok(CaseStudyView {
        related,
        body_html: markdown::render(&model.body),
        outcomes: model.outcomes.clone(),
        lessons: model.lessons.clone(),
        practices: practices(&model.practices),
        contact: model.contact.clone(),
        licence: Licence::from_slug(&model.licence).unwrap_or_default(),
        start_date: model.start_date.map(date_text),
        end_date: model.end_date.map(date_text),
        published: model.published_at.map(timestamp_text),
        tags: links.tags,
        datasets: links.datasets,
        authors,
        revisions,
        can_edit,
        card: card(model, links.organisations, links.patterns),
    })
}

/// The create form (no `slug`) or the edit form of a case study `user_id` wrote; `submitted`
/// carries a rejected submission back to the person with its errors.
pub async fn editor(
    db: &DatabaseConnection,
    user_id: i32,
    slug: Option<&str>,
    submitted: Option<(CaseStudyForm, FieldErrors)>,
) -> Result<EditorView, DomainError> {
    let (patterns, organisations) = catalogue::choices(db).await?;
    let (title, saved) = match slug {
        Some(slug) => {
            let model = find(db, slug).await?;
            ensure_may_edit(db, model.id, user_id).await?;
            (format!("Edit: {}", model.title), Some(current_state(db, &model).await?))
        }
        None => ("Share a case study".to_string(), None),
    };
    let (mut form, errors) = match submitted {
        Some((form, errors)) => (form, errors),
        None => (saved.map(form_from).unwrap_or_else(blank_form), FieldErrors::default()),
    };
    let mut rows: Vec<DatasetRow> = form.dataset_rows().into_iter().filter(|r| !r.is_blank()).collect();
    rows.extend(std::iter::repeat_with(DatasetRow::default).take(BLANK_DATASET_ROWS));
    form.set_dataset_rows(&rows);
    Ok(EditorView { slug: slug.map(str::to_string), title, form, errors, patterns, organisations })
}

fn blank_form() -> CaseStudyForm {
    CaseStudyForm { status: Status::Draft.slug().to_string(), licence: Licence::default().slug().to_string(), ..Default::default() }
}

fn form_from(saved: ValidCaseStudy) -> CaseStudyForm {
    let mut form = CaseStudyForm {
        title: saved.title,
        summary: saved.summary,
        body: saved.body,
        service_area: saved.service_area.slug().to_string(),
        phase: saved.phase.slug().to_string(),
        status: saved.status.slug().to_string(),
        region: saved.region,
        start_date: saved.start_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        end_date: saved.end_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        outcomes: saved.outcomes,
        lessons: saved.lessons,
        contact: saved.contact,
        licence: saved.licence.slug().to_string(),
        tags: saved.tags.join(", "),
        practices: saved.practices.iter().map(|p| p.slug().to_string()).collect(),
        patterns: saved.patterns,
        organisations: saved.organisations,
        ..Default::default()
    };
    let rows: Vec<DatasetRow> = saved
        .datasets
        .into_iter()
        .map(|d| DatasetRow { title: d.title, url: d.url, publisher: d.publisher, licence: d.licence, format: d.format, usage: d.usage })
        .collect();
    form.set_dataset_rows(&rows);
    form
}

/// One page of published case studies matching the filters, newest first. A filter naming
/// something that does not exist matches nothing.
pub async fn list(db: &DatabaseConnection, filters: &ListFilters) -> Result<Page<crate::views::CaseStudyCard>, DomainError> {
    let page = filters.page.unwrap_or(1).max(1);
    let mut query = case_study::Entity::find().filter(case_study::Column::Status.eq(Status::Published.slug()));
    let given = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    if let Some(area) = given(&filters.service_area) {
        query = query.filter(case_study::Column::ServiceArea.eq(area));
    }
    if let Some(phase) = given(&filters.phase) {
        query = query.filter(case_study::Column::Phase.eq(phase));
    }
    let mut linked = Vec::new();
    if let Some(slug) = given(&filters.pattern) {
        linked.push(id_for_slug::<pattern::Entity>(db, pattern::Column::Id, pattern::Column::Slug, &slug).await?.map(LinkedBy::Pattern));
    }
    if let Some(slug) = given(&filters.organisation) {
        linked.push(
            id_for_slug::<organisation::Entity>(db, organisation::Column::Id, organisation::Column::Slug, &slug)
                .await?
                .map(LinkedBy::Organisation),
        );
    }
    if let Some(tag) = given(&filters.tag) {
        // People type tags as they read them ("Bin collection"); tags are found by their slug.
        let slug = slugify(&tag, 60);
        linked.push(id_for_slug::<tag::Entity>(db, tag::Column::Id, tag::Column::Slug, &slug).await?.map(LinkedBy::Tag));
    }
    for link in linked {
        query = match link {
            Some(link) => query.filter(link.condition()),
            None => query.filter(case_study::Column::Id.is_in(Vec::<i32>::new())),
        };
    }
    let paginator = query.order_by_desc(case_study::Column::PublishedAt).order_by_desc(case_study::Column::Id).paginate(db, PER_PAGE);
    let total_items = paginator.num_items().await?;
    let models = paginator.fetch_page(page - 1).await?;
    Ok(Page { items: cards(db, models).await?, page, per_page: PER_PAGE, total_items, total_pages: total_items.div_ceil(PER_PAGE) })
}

/// The home page: featured and latest case studies and the patterns at a glance.
pub async fn home(db: &DatabaseConnection) -> Result<HomeView, DomainError> {
    let published = || case_study::Entity::find().filter(case_study::Column::Status.eq(Status::Published.slug()));
    let featured =
        published().filter(case_study::Column::Featured.eq(true)).order_by_desc(case_study::Column::PublishedAt).limit(3).all(db).await?;
    let latest = published().order_by_desc(case_study::Column::PublishedAt).order_by_desc(case_study::Column::Id).limit(6).all(db).await?;
    Ok(HomeView {
        featured: cards(db, featured).await?,
        latest: cards(db, latest).await?,
        patterns: catalogue::patterns_with_counts(db).await?,
        published_total: published().count(db).await?,
    })
}

/// Every case study `user_id` is an author of, in the same shape a valid submission has, for
/// their data export.
pub async fn authored_by(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<(String, ValidCaseStudy)>, DomainError> {
    let models =
        case_study::Entity::find().filter(LinkedBy::Author(user_id).condition()).order_by_asc(case_study::Column::Id).all(db).await?;
    let mut saved = Vec::with_capacity(models.len());
    for model in models {
        let state = current_state(db, &model).await?;
        saved.push((model.slug, state));
    }
    Ok(saved)
}
