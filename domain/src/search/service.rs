//! Searching, and keeping the index whole: what the search page and `/api/v1/search` call, and
//! the rebuild that `casebook reindex` and start-up run.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use super::documents;
use super::engine::{EngineQuery, SearchEngine};
use super::indexer;
use super::memory::SearchMemory;
use super::params::{Dimension, SearchParams, MAX_PAGE, PER_PAGE};
use super::views::{FacetValue, FacetView, SearchHitView, SearchView};
use crate::case_studies::cards::{cards, published_by_ids};
use crate::entities::{network, organisation, pattern, tag};
use crate::views::CaseStudyCard;
use crate::vocabulary::{DatasetCondition, Phase, ServiceArea};
use crate::DomainError;

/// Case studies read from the database per batch while rebuilding.
const REBUILD_BATCH: usize = 500;

/// What the search page and the API ask the engine for `params`: one page, facets on every
/// dimension.
pub fn engine_query(params: &SearchParams) -> EngineQuery {
    EngineQuery {
        text: params.q.clone(),
        filters: params.grouped_filters(),
        sort: params.sort,
        page: params.page,
        per_page: PER_PAGE,
        facets: Dimension::ALL.to_vec(),
    }
}

/// Where one search's time went, for the API's `Server-Timing` header and the benchmark.
#[derive(Clone, Copy, Debug, Default)]
pub struct SearchTimings {
    /// Reading the event log's position, which says whether what searches remember still holds
    /// (while the engine searches).
    pub position: Duration,
    /// Asking the engine (at the same time).
    pub engine: Duration,
    /// Reading the hits' cards from the database (which also drops hits the index has not yet
    /// forgotten).
    pub cards: Duration,
    /// Naming the facets' and filters' values.
    pub labels: Duration,
}

pub async fn search(
    db: &DatabaseConnection,
    engine: &SearchEngine,
    memory: &SearchMemory,
    params: &SearchParams,
) -> Result<SearchView, DomainError> {
    Ok(search_timed(db, engine, memory, params).await?.0)
}

/// `search`, saying where its time went.
pub async fn search_timed(
    db: &DatabaseConnection,
    engine: &SearchEngine,
    memory: &SearchMemory,
    params: &SearchParams,
) -> Result<(SearchView, SearchTimings), DomainError> {
    params.check().map_err(DomainError::Invalid)?;
    let started = Instant::now();
    // The position is read while the engine searches, and before anything remembered is used:
    // what is remembered holds at this position, and a change committed from here on moves it
    // for the next search.
    let query = engine_query(params);
    let ((position, position_took), (results, engine_took)) =
        tokio::join!(timed(started, crate::events::newest(db)), timed(started, engine.search(&query)));
    let (position, results) = (position?, results?);
    let engine_done = Instant::now();

    // Cards come from the database (or what it said at this position), which also drops any hit
    // the index has not yet forgotten.
    let mut by_id = hit_cards(db, memory, position, results.hits.iter().map(|hit| hit.id)).await?;
    let hits = results
        .hits
        .into_iter()
        .filter_map(|hit| by_id.remove(&hit.id).flatten().map(|card| SearchHitView { card, title: hit.title, summary: hit.summary }))
        .collect();

    let wanted = results
        .facets
        .iter()
        .flat_map(|(dimension, values)| values.iter().map(|(value, _)| (*dimension, value.clone())))
        .chain(params.filters.iter().cloned())
        .collect::<Vec<_>>();
    let cards_done = Instant::now();
    let labels = Labels::load(db, memory, position, wanted).await?;
    let facets = results
        .facets
        .into_iter()
        .map(|(dimension, values)| FacetView {
            dimension,
            values: values
                .into_iter()
                .map(|(value, count)| FacetValue {
                    label: labels.label(dimension, &value),
                    selected: params.is_selected(dimension, &value),
                    value,
                    count,
                })
                .collect(),
        })
        .collect::<Vec<_>>();
    let chips = params
        .filters
        .iter()
        .map(|(dimension, value)| {
            let count = facets
                .iter()
                .find(|f| f.dimension == *dimension)
                .and_then(|f| f.values.iter().find(|v| &v.value == value))
                .map_or(0, |v| v.count);
            (*dimension, FacetValue { value: value.clone(), label: labels.label(*dimension, value), count, selected: true })
        })
        .collect();
    let timings =
        SearchTimings { position: position_took, engine: engine_took, cards: cards_done - engine_done, labels: cards_done.elapsed() };
    let view = SearchView {
        params: params.clone(),
        hits,
        facets,
        chips,
        total: results.total,
        total_pages: results.total.div_ceil(PER_PAGE).min(MAX_PAGE),
    };
    Ok((view, timings))
}

/// `work`'s result, and the time from `started` to its end.
async fn timed<T>(started: Instant, work: impl std::future::Future<Output = T>) -> (T, Duration) {
    let result = work.await;
    (result, started.elapsed())
}

/// The cards of these published case studies as of `position`, `None` for ids that are not
/// published; read from the database only where not remembered.
async fn hit_cards(
    db: &impl ConnectionTrait,
    memory: &SearchMemory,
    position: i64,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Option<CaseStudyCard>>, DomainError> {
    let (mut found, missing) = memory.cards.get(position, ids);
    if !missing.is_empty() {
        let models = published_by_ids(db, missing.clone()).await?;
        let read_ids: Vec<i32> = models.iter().map(|m| m.id).collect();
        let read: HashMap<i32, CaseStudyCard> = read_ids.into_iter().zip(cards(db, models).await?).collect();
        let fresh: Vec<(i32, Option<CaseStudyCard>)> = missing.into_iter().map(|id| (id, read.get(&id).cloned())).collect();
        memory.cards.keep(position, fresh.iter().cloned());
        found.extend(fresh);
    }
    Ok(found)
}

/// Names for the slugs that facets and filters carry.
struct Labels(HashMap<(Dimension, String), Option<String>>);

impl Labels {
    /// The names of the `wanted` values as of `position`: from memory, or one query for each
    /// dimension with values not remembered.
    async fn load(
        db: &impl ConnectionTrait,
        memory: &SearchMemory,
        position: i64,
        wanted: Vec<(Dimension, String)>,
    ) -> Result<Labels, DomainError> {
        let named = wanted.into_iter().filter(|(dimension, _)| Self::named_in_database(*dimension));
        let (mut names, missing) = memory.labels.get(position, named);
        if !missing.is_empty() {
            let slugs = |wanted: Dimension| missing.iter().filter(|(d, _)| *d == wanted).map(|(_, slug)| slug.clone()).collect::<Vec<_>>();
            let mut read = HashMap::new();
            for p in pattern::Entity::find().filter(pattern::Column::Slug.is_in(slugs(Dimension::Pattern))).all(db).await? {
                read.insert((Dimension::Pattern, p.slug), p.name);
            }
            for o in organisation::Entity::find().filter(organisation::Column::Slug.is_in(slugs(Dimension::Organisation))).all(db).await? {
                read.insert((Dimension::Organisation, o.slug), o.name);
            }
            for n in network::Entity::find().filter(network::Column::Slug.is_in(slugs(Dimension::Network))).all(db).await? {
                read.insert((Dimension::Network, n.slug), n.name);
            }
            for t in crate::catalogue::tags_in_use().filter(tag::Column::Slug.is_in(slugs(Dimension::Tag))).all(db).await? {
                read.insert((Dimension::Tag, t.slug), t.name);
            }
            // A value may be both a facet's and a filter's: `get`, not `remove`, names it twice.
            let fresh: Vec<_> = missing.into_iter().map(|key| (key.clone(), read.get(&key).cloned())).collect();
            memory.labels.keep(position, fresh.iter().cloned());
            names.extend(fresh);
        }
        Ok(Labels(names))
    }

    /// The dimensions whose values are named by rows in the database (the rest by vocabularies).
    fn named_in_database(dimension: Dimension) -> bool {
        matches!(dimension, Dimension::Pattern | Dimension::Organisation | Dimension::Network | Dimension::Tag)
    }

    fn label(&self, dimension: Dimension, value: &str) -> String {
        let vocabulary = match dimension {
            Dimension::ServiceArea => ServiceArea::from_slug(value).map(|a| a.label()),
            Dimension::Phase => Phase::from_slug(value).map(|p| p.label()),
            Dimension::Licence => (value == "open").then_some("Open licence"),
            Dimension::DatasetHealth => DatasetCondition::from_slug(value).map(|c| c.label()),
            _ => None,
        };
        vocabulary
            .map(str::to_string)
            .or_else(|| self.0.get(&(dimension, value.to_string())).cloned().flatten())
            .unwrap_or_else(|| value.to_string())
    }
}

#[derive(Debug)]
pub struct Reindexed {
    pub documents: u64,
    pub elapsed: Duration,
}

/// Replaces the index with every published case study. Changes made meanwhile are events after
/// the cursor, applied after.
pub async fn reindex(db: &DatabaseConnection, engine: &SearchEngine) -> Result<Reindexed, DomainError> {
    let started = Instant::now();
    let snapshot = crate::events::newest(db).await?;
    let ids = documents::published_ids(db).await?;
    let mut rebuild = engine.rebuild().await?;
    for batch in ids.chunks(REBUILD_BATCH) {
        rebuild.add(documents::load(db, batch).await?).await?;
    }
    rebuild.finish().await?;
    // The cursor may skip what the new index already shows (with an owner no instance uses, so
    // that a worker holding the cursor is not disturbed: the skip then waits for the next call).
    crate::events::Consumer::new(indexer::cursor(engine), "reindex", Default::default()).skip_to(db, snapshot).await?;
    Ok(Reindexed { documents: ids.len() as u64, elapsed: started.elapsed() })
}

#[derive(Debug)]
pub enum Freshness {
    Fresh,
    Rebuilt(Reindexed),
}

/// Rebuilds an index that is empty while case studies are published, or that holds another
/// number of case studies than the database while no change is waiting to be applied.
pub async fn ensure_fresh(db: &DatabaseConnection, engine: &SearchEngine) -> Result<Freshness, DomainError> {
    let indexed = engine.count().await?;
    let published = crate::case_studies::published().count(db).await?;
    let waiting = indexer::pending(db, engine).await?;
    let stale = (indexed == 0 && published > 0) || (indexed != published && waiting == 0);
    if stale {
        tracing::info!(indexed, published, engine = engine.name(), "rebuilding the search index");
        Ok(Freshness::Rebuilt(reindex(db, engine).await?))
    } else {
        Ok(Freshness::Fresh)
    }
}
