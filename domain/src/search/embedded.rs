//! The embedded engine: a tantivy index in the data folder. Matching follows `text`'s rules so
//! that it finds what Meilisearch finds; ranking favours exact words in the title and summary.
use std::path::Path;
use std::sync::Arc;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, AutomatonWeight, BooleanQuery, BoostQuery, ConstScoreQuery, DfaWrapper, EnableScoring, FuzzyTermQuery, Occur, PhraseQuery,
    Query, TermQuery, Weight,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term};

mod facets;

use self::facets::{FacetBitsets, FacetCounter};
use super::documents::SearchDocument;
use super::engine::{EngineHit, EngineQuery, EngineResults, SearchError};
use super::params::{Dimension, Sort};
use super::text::{self, analyzer, parse_query, PairTokenizer, Unit, Word, ANALYZER, PAIRS};

/// Memory the writer may use before it flushes a segment to disk.
const WRITER_MEMORY: usize = 100_000_000;

struct Fields {
    id: Field,
    title: Field,
    summary: Field,
    /// The searched fields, in `SearchDocument::searched_text` order, with the weight of a match
    /// in each, and the field holding its pairs of neighbouring words (`text::PairTokenizer`).
    searched: Vec<(Field, f32, Field)>,
    facets: Field,
    published_at: Field,
}

pub struct EmbeddedIndex {
    /// Where the index lives: it names this index's cursor in the event log.
    pub(crate) folder: std::path::PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    facet_bitsets: FacetBitsets,
    /// Turns to search, one per core.
    pub(crate) searching: tokio::sync::Semaphore,
}

pub struct Rebuild {
    writer: IndexWriter,
    index: Arc<EmbeddedIndex>,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let id = builder.add_u64_field("id", NumericOptions::default().set_indexed().set_stored().set_fast());
    let title = builder.add_text_field("title", words.clone() | STORED);
    let summary = builder.add_text_field("summary", words.clone() | STORED);
    // Pairs are matched whole, and need no frequencies.
    let pairs = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(PAIRS).set_index_option(IndexRecordOption::Basic));
    let mut searched = Vec::new();
    for (name, weight) in
        [("title", 8.0), ("summary", 4.0), ("tags", 4.0), ("patterns", 2.0), ("organisations", 3.0), ("body", 1.0), ("datasets", 1.0)]
    {
        let field = match name {
            "title" => title,
            "summary" => summary,
            _ => builder.add_text_field(name, words.clone()),
        };
        searched.push((field, weight, builder.add_text_field(&format!("{name}_pairs"), pairs.clone())));
    }
    let facets = builder.add_facet_field("facets", FacetOptions::default());
    let published_at = builder.add_i64_field("published_at", NumericOptions::default().set_fast());
    (builder.build(), Fields { id, title, summary, searched, facets, published_at })
}

pub(crate) fn embedded_error(error: impl std::fmt::Display) -> SearchError {
    SearchError::Embedded(error.to_string())
}

fn writer_error(error: TantivyError) -> SearchError {
    match error {
        TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Busy,
        other => embedded_error(other),
    }
}

fn facet(dimension: Dimension, value: &str) -> Facet {
    Facet::from_path([dimension.key(), value])
}

impl EmbeddedIndex {
    pub fn open(folder: &Path) -> Result<EmbeddedIndex, SearchError> {
        std::fs::create_dir_all(folder).map_err(|e| embedded_error(format!("creating {}: {e}", folder.display())))?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(folder).map_err(embedded_error)?;
        let index = Index::open_or_create(directory, schema).map_err(embedded_error)?;
        let folder = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
        EmbeddedIndex::over(index, fields, folder, ReloadPolicy::OnCommitWithDelay)
    }

    /// An index in memory holding only `documents`, to run saved searches against new case
    /// studies by the very rules of the site's search (words, typos, synonyms, filters): a
    /// percolator.
    pub fn in_memory(documents: &[SearchDocument]) -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = schema();
        let built = EmbeddedIndex::over(Index::create_in_ram(schema), fields, std::path::PathBuf::new(), ReloadPolicy::Manual)?;
        // The smallest arena tantivy takes: a handful of documents need far less.
        let writer: IndexWriter = built.index.writer_with_num_threads(1, 15_000_000).map_err(writer_error)?;
        for document in documents {
            writer.add_document(built.document(document)).map_err(embedded_error)?;
        }
        built.commit(writer)?;
        Ok(built)
    }

    fn over(index: Index, fields: Fields, folder: std::path::PathBuf, reload: ReloadPolicy) -> Result<EmbeddedIndex, SearchError> {
        index.tokenizers().register(ANALYZER, analyzer());
        index.tokenizers().register(PAIRS, TextAnalyzer::from(PairTokenizer::default()));
        let reader = index.reader_builder().reload_policy(reload).try_into().map_err(embedded_error)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(EmbeddedIndex {
            folder,
            index,
            reader,
            fields,
            facet_bitsets: FacetBitsets::default(),
            searching: tokio::sync::Semaphore::new(cores),
        })
    }

    fn writer(&self) -> Result<IndexWriter, SearchError> {
        self.index.writer(WRITER_MEMORY).map_err(writer_error)
    }

    fn document(&self, source: &SearchDocument) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, u64::try_from(source.id).unwrap_or_default());
        for (&(field, _, pairs), values) in f.searched.iter().zip(source.searched_text()) {
            for value in values {
                doc.add_text(field, value);
                doc.add_text(pairs, value);
            }
        }
        for dimension in Dimension::ALL {
            for value in source.values(dimension) {
                doc.add_facet(f.facets, facet(dimension, value));
            }
        }
        doc.add_i64(f.published_at, source.published_at);
        doc
    }

    fn id_term(&self, id: i32) -> Term {
        Term::from_field_u64(self.fields.id, u64::try_from(id).unwrap_or_default())
    }

    /// Writes and commits, and waits for merges so that small commits do not pile up segments.
    fn commit(&self, mut writer: IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(embedded_error)?;
        writer.wait_merging_threads().map_err(embedded_error)?;
        self.reader.reload().map_err(embedded_error)
    }

    pub fn apply(&self, upserts: &[SearchDocument], deletes: &[i32]) -> Result<(), SearchError> {
        let writer = self.writer()?;
        for id in deletes.iter().chain(upserts.iter().map(|d| &d.id)) {
            writer.delete_term(self.id_term(*id));
        }
        for document in upserts {
            writer.add_document(self.document(document)).map_err(embedded_error)?;
        }
        self.commit(writer)
    }

    pub fn count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn rebuild(self: Arc<Self>) -> Result<Rebuild, SearchError> {
        let writer = self.writer()?;
        writer.delete_all_documents().map_err(embedded_error)?;
        Ok(Rebuild { writer, index: self })
    }

    pub fn search(&self, query: &EngineQuery) -> Result<EngineResults, SearchError> {
        let units = parse_query(&query.text);
        let searcher = self.reader.searcher();
        let searched: Vec<_> = searcher.segment_readers().iter().map(|segment| segment.segment_id()).collect();
        self.facet_bitsets.keep_only(&searched);
        let tantivy_query = self.query(&units, &query.filters)?;
        let facets = FacetCounter { bitsets: &self.facet_bitsets, field: self.fields.facets, dimensions: &query.facets };
        let per_page = usize::try_from(query.per_page).unwrap_or(10);
        let top = TopDocs::with_limit(per_page.max(1)).and_offset(per_page * usize::try_from(query.page.saturating_sub(1)).unwrap_or(0));
        let (addresses, total, mut counts) = if units.is_empty() || query.sort == Sort::Newest {
            let (found, total, counts) =
                collect(&searcher, &*tantivy_query, top.order_by_fast_field::<i64>("published_at", Order::Desc), facets)?;
            (found.into_iter().map(|(_, address)| address).collect::<Vec<_>>(), total, counts)
        } else {
            let (found, total, counts) = collect(&searcher, &*tantivy_query, top.order_by_score(), facets)?;
            (found.into_iter().map(|(_, address)| address).collect(), total, counts)
        };
        let hits = addresses.into_iter().map(|address| self.hit(&searcher, address, &units)).collect::<Result<Vec<_>, _>>()?;
        let facets = query
            .facets
            .iter()
            .map(|&dimension| (dimension, counts.remove(&dimension).unwrap_or_default().into_iter().collect()))
            .collect();
        Ok(EngineResults { total: total as u64, hits, facets })
    }

    fn hit(&self, searcher: &Searcher, address: DocAddress, units: &[Unit]) -> Result<EngineHit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(embedded_error)?;
        let text_of = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let id = doc.get_first(self.fields.id).and_then(|v| v.as_u64()).and_then(|id| i32::try_from(id).ok()).unwrap_or_default();
        Ok(EngineHit {
            id,
            title: text::highlight(&text_of(self.fields.title), units),
            summary: text::highlight(&text_of(self.fields.summary), units),
        })
    }

    /// Every unit must match; each filter must match one of its values.
    fn query(&self, units: &[Unit], filters: &[(Dimension, Vec<String>)]) -> Result<Box<dyn Query>, SearchError> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            units.iter().map(|unit| Ok((Occur::Must, self.unit_query(unit)?))).collect::<Result<_, SearchError>>()?;
        for (dimension, values) in filters {
            let any = values
                .iter()
                .map(|value| {
                    let term = Term::from_facet(self.fields.facets, &facet(*dimension, value));
                    (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        Ok(if clauses.is_empty() { Box::new(AllQuery) } else { Box::new(BooleanQuery::new(clauses)) })
    }

    fn unit_query(&self, unit: &Unit) -> Result<Box<dyn Query>, SearchError> {
        Ok(match unit {
            Unit::Word(word) => self.word_query(word)?,
            Unit::Phrase(words) => self.exact_query(words),
            Unit::Synonyms { typed, others } => {
                let as_typed: Vec<(Occur, Box<dyn Query>)> =
                    typed.iter().map(|w| Ok((Occur::Must, self.word_query(w)?))).collect::<Result<_, SearchError>>()?;
                let mut any = vec![(Occur::Should, Box::new(BooleanQuery::new(as_typed)) as Box<dyn Query>)];
                any.extend(others.iter().map(|words| (Occur::Should, self.exact_query(words))));
                Box::new(BooleanQuery::new(any))
            }
        })
    }

    /// A typed word, in any field: an exact match scores by field and frequency, and above a
    /// match with typos or as a prefix, which scores by field alone.
    fn word_query(&self, word: &Word) -> Result<Box<dyn Query>, SearchError> {
        let near = if word.prefix || word.typos > 0 { Some(NearTerms::automaton(word)?) } else { None };
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, weight, _) in &self.fields.searched {
            let exact = TermQuery::new(Term::from_field_text(field, &word.text), IndexRecordOption::WithFreqs);
            any.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), weight * 2.0))));
            if let Some(automaton) = &near {
                let near = NearTerms { field, automaton: automaton.clone() };
                any.push((Occur::Should, Box::new(BoostQuery::new(Box::new(near), weight))));
            }
        }
        Ok(Box::new(BooleanQuery::new(any)))
    }

    /// Words found exactly: one word in any field, or several in this order within one field.
    /// A phrase is found by its pairs of neighbouring words (and, from three words, checked
    /// against the words' positions among the case studies holding every pair); it scores by
    /// field alone, as Meilisearch ranks by the attribute matched rather than by frequency.
    fn exact_query(&self, words: &[String]) -> Box<dyn Query> {
        let any = self
            .fields
            .searched
            .iter()
            .map(|&(field, weight, pairs)| {
                let query: Box<dyn Query> = match words {
                    [word] => Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs)),
                        weight,
                    )),
                    _ => {
                        let mut all: Vec<(Occur, Box<dyn Query>)> = words
                            .windows(2)
                            .map(|two| {
                                let term = Term::from_field_text(pairs, &text::pair(&two[0], &two[1]));
                                (Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
                            })
                            .collect();
                        if words.len() > 2 {
                            let phrase = PhraseQuery::new(words.iter().map(|w| Term::from_field_text(field, w)).collect());
                            all.push((Occur::Must, Box::new(phrase)));
                        }
                        Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(all)), weight))
                    }
                };
                (Occur::Should, query)
            })
            .collect();
        Box::new(BooleanQuery::new(any))
    }
}

/// The terms of one field within a typed word's typos (or starting so): tantivy's
/// `FuzzyTermQuery` with its automaton built once per word and shared by every searched field,
/// where each field's query would build its own.
#[derive(Clone)]
struct NearTerms {
    field: Field,
    automaton: Arc<DfaWrapper>,
}

impl NearTerms {
    fn automaton(word: &Word) -> Result<Arc<DfaWrapper>, SearchError> {
        // The field is not read: the automaton is of the word alone.
        let term = Term::from_field_text(Field::from_field_id(0), &word.text);
        let fuzzy =
            if word.prefix { FuzzyTermQuery::new_prefix(term, word.typos, true) } else { FuzzyTermQuery::new(term, word.typos, true) };
        Ok(Arc::new(fuzzy.automaton().map_err(embedded_error)?))
    }
}

impl std::fmt::Debug for NearTerms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NearTerms").field("field", &self.field).finish_non_exhaustive()
    }
}

impl Query for NearTerms {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<DfaWrapper>::new(self.field, self.automaton.clone())))
    }
}

/// Runs `top` with a count and the facet counts in one pass over the matches.
fn collect<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    top: C,
    facets: FacetCounter<'_>,
) -> Result<(C::Fruit, usize, facets::Counts), SearchError> {
    searcher.search(query, &(top, Count, facets)).map_err(embedded_error)
}

impl Rebuild {
    /// Called from async code: adding only queues the documents for the writer's own threads.
    pub fn add(&mut self, documents: &[SearchDocument]) -> Result<(), SearchError> {
        for document in documents {
            self.writer.add_document(self.index.document(document)).map_err(embedded_error)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(), SearchError> {
        self.index.commit(self.writer)
    }
}
