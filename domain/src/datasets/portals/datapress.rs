//! DataPress portals (DataMill North, the London Datastore): pages at `/dataset/<slug>-<id>`,
//! each dataset's JSON at `/api/v3/dataset/<id>`. Its field names are not documented; this reads
//! the names seen in its answers and tolerates the variants (objects or lists of resources,
//! camel or snake case).
use serde_json::Value;
use url::Url;

use super::super::frequency;
use super::super::metadata::{parse_date, Licence, Metadata};
use crate::vocabulary::PortalKind;

/// The API address for a page `/dataset/<slug>-<id>`, where `id` is DataPress's short id.
pub fn api_url(page: &Url) -> Option<Url> {
    let slug = page.path().strip_prefix("/dataset/")?.split('/').next()?;
    let id = slug.rsplit('-').next().filter(|id| (4..=12).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric()))?;
    if id == slug {
        return None;
    }
    page.join(&format!("/api/v3/dataset/{id}")).ok()
}

fn text(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_default()
}

fn first(v: &Value, keys: &[&str]) -> Value {
    keys.iter().map(|k| &v[*k]).find(|x| !x.is_null()).cloned().unwrap_or(Value::Null)
}

fn name_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) => [text(&v["title"]), text(&v["name"])].into_iter().find(|s| !s.is_empty()).unwrap_or_default(),
        _ => String::new(),
    }
}

pub fn parse(body: &[u8], api_url: &Url) -> Option<Metadata> {
    let root: Value = serde_json::from_slice(body).ok()?;
    let dataset = ["result", "dataset", "data"].iter().map(|k| &root[*k]).find(|v| v.is_object()).unwrap_or(&root);
    let title = text(&dataset["title"]);
    if title.is_empty() {
        return None;
    }
    let mut found = Metadata::new(PortalKind::DataPress, api_url.as_str());
    found.title = title;
    found.description = text(&first(dataset, &["description", "notes"]));
    found.publisher = name_of(&first(dataset, &["publisher", "organisation", "organization", "author"]));
    found.licence = match first(dataset, &["licence", "license"]) {
        Value::String(id) if !id.is_empty() => Some(Licence { title: id.clone(), id, ..Licence::default() }),
        v @ Value::Object(_) => Some(Licence {
            id: text(&v["id"]),
            title: [text(&v["title"]), text(&v["name"])].into_iter().find(|s| !s.is_empty()).unwrap_or_default(),
            url: text(&v["url"]),
            open: v["isOpen"].as_bool().or(v["is_open"].as_bool()),
        }),
        _ => None,
    };
    let resources: Vec<Value> = match &dataset["resources"] {
        Value::Object(map) => map.values().cloned().collect(),
        Value::Array(list) => list.clone(),
        _ => Vec::new(),
    };
    found.formats = resources.iter().map(|r| text(&r["format"])).collect();
    found.resource_count = Some(resources.len() as i32);
    found.modified = parse_date(&text(&first(dataset, &["updatedAt", "updated_at", "modified", "lastUpdated"])));
    found.frequency = frequency::parse(&text(&first(dataset, &["update_frequency", "updateFrequency", "frequency"])));
    Some(found.tidy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_page_to_its_api() {
        let page = Url::parse("https://datamillnorth.org/dataset/bin-collections-2xq7p").unwrap();
        assert_eq!(api_url(&page).unwrap().as_str(), "https://datamillnorth.org/api/v3/dataset/2xq7p");
        assert!(api_url(&Url::parse("https://datamillnorth.org/dataset/bins").unwrap()).is_none());
    }
}
