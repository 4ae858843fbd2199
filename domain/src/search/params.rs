//! The search page's query string: what people typed, the filters they picked, the order and
//! the page. Parsed strictly, so a bad address gets a clear error instead of odd results.
use serde::{Deserialize, Serialize};

use crate::forms::FieldErrors;
use crate::views::{check_page, query_string};

pub const PER_PAGE: u64 = 10;
/// Deeper pages are refused: nobody reads them, and they cost every engine more.
pub const MAX_PAGE: u64 = 100;
pub const MAX_QUERY_CHARS: usize = 200;
/// Values per filter in one request.
const MAX_VALUES: usize = 10;

/// What results can be narrowed by. Each is a query parameter, a facet with counts and a field
/// of the indexed documents, under the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Pattern,
    ServiceArea,
    Phase,
    Organisation,
    Region,
    Publisher,
    Tag,
    Network,
    /// `open` when a dataset it uses is under an open licence.
    Licence,
    /// The conditions of the datasets it uses.
    DatasetHealth,
}

impl Dimension {
    pub const ALL: [Dimension; 10] = [
        Dimension::Pattern,
        Dimension::ServiceArea,
        Dimension::Phase,
        Dimension::Organisation,
        Dimension::Region,
        Dimension::Publisher,
        Dimension::Tag,
        Dimension::Network,
        Dimension::Licence,
        Dimension::DatasetHealth,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Pattern => "pattern",
            Dimension::ServiceArea => "service_area",
            Dimension::Phase => "phase",
            Dimension::Organisation => "organisation",
            Dimension::Region => "region",
            Dimension::Publisher => "publisher",
            Dimension::Tag => "tag",
            Dimension::Network => "network",
            Dimension::Licence => "licence",
            Dimension::DatasetHealth => "dataset_health",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Pattern => "Pattern",
            Dimension::ServiceArea => "Service area",
            Dimension::Phase => "Phase",
            Dimension::Organisation => "Organisation",
            Dimension::Region => "Region",
            Dimension::Publisher => "Dataset publisher",
            Dimension::Tag => "Tag",
            Dimension::Network => "Network",
            Dimension::Licence => "Dataset licence",
            Dimension::DatasetHealth => "Dataset health",
        }
    }

    pub fn from_key(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first; with no words typed, newest first.
    #[default]
    Relevance,
    Newest,
}

impl Sort {
    pub fn key(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
        }
    }
}

/// A search as its address says it. Filters on one dimension widen (any of the values); filters
/// on different dimensions narrow (all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    pub filters: Vec<(Dimension, String)>,
    pub sort: Sort,
    pub page: u64,
}

impl SearchParams {
    /// Reads the query string's pairs. Unknown parameters are ignored, as links from elsewhere
    /// may carry tracking; known ones with bad values are errors, keyed by parameter.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<SearchParams, FieldErrors> {
        let mut params = SearchParams { page: 1, ..Default::default() };
        let mut errors = FieldErrors::default();
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "q" => params.q = value.to_string(),
                "sort" => match value {
                    "" | "relevance" => params.sort = Sort::Relevance,
                    "newest" => params.sort = Sort::Newest,
                    _ => errors.add("sort", "Sort by relevance or newest"),
                },
                "page" if value.is_empty() => {}
                // Out of range is caught by `check`; here 0 stands for anything unreadable.
                "page" => params.page = value.parse().unwrap_or(0),
                _ => {
                    if let Some(dimension) = Dimension::from_key(key) {
                        if !value.is_empty() && !params.is_selected(dimension, value) {
                            params.filters.push((dimension, value.to_string()));
                        }
                    }
                }
            }
        }
        if let Err(found) = params.check() {
            errors.0.extend(found.0);
        }
        if errors.is_empty() {
            Ok(params)
        } else {
            Err(errors)
        }
    }

    /// The limits every search keeps, however it arrived.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.q.chars().count() > MAX_QUERY_CHARS {
            errors.add("q", format!("Search words must be {MAX_QUERY_CHARS} characters or fewer"));
        }
        if let Err(page) = check_page(self.page, MAX_PAGE) {
            errors.0.extend(page.0);
        }
        for dimension in Dimension::ALL {
            let key = dimension.key();
            if self.values(dimension).any(|v| v.chars().count() > MAX_QUERY_CHARS) {
                errors.add(key, format!("{} must be {MAX_QUERY_CHARS} characters or fewer", dimension.label()));
            } else if self.values(dimension).count() > MAX_VALUES {
                errors.add(key, format!("Choose at most {MAX_VALUES} values of {}", dimension.label().to_lowercase()));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn values(&self, dimension: Dimension) -> impl Iterator<Item = &str> {
        self.filters.iter().filter(move |(d, _)| *d == dimension).map(|(_, v)| v.as_str())
    }

    pub fn is_selected(&self, dimension: Dimension, value: &str) -> bool {
        self.values(dimension).any(|v| v == value)
    }

    /// The same search with one filter added, from the first page.
    pub fn with_filter(&self, dimension: Dimension, value: &str) -> SearchParams {
        let mut next = SearchParams { page: 1, ..self.clone() };
        if !next.is_selected(dimension, value) {
            next.filters.push((dimension, value.to_string()));
        }
        next
    }

    /// The same search with one filter removed, from the first page.
    pub fn without_filter(&self, dimension: Dimension, value: &str) -> SearchParams {
        let mut next = SearchParams { page: 1, ..self.clone() };
        next.filters.retain(|(d, v)| !(*d == dimension && v == value));
        next
    }

    /// The same words and order with no filters, from the first page.
    pub fn without_filters(&self) -> SearchParams {
        SearchParams { filters: Vec::new(), page: 1, ..self.clone() }
    }

    /// The filters by dimension, in the order each was first chosen.
    pub fn grouped_filters(&self) -> Vec<(Dimension, Vec<String>)> {
        let mut grouped: Vec<(Dimension, Vec<String>)> = Vec::new();
        for (dimension, value) in &self.filters {
            match grouped.iter_mut().find(|(d, _)| d == dimension) {
                Some((_, values)) => values.push(value.clone()),
                None => grouped.push((*dimension, vec![value.clone()])),
            }
        }
        grouped
    }

    pub fn on_page(&self, page: u64) -> SearchParams {
        SearchParams { page, ..self.clone() }
    }

    /// The query string, defaults left out, so equal searches have equal addresses.
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", &self.q));
        }
        let mut filters: Vec<&(Dimension, String)> = self.filters.iter().collect();
        filters.sort_by_key(|(d, _)| *d);
        pairs.extend(filters.into_iter().map(|(d, v)| (d.key(), v.as_str())));
        if self.sort != Sort::Relevance {
            pairs.push(("sort", self.sort.key()));
        }
        let page = self.page.to_string();
        if self.page > 1 {
            pairs.push(("page", &page));
        }
        query_string(pairs)
    }

    /// The search page's address for this search.
    pub fn href(&self) -> String {
        crate::paths::search(&self.query_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_repeated_filters_and_writes_them_back_in_a_stable_order() {
        let params =
            SearchParams::parse([("phase", "live"), ("q", " bins "), ("pattern", "a"), ("phase", "beta"), ("utm_source", "x")]).unwrap();
        assert_eq!(params.q, "bins");
        assert_eq!(params.values(Dimension::Phase).collect::<Vec<_>>(), ["live", "beta"]);
        assert_eq!(params.query_string(), "q=bins&pattern=a&phase=live&phase=beta");
        assert_eq!(params.without_filter(Dimension::Phase, "live").href(), "/search?q=bins&pattern=a&phase=beta");
        assert_eq!(params.on_page(3).with_filter(Dimension::Tag, "uprn").page, 1);
    }

    #[test]
    fn refuses_bad_values_by_name() {
        let errors = SearchParams::parse([("page", "0"), ("sort", "oldest"), ("q", &"x".repeat(201))]).unwrap_err();
        for key in ["page", "sort", "q"] {
            assert!(errors.get(key).is_some(), "no error for {key}");
        }
        assert!(SearchParams::parse([("page", "abc")]).is_err());
        let many: Vec<String> = (0..11).map(|n| format!("tag-{n}")).collect();
        assert!(SearchParams::parse(many.iter().map(|v| ("tag", v.as_str()))).unwrap_err().get("tag").is_some());
        let deep = SearchParams { page: 1_000_000_000, ..Default::default() };
        assert!(deep.check().is_err(), "a search built elsewhere is held to the same limits");
        assert_eq!(SearchParams::parse([("page", "")]).unwrap().page, 1);
    }
}
