//! Saved searches matched against a new or changed case study by the search's own rules, not a
//! second matcher: the case study is indexed alone in memory by the embedded engine and each
//! saved search is run against it (Elasticsearch's percolation). With Meilisearch deployed the
//! embedded engine's rules still decide (its typo tolerance, synonyms and filters): a saved
//! search then matches what the embedded engine would find, which for filters is the same and
//! for words differs only at the edges of typo tolerance.
use sea_orm::ConnectionTrait;

use super::documents;
use super::embedded::EmbeddedIndex;
use super::engine::SearchError;
use super::params::SearchParams;
use crate::DomainError;

pub struct Percolator(EmbeddedIndex);

impl Percolator {
    /// The case study as search would index it now; `None` when it is not published.
    pub async fn of(db: &impl ConnectionTrait, case_study_id: i32) -> Result<Option<Percolator>, DomainError> {
        let documents = documents::load(db, &[case_study_id]).await?;
        if documents.is_empty() {
            return Ok(None);
        }
        Ok(Some(Percolator(EmbeddedIndex::in_memory(&documents)?)))
    }

    /// Whether the search would find it.
    pub fn matches(&self, params: &SearchParams) -> Result<bool, SearchError> {
        let query = super::engine::EngineQuery { facets: Vec::new(), per_page: 1, page: 1, ..super::engine_query(params) };
        Ok(self.0.search(&query)?.total > 0)
    }
}
