//! The Meilisearch engine, through meilisearch-sdk. The application owns the index settings and
//! applies them at start-up; writes wait for their task, so a failure keeps the outbox row.
use std::collections::HashMap;
use std::time::Duration;

use meilisearch_sdk::client::{Client, SwapIndexes};
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode};
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::request::HttpClient;
use meilisearch_sdk::search::{MatchingStrategies, SearchQuery, Selectors};
use meilisearch_sdk::settings::{
    FacetSortValue, FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings, TypoToleranceSettings,
};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde::Deserialize;

use super::documents::SearchDocument;
use super::engine::{EngineHit, EngineQuery, EngineResults, SearchError, MAX_FACET_VALUES};
use super::params::{Dimension, Sort};
use super::synonyms;
use super::views::Fragment;

/// Marks around matches in Meilisearch's highlighted text: private-use characters that no
/// case study contains, so highlights never become markup on the way.
const MARK_START: &str = "\u{E000}";
const MARK_END: &str = "\u{E001}";
/// How long to wait for one task before treating the server as unavailable.
const TASK_TIMEOUT: Duration = Duration::from_secs(120);
const TASK_POLL: Duration = Duration::from_millis(25);
/// How long a search may take before it is treated as failed.
const SEARCH_TIMEOUT: Duration = Duration::from_secs(10);
/// Searched attributes, most important first, as the `attribute` ranking rule reads them.
const SEARCHABLE: [&str; 7] = ["title", "summary", "tags", "organisations", "patterns", "body", "datasets"];

const NEWEST: [&str; 1] = ["published_at:desc"];

fn facet_keys(query: &EngineQuery) -> Vec<&'static str> {
    query.facets.iter().map(|d| d.key()).collect()
}

/// What Casebook asks Meilisearch for `query`, in one place for searches and `request`.
fn describe<'a, Http: HttpClient>(search: &mut SearchQuery<'a, Http>, query: &'a EngineQuery, filter: &'a str, facets: &'a [&'a str]) {
    search
        .with_query(&query.text)
        .with_matching_strategy(MatchingStrategies::ALL)
        .with_attributes_to_retrieve(Selectors::Some(&["id", "title", "summary"]))
        .with_attributes_to_highlight(Selectors::Some(&["title", "summary"]))
        .with_highlight_pre_tag(MARK_START)
        .with_highlight_post_tag(MARK_END)
        .with_page(usize::try_from(query.page).unwrap_or(1))
        .with_hits_per_page(usize::try_from(query.per_page).unwrap_or(10))
        .with_facets(Selectors::Some(facets));
    if !filter.is_empty() {
        search.with_filter(filter);
    }
    if query.sort == Sort::Newest || query.text.trim().is_empty() {
        search.with_sort(&NEWEST);
    }
}

pub struct MeiliIndex {
    client: Client,
    /// Searches go straight over HTTP (see `search`), with the server's address and key.
    http: reqwest::Client,
    url: String,
    pub(crate) uid: String,
}

pub struct Rebuild {
    client: Client,
    uid: String,
    staging: String,
    last_task: Option<TaskInfo>,
}

fn meili_error(error: MeiliError) -> SearchError {
    SearchError::Meilisearch(error.to_string())
}

/// A search request's own failure (searches go without the SDK).
fn http_error(error: reqwest::Error) -> SearchError {
    SearchError::Meilisearch(error.to_string())
}

fn settings() -> Settings {
    let mut filterable: Vec<String> = Dimension::ALL.iter().map(|d| d.key().to_string()).collect();
    filterable.push("id".to_string());
    Settings::new()
        .with_searchable_attributes(SEARCHABLE)
        .with_filterable_attributes(filterable)
        .with_sortable_attributes(["published_at"])
        .with_ranking_rules(["words", "typo", "proximity", "attribute", "sort", "exactness"])
        .with_synonyms(synonyms::as_map().into_iter().collect::<HashMap<_, _>>())
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            disable_on_attributes: Some(vec![]),
            disable_on_words: Some(vec![]),
            min_word_size_for_typos: Some(MinWordSizeForTypos { one_typo: Some(5), two_typos: Some(9) }),
            disable_on_numbers: None,
        })
        .with_faceting(FacetingSettings {
            max_values_per_facet: MAX_FACET_VALUES,
            sort_facet_values_by: Some([("*".to_string(), FacetSortValue::Count)].into_iter().collect()),
        })
        .with_pagination(PaginationSetting { max_total_hits: 1_000_000 })
}

/// Waits for a task and turns its failure into an error.
async fn finished(client: &Client, task: TaskInfo) -> Result<(), SearchError> {
    match client.wait_for_task(task, Some(TASK_POLL), Some(TASK_TIMEOUT)).await.map_err(meili_error)? {
        Task::Failed { content } => Err(SearchError::Task { task: content.task.uid, message: content.error.error_message }),
        _ => Ok(()),
    }
}

/// Creates the index with its settings; both steps change nothing when already done.
async fn prepare(client: &Client, uid: &str) -> Result<(), SearchError> {
    match client.get_index(uid).await {
        Ok(_) => {}
        Err(MeiliError::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => {
            finished(client, client.create_index(uid, Some("id")).await.map_err(meili_error)?).await?;
        }
        Err(other) => return Err(meili_error(other)),
    }
    finished(client, client.index(uid).set_settings(&settings()).await.map_err(meili_error)?).await
}

/// `dimension = "value"`, quoted so any value is safe.
fn condition(dimension: Dimension, value: &str) -> String {
    format!("{} = \"{}\"", dimension.key(), value.replace('\\', "\\\\").replace('"', "\\\""))
}

fn filter(filters: &[(Dimension, Vec<String>)]) -> String {
    filters
        .iter()
        .map(|(dimension, values)| format!("({})", values.iter().map(|v| condition(*dimension, v)).collect::<Vec<_>>().join(" OR ")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Meilisearch's highlighted text, cut into fragments at the marks.
fn fragments(marked: &str) -> Vec<Fragment> {
    let mut fragments = Vec::new();
    for (i, piece) in marked.split(MARK_START).enumerate() {
        let (matched, rest) = match piece.split_once(MARK_END) {
            Some((matched, rest)) if i > 0 => (matched, rest),
            _ => ("", piece),
        };
        for (text, is_match) in [(matched, true), (rest, false)] {
            if !text.is_empty() {
                fragments.push(Fragment { text: text.to_string(), matched: is_match });
            }
        }
    }
    fragments
}

/// What Casebook reads of Meilisearch's answer to a search.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    hits: Vec<Found>,
    #[serde(default)]
    total_hits: u64,
    /// Each facet's values with their counts.
    #[serde(default)]
    facet_distribution: Pairs<Pairs<u64>>,
}

/// A JSON object's members in order, read straight into a list: no map to build for the
/// hundreds of facet values an answer may hold.
struct Pairs<V>(Vec<(String, V)>);

impl<V> Default for Pairs<V> {
    fn default() -> Self {
        Pairs(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Pairs<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Members<V> {
            type Value = Vec<(String, V)>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(members)
            }
        }
        deserializer.deserialize_map(Members(std::marker::PhantomData)).map(Pairs)
    }
}

#[derive(Deserialize)]
struct Found {
    id: i32,
    #[serde(rename = "_formatted", default)]
    formatted: Highlights,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Highlights {
    title: String,
    summary: String,
}

/// Meilisearch's account of a request it refused.
#[derive(Deserialize)]
struct Refusal {
    message: String,
}

impl MeiliIndex {
    pub async fn connect(url: &str, api_key: Option<&str>, uid: &str) -> Result<MeiliIndex, SearchError> {
        let client = Client::new(url, api_key).map_err(meili_error)?;
        prepare(&client, uid).await?;
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(key) = api_key {
            let bearer = reqwest::header::HeaderValue::from_str(&format!("Bearer {key}"))
                .map_err(|_| SearchError::Meilisearch("the API key holds characters a header cannot".to_string()))?;
            headers.insert(reqwest::header::AUTHORIZATION, bearer);
        }
        let http = reqwest::Client::builder().default_headers(headers).timeout(SEARCH_TIMEOUT).build().map_err(http_error)?;
        Ok(MeiliIndex { client, http, url: url.trim_end_matches('/').to_string(), uid: uid.to_string() })
    }

    fn index(&self) -> Index {
        self.client.index(&self.uid)
    }

    pub async fn apply(&self, upserts: &[SearchDocument], deletes: &[i32]) -> Result<(), SearchError> {
        let index = self.index();
        if !deletes.is_empty() {
            finished(&self.client, index.delete_documents(deletes).await.map_err(meili_error)?).await?;
        }
        if !upserts.is_empty() {
            finished(&self.client, index.add_or_replace(upserts, Some("id")).await.map_err(meili_error)?).await?;
        }
        Ok(())
    }

    pub async fn count(&self) -> Result<u64, SearchError> {
        Ok(self.index().get_stats().await.map_err(meili_error)?.number_of_documents as u64)
    }

    /// Builds into a staging index, swapped in when done.
    pub async fn rebuild(&self) -> Result<Rebuild, SearchError> {
        let staging = format!("{}_rebuild", self.uid);
        finished(&self.client, self.client.index(&staging).delete().await.map_err(meili_error)?).await.ok();
        prepare(&self.client, &staging).await?;
        Ok(Rebuild { client: self.client.clone(), uid: self.uid.clone(), staging, last_task: None })
    }

    /// The search request Casebook sends for `query`, as JSON, and the index it goes to: for the
    /// benchmark to send the very same request straight to Meilisearch.
    pub fn request(&self, query: &EngineQuery) -> (String, serde_json::Value) {
        (self.uid.clone(), serde_json::from_slice(&self.body(query)).unwrap_or_default())
    }

    /// The JSON body of the search request for `query`.
    fn body(&self, query: &EngineQuery) -> Vec<u8> {
        let index = self.index();
        let (filter, facets) = (filter(&query.filters), facet_keys(query));
        let mut search = index.search();
        describe(&mut search, query, &filter, &facets);
        // Serialising strings and numbers into memory cannot fail.
        serde_json::to_vec(&search).unwrap_or_default()
    }

    pub async fn search(&self, query: &EngineQuery) -> Result<EngineResults, SearchError> {
        // One request with the body whole: the SDK streams a body (chunked, a write per piece),
        // which cost a millisecond or more a search; and only what is used is read back.
        let response = self
            .http
            .post(format!("{}/indexes/{}/search", self.url, self.uid))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(self.body(query))
            .send()
            .await
            .map_err(http_error)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(http_error)?;
        if !status.is_success() {
            let message = serde_json::from_slice::<Refusal>(&bytes).map_or_else(|_| format!("the search answered {status}"), |r| r.message);
            return Err(SearchError::Meilisearch(message));
        }
        let results: Answer =
            serde_json::from_slice(&bytes).map_err(|e| SearchError::Meilisearch(format!("reading a search's answer: {e}")))?;
        let hits = results
            .hits
            .into_iter()
            .map(|hit| EngineHit { id: hit.id, title: fragments(&hit.formatted.title), summary: fragments(&hit.formatted.summary) })
            .collect();
        let mut distribution = results.facet_distribution.0;
        let facets = query
            .facets
            .iter()
            .map(|&dimension| {
                let values =
                    distribution.iter_mut().find(|(key, _)| key == dimension.key()).map(|(_, values)| std::mem::take(&mut values.0));
                (dimension, values.unwrap_or_default())
            })
            .collect();
        Ok(EngineResults { total: results.total_hits, hits, facets })
    }
}

impl Rebuild {
    /// Queues a batch; Meilisearch indexes batches in order while the next one is read.
    pub async fn add(&mut self, documents: &[SearchDocument]) -> Result<(), SearchError> {
        if !documents.is_empty() {
            self.last_task = Some(self.client.index(&self.staging).add_or_replace(documents, Some("id")).await.map_err(meili_error)?);
        }
        Ok(())
    }

    pub async fn finish(self) -> Result<(), SearchError> {
        if let Some(task) = self.last_task {
            finished(&self.client, task).await?;
        }
        let swap = SwapIndexes { indexes: (self.uid.clone(), self.staging.clone()), rename: None };
        finished(&self.client, self.client.swap_indexes([&swap]).await.map_err(meili_error)?).await?;
        finished(&self.client, self.client.index(&self.staging).delete().await.map_err(meili_error)?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_quote_their_values() {
        let filters = vec![
            (Dimension::Pattern, vec!["a".to_string(), "b".to_string()]),
            (Dimension::Region, vec!["Say \"hi\" \\ there".to_string()]),
        ];
        assert_eq!(filter(&filters), r#"(pattern = "a" OR pattern = "b") AND (region = "Say \"hi\" \\ there")"#);
    }

    #[test]
    fn marks_become_fragments() {
        let marked = format!("Bin {MARK_START}collection{MARK_END} days{MARK_START}!{MARK_END}");
        let texts: Vec<(String, bool)> = fragments(&marked).into_iter().map(|f| (f.text, f.matched)).collect();
        assert_eq!(texts, [("Bin ".into(), false), ("collection".into(), true), (" days".into(), false), ("!".into(), true)]);
    }
}
