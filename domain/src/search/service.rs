//! Searching, and keeping the index whole: what the search page and `/api/v1/search` call, and
//! the rebuild that `casebook reindex` and start-up run.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use super::documents;
use super::engine::{EngineQuery, SearchEngine};
use super::indexer::{self, WorkerOptions};
use super::params::{Dimension, SearchParams, MAX_PAGE, PER_PAGE};
use super::views::{FacetValue, FacetView, SearchHitView, SearchView};
use crate::case_studies::cards::{cards, published_by_ids};
use crate::entities::{network, organisation, pattern, tag};
use crate::vocabulary::{DatasetCondition, Phase, ServiceArea};
use crate::DomainError;

/// Case studies read from the database per batch while rebuilding.
const REBUILD_BATCH: usize = 500;

pub async fn search(db: &DatabaseConnection, engine: &SearchEngine, params: &SearchParams) -> Result<SearchView, DomainError> {
    params.check().map_err(DomainError::Invalid)?;
    let query = EngineQuery {
        text: params.q.clone(),
        filters: params.grouped_filters(),
        sort: params.sort,
        page: params.page,
        per_page: PER_PAGE,
        facets: Dimension::ALL.to_vec(),
    };
    let results = engine.search(&query).await?;

    // Cards come from the database, which also drops any hit the index has not yet forgotten.
    let ids: Vec<i32> = results.hits.iter().map(|hit| hit.id).collect();
    let models = published_by_ids(db, ids).await?;
    let model_ids: Vec<i32> = models.iter().map(|m| m.id).collect();
    let mut by_id: HashMap<i32, _> = model_ids.into_iter().zip(cards(db, models).await?).collect();
    let hits = results
        .hits
        .into_iter()
        .filter_map(|hit| by_id.remove(&hit.id).map(|card| SearchHitView { card, title: hit.title, summary: hit.summary }))
        .collect();

    let mut wanted: HashMap<Dimension, Vec<String>> = HashMap::new();
    for (dimension, values) in &results.facets {
        wanted.entry(*dimension).or_default().extend(values.iter().map(|(v, _)| v.clone()));
    }
    for (dimension, value) in &params.filters {
        wanted.entry(*dimension).or_default().push(value.clone());
    }
    let labels = Labels::load(db, &wanted).await?;
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
    Ok(SearchView {
        params: params.clone(),
        hits,
        facets,
        chips,
        total: results.total,
        total_pages: results.total.div_ceil(PER_PAGE).min(MAX_PAGE),
    })
}

/// Names for the slugs that facets and filters carry.
struct Labels(HashMap<(Dimension, String), String>);

impl Labels {
    async fn load(db: &impl ConnectionTrait, wanted: &HashMap<Dimension, Vec<String>>) -> Result<Labels, DomainError> {
        let slugs = |dimension| wanted.get(&dimension).cloned().unwrap_or_default();
        let mut names = HashMap::new();
        for p in pattern::Entity::find().filter(pattern::Column::Slug.is_in(slugs(Dimension::Pattern))).all(db).await? {
            names.insert((Dimension::Pattern, p.slug), p.name);
        }
        for o in organisation::Entity::find().filter(organisation::Column::Slug.is_in(slugs(Dimension::Organisation))).all(db).await? {
            names.insert((Dimension::Organisation, o.slug), o.name);
        }
        for n in network::Entity::find().filter(network::Column::Slug.is_in(slugs(Dimension::Network))).all(db).await? {
            names.insert((Dimension::Network, n.slug), n.name);
        }
        for t in tag::Entity::find().filter(tag::Column::Slug.is_in(slugs(Dimension::Tag))).all(db).await? {
            names.insert((Dimension::Tag, t.slug), t.name);
        }
        Ok(Labels(names))
    }

    fn label(&self, dimension: Dimension, value: &str) -> String {
        let vocabulary = match dimension {
            Dimension::ServiceArea => ServiceArea::from_slug(value).map(|a| a.label()),
            Dimension::Phase => Phase::from_slug(value).map(|p| p.label()),
            Dimension::Licence => (value == "open").then_some("Open licence"),
            Dimension::DatasetHealth => DatasetCondition::from_slug(value).map(|c| c.label()),
            _ => None,
        };
        vocabulary.map(str::to_string).or_else(|| self.0.get(&(dimension, value.to_string())).cloned()).unwrap_or_else(|| value.to_string())
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
    indexer::consumer(engine, "reindex", &WorkerOptions::default()).skip_to(db, snapshot).await?;
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
