//! schema.org `Dataset` descriptions embedded in a page as JSON-LD. Read as plain JSON: pages
//! name schema.org's context by address, and nothing is fetched to expand it.
use serde_json::Value;

use super::super::metadata::{parse_date, Licence, Metadata};
use crate::vocabulary::PortalKind;

fn is_dataset(v: &Value) -> bool {
    let is = |t: &Value| {
        t.as_str().is_some_and(|t| matches!(t, "Dataset" | "schema:Dataset" | "http://schema.org/Dataset" | "https://schema.org/Dataset"))
    };
    match &v["@type"] {
        Value::Array(types) => types.iter().any(is),
        t => is(t),
    }
}

/// Every object in a JSON-LD block: the block, its list items and its `@graph`.
fn objects(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(items) => items.iter().flat_map(objects).collect(),
        Value::Object(map) => {
            let mut all = vec![v];
            if let Some(graph) = map.get("@graph") {
                all.extend(objects(graph));
            }
            all
        }
        _ => Vec::new(),
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.first().map(text).unwrap_or_default(),
        Value::Object(map) => map.get("name").or(map.get("@value")).map(text).unwrap_or_default(),
        _ => String::new(),
    }
}

pub fn parse(blocks: &[String], page: &str) -> Option<Metadata> {
    let parsed: Vec<Value> = blocks.iter().filter_map(|b| serde_json::from_str(b).ok()).collect();
    let dataset = parsed.iter().flat_map(objects).find(|v| is_dataset(v))?;
    let title = text(&dataset["name"]);
    if title.is_empty() {
        return None;
    }
    let mut found = Metadata::new(PortalKind::SchemaOrg, page);
    found.title = title;
    found.description = text(&dataset["description"]);
    found.publisher = [text(&dataset["publisher"]), text(&dataset["creator"])].into_iter().find(|p| !p.is_empty()).unwrap_or_default();
    found.licence = match &dataset["license"] {
        Value::String(url) => Some(Licence { url: url.clone(), ..Licence::default() }),
        v @ Value::Object(_) => Some(Licence {
            title: text(&v["name"]),
            url: v["url"].as_str().or(v["@id"].as_str()).unwrap_or_default().to_string(),
            ..Licence::default()
        }),
        _ => None,
    };
    let distributions: Vec<&Value> = match &dataset["distribution"] {
        Value::Array(items) => items.iter().collect(),
        v @ Value::Object(_) => vec![v],
        _ => Vec::new(),
    };
    found.formats = distributions.iter().map(|d| text(&d["encodingFormat"])).collect();
    found.resource_count = Some(distributions.len() as i32);
    found.modified = parse_date(&text(&dataset["dateModified"]))
        .or_else(|| distributions.iter().filter_map(|d| parse_date(&text(&d["dateModified"]))).max());
    Some(found.tidy())
}
