//! Finding case studies: the query people type and the filters they pick (`params`, shared with
//! the browser build), what a results page shows (`views`), and with the `server` feature the
//! two search engines behind one interface, the consumer of the event log that keeps them in
//! step with the database, and the related case studies on each case study page.
mod params;
mod views;

pub use params::{Dimension, SearchParams, Sort, PER_PAGE};
pub use views::{FacetValue, FacetView, Fragment, SearchHitView, SearchView};

#[cfg(feature = "server")]
mod documents;
#[cfg(feature = "server")]
mod embedded;
#[cfg(feature = "server")]
mod engine;
#[cfg(feature = "server")]
mod indexer;
#[cfg(feature = "server")]
mod meili;
#[cfg(feature = "server")]
mod memory;
#[cfg(feature = "server")]
mod percolator;
#[cfg(feature = "server")]
mod related;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
mod synonyms;
#[cfg(feature = "server")]
mod text;

#[cfg(feature = "server")]
pub use {
    documents::SearchDocument,
    engine::{EngineHit, EngineQuery, EngineResults, SearchEngine, SearchError},
    indexer::{cursor, pending, Indexer},
    memory::SearchMemory,
    percolator::Percolator,
    related::related,
    service::{engine_query, ensure_fresh, reindex, search, search_timed, Freshness, Reindexed, SearchTimings},
};
