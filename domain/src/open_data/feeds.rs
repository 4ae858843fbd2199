//! What each Atom feed holds: the newest published case studies, of the whole site or of one
//! pattern, tag, organisation, network or published collection. Only what anyone may read goes
//! in: drafts, pending or hidden submissions and draft collections never do.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::records::records_of;
use super::CaseStudyRecord;
use crate::case_studies::cards;
use crate::entities::{collection, collection_item, network, organisation, pattern, tag};
use crate::paths;
use crate::views::ListFilters;
use crate::vocabulary::CollectionStatus;
use crate::DomainError;

/// How many entries a feed carries: readers keep what they have already seen.
const ENTRIES: u64 = 50;

/// What a feed follows besides the whole site, by the plural its pages and feeds live under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedOf {
    Pattern,
    Tag,
    Organisation,
    Network,
    Collection,
}

impl FeedOf {
    pub const ALL: [FeedOf; 5] = [FeedOf::Pattern, FeedOf::Tag, FeedOf::Organisation, FeedOf::Network, FeedOf::Collection];

    pub fn plural(self) -> &'static str {
        match self {
            FeedOf::Pattern => "patterns",
            FeedOf::Tag => "tags",
            FeedOf::Organisation => "organisations",
            FeedOf::Network => "networks",
            FeedOf::Collection => "collections",
        }
    }

    pub fn from_plural(plural: &str) -> Option<FeedOf> {
        FeedOf::ALL.into_iter().find(|kind| kind.plural() == plural)
    }
}

/// One feed: its title, the page it follows, and its entries, newest first (a collection's in
/// the curator's order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub title: String,
    /// Where the feed itself lives, and the page it follows (site paths).
    pub path: String,
    pub page: String,
    pub entries: Vec<CaseStudyRecord>,
}

/// The newest case studies on the whole site.
pub async fn latest(db: &impl ConnectionTrait, base: &str) -> Result<Feed, DomainError> {
    let entries = newest(db, &ListFilters::default(), base).await?;
    Ok(Feed {
        title: "Casebook: the newest case studies".into(),
        path: paths::LATEST_FEED.into(),
        page: paths::CASE_STUDIES.into(),
        entries,
    })
}

/// The feed of one pattern, tag, organisation, network or collection; not found if there is no
/// such thing, or the collection is a draft.
pub async fn feed(db: &impl ConnectionTrait, of: FeedOf, slug: &str, base: &str) -> Result<Feed, DomainError> {
    let path = paths::feed(of.plural(), slug);
    let mut filters = ListFilters::default();
    let (name, page) = match of {
        FeedOf::Pattern => {
            let found = pattern::Entity::find().filter(pattern::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
            filters.pattern = Some(found.slug);
            (found.name, paths::pattern(slug))
        }
        FeedOf::Tag => {
            let found = crate::catalogue::tags_in_use().filter(tag::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
            filters.tag = Some(found.slug);
            (format!("Tagged “{}”", found.name), paths::tag(slug))
        }
        FeedOf::Organisation => {
            let found =
                organisation::Entity::find().filter(organisation::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
            filters.organisation = Some(found.slug);
            (found.name, paths::organisation(slug))
        }
        FeedOf::Network => {
            let found = network::Entity::find().filter(network::Column::Slug.eq(slug)).one(db).await?.ok_or(DomainError::NotFound)?;
            filters.network = Some(found.slug);
            (found.name, paths::network(slug))
        }
        FeedOf::Collection => {
            let found = collection::Entity::find()
                .filter(collection::Column::Slug.eq(slug))
                .filter(collection::Column::Status.eq(CollectionStatus::Published))
                .one(db)
                .await?
                .ok_or(DomainError::NotFound)?;
            let entries = collection_entries(db, found.id, base).await?;
            return Ok(Feed { title: format!("Casebook: {}", found.title), path, page: paths::collection(slug), entries });
        }
    };
    Ok(Feed { title: format!("Casebook: {name}"), path, page, entries: newest(db, &filters, base).await? })
}

async fn newest(db: &impl ConnectionTrait, filters: &ListFilters, base: &str) -> Result<Vec<CaseStudyRecord>, DomainError> {
    let models = crate::case_studies::matching(db, filters)
        .await?
        .order_by_desc(crate::entities::case_study::Column::PublishedAt)
        .order_by_desc(crate::entities::case_study::Column::Id)
        .limit(ENTRIES)
        .all(db)
        .await?;
    records_of(db, models, base).await
}

/// The collection's first readable items, in its order.
async fn collection_entries(db: &impl ConnectionTrait, id: i32, base: &str) -> Result<Vec<CaseStudyRecord>, DomainError> {
    let order: Vec<i32> = collection_item::Entity::find()
        .select_only()
        .column(collection_item::Column::CaseStudyId)
        .filter(collection_item::Column::CollectionId.eq(id))
        .filter(collection_item::Column::CaseStudyId.in_subquery(cards::published_ids()))
        .order_by_asc(collection_item::Column::Position)
        .order_by_asc(collection_item::Column::Id)
        .limit(ENTRIES)
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let mut models = cards::published_by_ids(db, order.clone()).await?;
    models.sort_by_key(|m| order.iter().position(|id| *id == m.id));
    records_of(db, models, base).await
}
