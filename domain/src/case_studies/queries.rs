//! Reading case studies: one as its readers see it, the list, the home page, and the saved state
//! in the shape a valid submission has.
use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::access::authorship;
use super::cards::{self, card, cards, LinkedBy};
use super::revisions;
use super::validation::{ValidCaseStudy, ValidDataset};
use crate::catalogue::{self, id_for_slug};
use crate::entities::{case_study, network, organisation, pattern, tag};
use crate::events::Now;
use crate::identity::{profiles, roles};
use crate::markdown;
use crate::permissions::{may, Action, Authorship};
use crate::search;
use crate::text::{date_text, slugify, timestamp_text};
use crate::views::{check_page, CaseStudyCard, CaseStudyView, HomeView, Link, LinkedDataset, ListFilters, Page, MAX_LIST_PAGE};
use crate::vocabulary::{Phase, Practice, ServiceArea, Status};
use crate::DomainError;

pub const PER_PAGE: u64 = 10;

pub(crate) async fn find(db: &impl ConnectionTrait, slug: &str) -> Result<case_study::Model, DomainError> {
    case_study::Entity::find().filter(case_study::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)
}

/// What a case study links to, with names.
struct Links {
    patterns: Vec<Link>,
    organisations: Vec<Link>,
    tags: Vec<Link>,
    datasets: Vec<LinkedDataset>,
}

async fn links(db: &impl ConnectionTrait, id: i32) -> Result<Links, DomainError> {
    let one = [id];
    let patterns = cards::patterns_of(db, &one).await?.remove(&id).unwrap_or_default();
    let organisations = cards::organisations_of(db, &one).await?.remove(&id).unwrap_or_default();
    let mut tags: Vec<Link> =
        cards::tags_of(db, &one).await?.remove(&id).unwrap_or_default().into_iter().map(|t| Link { slug: t.slug, name: t.name }).collect();
    tags.sort_by(|a, b| a.name.cmp(&b.name));
    let mut datasets: Vec<LinkedDataset> = cards::datasets_of(db, &one)
        .await?
        .remove(&id)
        .unwrap_or_default()
        .iter()
        .map(|(d, link)| crate::datasets::linked(d, link))
        .collect();
    datasets.sort_by_cached_key(|d| d.shown().title.to_lowercase());
    Ok(Links { patterns, organisations, tags, datasets })
}

/// The saved case study, in the same shape a valid submission has.
fn state_of(model: &case_study::Model, links: &Links) -> ValidCaseStudy {
    ValidCaseStudy {
        title: model.title.clone(),
        summary: model.summary.clone(),
        body: model.body.clone(),
        service_area: model.service_area,
        phase: model.phase,
        status: model.status,
        region: model.region.clone(),
        start_date: model.start_date,
        end_date: model.end_date,
        outcomes: model.outcomes.clone(),
        lessons: model.lessons.clone(),
        contact: model.contact.clone(),
        licence: model.licence,
        practices: practices(&model.practices),
        patterns: links.patterns.iter().map(|l| l.slug.clone()).collect(),
        organisations: links.organisations.iter().map(|l| l.slug.clone()).collect(),
        tags: links.tags.iter().map(|l| l.name.clone()).collect(),
        datasets: links
            .datasets
            .iter()
            .map(|d| ValidDataset {
                title: d.dataset.title.clone(),
                url: d.dataset.url.clone(),
                publisher: d.dataset.publisher.clone(),
                licence: d.dataset.licence.clone(),
                format: d.dataset.format.clone(),
                usage: d.usage.clone(),
                prefer_own: d.prefer_own,
            })
            .collect(),
    }
    .canonical()
}

pub(crate) async fn current_state(db: &impl ConnectionTrait, model: &case_study::Model) -> Result<ValidCaseStudy, DomainError> {
    Ok(state_of(model, &links(db, model.id).await?))
}

fn practices(stored: &str) -> Vec<Practice> {
    stored.split(',').filter_map(Practice::from_slug).collect()
}

/// A case study as every reader sees it, with who wrote it: what `view` keeps between requests
/// (`CaseStudyMemory`). Who is looking is asked afterwards, on every request.
struct Shown {
    model: case_study::Model,
    authorship: Authorship,
    submitted: crate::networks::Submitted,
    view: CaseStudyView,
}

/// Case studies as shown, by slug, as of one position of the event log (`events::Kept`): every
/// change to what a page shows of a case study (an edit, a dataset check, an author's profile, a
/// related case study) is an event, so a page read after one is read afresh.
/// The home page is kept the same way: nothing on it depends on who is looking.
#[derive(Debug)]
/// So are pages of the list, by their filters (the pattern, tag, organisation and network pages
/// list through it too).
pub struct CaseStudyMemory {
    shown: crate::events::Kept<String, Arc<Shown>>,
    home: crate::events::Memo<HomeView>,
    lists: crate::events::Kept<String, Page<CaseStudyCard>>,
}

impl Default for CaseStudyMemory {
    fn default() -> Self {
        // The pages people are reading this hour, at some tens of KB each.
        CaseStudyMemory {
            shown: crate::events::Kept::new(1_000),
            home: crate::events::Memo::default(),
            lists: crate::events::Kept::new(1_000),
        }
    }
}

impl std::fmt::Debug for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shown").field("slug", &self.model.slug).finish_non_exhaustive()
    }
}

/// A case study as `viewer` sees it. Unpublished ones exist only for those who may read them;
/// anyone else gets `NotFound`.
pub async fn view(
    db: &DatabaseConnection,
    now: &Now,
    memory: &CaseStudyMemory,
    slug: &str,
    viewer: Option<i32>,
) -> Result<CaseStudyView, DomainError> {
    let shown = memory.shown.get_or_read(db, now, slug.to_string(), || async { Ok(Arc::new(shown(db, slug).await?)) }).await?;
    let actor = roles::actor(db, viewer).await?;
    let reading = if shown.model.status == Status::Published { Action::ReadPublished } else { Action::ReadUnpublished };
    actor.check(&shown.authorship, reading)?;
    let mut view = shown.view.clone();
    view.can_edit = may(actor.toward(&shown.authorship), Action::Edit);
    view.sharing = crate::networks::sharing(db, &actor, &shown.model, &shown.authorship, &shown.submitted).await?;
    Ok(view)
}

/// Everything of a case study's page that is the same whoever looks.
async fn shown(db: &DatabaseConnection, slug: &str) -> Result<Shown, DomainError> {
    let model = find(db, slug).await?;
    let authorship = authorship(db, &model).await?;
    let links = links(db, model.id).await?;
    let authors = profiles::author_credits(db, &authorship.authors).await?;
    let revisions = revisions::history(db, model.id).await?;
    let related = if model.status == Status::Published { search::related(db, &model).await? } else { Vec::new() };
    let submitted = crate::networks::submitted(db, model.id).await?;
    let view = CaseStudyView {
        sharing: Default::default(),
        related,
        body_html: markdown::render(&model.body),
        outcomes: model.outcomes.clone(),
        lessons: model.lessons.clone(),
        practices: practices(&model.practices),
        contact: model.contact.clone(),
        licence: model.licence,
        start_date: model.start_date.map(date_text),
        end_date: model.end_date.map(date_text),
        published: model.published_at.map(timestamp_text),
        tags: links.tags,
        datasets: links.datasets,
        authors,
        revisions,
        can_edit: false,
        card: card(model.clone(), links.organisations, links.patterns),
    };
    Ok(Shown { model, authorship, submitted, view })
}

/// One page of published case studies matching the filters, newest first. A filter naming
/// something that does not exist matches nothing.
pub async fn list(
    db: &DatabaseConnection,
    now: &Now,
    memory: &CaseStudyMemory,
    filters: &ListFilters,
) -> Result<Page<CaseStudyCard>, DomainError> {
    let page = check_page(filters.page.unwrap_or(1), MAX_LIST_PAGE).map_err(DomainError::Invalid)?;
    let key = serde_json::to_string(filters).unwrap_or_default();
    memory.lists.get_or_read(db, now, key, || read_list(db, filters, page)).await
}

async fn read_list(db: &DatabaseConnection, filters: &ListFilters, page: u64) -> Result<Page<CaseStudyCard>, DomainError> {
    // The page's ids first, from the index alone, then those rows: a deep page would otherwise
    // read every whole row it skips.
    let paginator = matching(db, filters)
        .await?
        .select_only()
        .column(case_study::Column::Id)
        .order_by_desc(case_study::Column::PublishedAt)
        .order_by_desc(case_study::Column::Id)
        .into_tuple::<i32>()
        .paginate(db, PER_PAGE);
    let total_items = paginator.num_items().await?;
    let ids = paginator.fetch_page(page - 1).await?;
    let mut models = case_study::Entity::find().filter(case_study::Column::Id.is_in(ids.clone())).all(db).await?;
    models.sort_by_key(|m| ids.iter().position(|id| *id == m.id));
    Ok(Page { items: cards(db, models).await?, page, per_page: PER_PAGE, total_items, total_pages: total_items.div_ceil(PER_PAGE) })
}

/// The published case studies the list's filters match (the page number aside): the list's and
/// the public API's one query.
pub(crate) async fn matching(db: &impl ConnectionTrait, filters: &ListFilters) -> Result<sea_orm::Select<case_study::Entity>, DomainError> {
    let mut query = cards::published();
    let given = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    // A filter that names no term matches nothing, rather than being dropped.
    if let Some(area) = given(&filters.service_area) {
        query = match ServiceArea::from_slug(&area) {
            Some(area) => query.filter(case_study::Column::ServiceArea.eq(area)),
            None => query.filter(case_study::Column::Id.is_in(Vec::<i32>::new())),
        };
    }
    if let Some(phase) = given(&filters.phase) {
        query = match Phase::from_slug(&phase) {
            Some(phase) => query.filter(case_study::Column::Phase.eq(phase)),
            None => query.filter(case_study::Column::Id.is_in(Vec::<i32>::new())),
        };
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
    if let Some(slug) = given(&filters.network) {
        linked.push(id_for_slug::<network::Entity>(db, network::Column::Id, network::Column::Slug, &slug).await?.map(LinkedBy::Network));
    }
    for link in linked {
        query = match link {
            Some(link) => query.filter(link.condition()),
            None => query.filter(case_study::Column::Id.is_in(Vec::<i32>::new())),
        };
    }
    Ok(query)
}

/// The home page: featured and latest case studies and the patterns at a glance.
pub async fn home(
    db: &DatabaseConnection,
    now: &Now,
    catalogue: &catalogue::CatalogueMemory,
    memory: &CaseStudyMemory,
) -> Result<HomeView, DomainError> {
    memory
        .home
        .get(db, now, || async {
            let published = cards::published;
            let featured = published()
                .filter(case_study::Column::Featured.eq(true))
                .order_by_desc(case_study::Column::PublishedAt)
                .limit(3)
                .all(db)
                .await?;
            let latest =
                published().order_by_desc(case_study::Column::PublishedAt).order_by_desc(case_study::Column::Id).limit(6).all(db).await?;
            Ok(HomeView {
                featured: cards(db, featured).await?,
                latest: cards(db, latest).await?,
                patterns: catalogue.patterns(db, now).await?,
                published_total: published().count(db).await?,
            })
        })
        .await
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
