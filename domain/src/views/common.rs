//! What views of every area share: links, dates, pages of results and query strings.
use serde::{Deserialize, Serialize};

/// A named thing with a page of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub slug: String,
    pub name: String,
}

/// A date or time as machines (`iso`) and people (`display`) read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateText {
    pub iso: String,
    pub display: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total_items: u64,
    pub total_pages: u64,
}

/// A page read by cursor: fetch one more than `limit` to learn whether another page follows,
/// then split off the page and the cursor (the last item's id) for the next.
pub fn cursor_page<T>(mut items: Vec<T>, limit: u64, id: impl Fn(&T) -> i32) -> (Vec<T>, Option<String>) {
    if items.len() as u64 <= limit {
        return (items, None);
    }
    items.truncate(limit as usize);
    let next = items.last().map(|item| id(item).to_string());
    (items, next)
}

/// Deeper list pages are refused: nobody reads them, and a number past what the database binds
/// (SQLite's signed 64 bits) would fail inside its driver.
pub const MAX_LIST_PAGE: u64 = 1000;

/// Checks a requested page number before it reaches any query.
pub fn check_page(page: u64, max: u64) -> Result<u64, crate::forms::FieldErrors> {
    if (1..=max).contains(&page) {
        Ok(page)
    } else {
        let mut errors = crate::forms::FieldErrors::default();
        errors.add("page", format!("Page must be a whole number from 1 to {max}"));
        Err(errors)
    }
}

/// `key=value&…`, values percent-encoded.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs.into_iter().map(|(key, value)| format!("{key}={}", encode_query_value(value))).collect::<Vec<_>>().join("&")
}

/// Percent-encodes a value for a query string.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form post that was refused, shown on the page it came from: a sentence for a clash with
/// what is there (`message`), or the fields to fix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormProblem {
    pub message: Option<String>,
    pub errors: crate::forms::FieldErrors,
}
