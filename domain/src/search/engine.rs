//! One interface over the two search engines: tantivy embedded in the process, with its index
//! in the data folder, or a Meilisearch server. Both pass the same conformance suite.
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::documents::SearchDocument;
use super::embedded::{embedded_error, EmbeddedIndex};
use super::meili::MeiliIndex;
use super::params::{Dimension, Sort};
use super::views::Fragment;

/// Bumped whenever what is indexed or how changes: an index of another version is rebuilt.
pub(crate) const INDEX_VERSION: u32 = 4;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index is in use by another process (is a casebook server running on this data folder?)")]
    Busy,
    #[error("the search index: {0}")]
    Embedded(String),
    #[error("Meilisearch: {0}")]
    Meilisearch(String),
    #[error("Meilisearch task {task} failed: {message}")]
    Task { task: u32, message: String },
}

/// A search as the engines take it: words, and filters as an AND of ORs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineQuery {
    pub text: String,
    pub filters: Vec<(Dimension, Vec<String>)>,
    pub sort: Sort,
    pub page: u64,
    pub per_page: u64,
    /// Count the values of these dimensions over all matches.
    pub facets: Vec<Dimension>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EngineHit {
    pub id: i32,
    pub title: Vec<Fragment>,
    pub summary: Vec<Fragment>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EngineResults {
    pub total: u64,
    pub hits: Vec<EngineHit>,
    /// Per dimension, values with their counts, most first, then by value.
    pub facets: BTreeMap<Dimension, Vec<(String, u64)>>,
}

impl EngineResults {
    pub(crate) fn sort_facets(&mut self) {
        for values in self.facets.values_mut() {
            values.retain(|(_, count)| *count > 0);
            values.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
            values.truncate(MAX_FACET_VALUES);
        }
    }
}

/// Values listed per facet, as Meilisearch's `maxValuesPerFacet` is set.
pub(crate) const MAX_FACET_VALUES: usize = 100;

#[derive(Clone)]
pub enum SearchEngine {
    Embedded(Arc<EmbeddedIndex>),
    Meilisearch(Arc<MeiliIndex>),
}

impl std::fmt::Debug for SearchEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl SearchEngine {
    /// The embedded engine, its index in `folder` (created when missing).
    pub fn embedded(folder: &Path) -> Result<SearchEngine, SearchError> {
        Ok(SearchEngine::Embedded(Arc::new(EmbeddedIndex::open(&folder.join(format!("v{INDEX_VERSION}")))?)))
    }

    /// A Meilisearch server; the index `{prefix}_v{version}` is created and its settings applied.
    pub async fn meilisearch(url: &str, api_key: Option<&str>, prefix: &str) -> Result<SearchEngine, SearchError> {
        Ok(SearchEngine::Meilisearch(Arc::new(MeiliIndex::connect(url, api_key, &format!("{prefix}_v{INDEX_VERSION}")).await?)))
    }

    pub fn name(&self) -> &'static str {
        match self {
            SearchEngine::Embedded(_) => "embedded",
            SearchEngine::Meilisearch(_) => "meilisearch",
        }
    }

    /// Which index this is, for the name of its cursor in the event log: every instance shares a
    /// Meilisearch index, while an embedded index is one instance's folder.
    pub fn location(&self) -> String {
        let location = match self {
            SearchEngine::Embedded(index) => format!("embedded:{}", index.folder.display()),
            SearchEngine::Meilisearch(index) => format!("meilisearch:{}", index.uid),
        };
        // The cursor's name holds 200 characters; the end of a long path is what tells it apart.
        let skip = location.chars().count().saturating_sub(190);
        location.chars().skip(skip).collect()
    }

    /// For Meilisearch, the index and the JSON body of the request a search sends it.
    pub fn meilisearch_request(&self, query: &EngineQuery) -> Option<(String, serde_json::Value)> {
        match self {
            SearchEngine::Embedded(_) => None,
            SearchEngine::Meilisearch(index) => Some(index.request(query)),
        }
    }

    pub async fn search(&self, query: &EngineQuery) -> Result<EngineResults, SearchError> {
        let mut results = match self {
            SearchEngine::Embedded(index) => {
                // As many searches at once as there are cores: more would only wait for a core,
                // each on a thread of its own that keeps memory of its own.
                let _turn = index.searching.acquire().await.map_err(embedded_error)?;
                let (index, query) = (index.clone(), query.clone());
                blocking(move || index.search(&query)).await?
            }
            SearchEngine::Meilisearch(index) => index.search(query).await?,
        };
        results.sort_facets();
        Ok(results)
    }

    /// Adds or replaces `upserts` and removes `deletes`, and returns once searches see it.
    pub async fn apply(&self, upserts: Vec<SearchDocument>, deletes: Vec<i32>) -> Result<(), SearchError> {
        match self {
            SearchEngine::Embedded(index) => {
                let index = index.clone();
                blocking(move || index.apply(&upserts, &deletes)).await
            }
            SearchEngine::Meilisearch(index) => index.apply(&upserts, &deletes).await,
        }
    }

    pub async fn count(&self) -> Result<u64, SearchError> {
        match self {
            SearchEngine::Embedded(index) => Ok(index.count()),
            SearchEngine::Meilisearch(index) => index.count().await,
        }
    }

    /// Starts replacing the whole index. Searches see the old index until `Rebuild::finish`.
    pub async fn rebuild(&self) -> Result<Rebuild, SearchError> {
        Ok(match self {
            SearchEngine::Embedded(index) => {
                let index = index.clone();
                Rebuild::Embedded(blocking(move || index.rebuild()).await?)
            }
            SearchEngine::Meilisearch(index) => Rebuild::Meilisearch(index.rebuild().await?),
        })
    }
}

/// A whole index being built, a batch of documents at a time.
pub enum Rebuild {
    Embedded(super::embedded::Rebuild),
    Meilisearch(super::meili::Rebuild),
}

impl Rebuild {
    pub async fn add(&mut self, documents: Vec<SearchDocument>) -> Result<(), SearchError> {
        match self {
            Rebuild::Embedded(rebuild) => rebuild.add(&documents),
            Rebuild::Meilisearch(rebuild) => rebuild.add(&documents).await,
        }
    }

    pub async fn finish(self) -> Result<(), SearchError> {
        match self {
            Rebuild::Embedded(rebuild) => blocking(move || rebuild.finish()).await,
            Rebuild::Meilisearch(rebuild) => rebuild.finish().await,
        }
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, SearchError> + Send + 'static) -> Result<T, SearchError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| SearchError::Embedded(format!("the indexing task stopped: {e}")))?
}
