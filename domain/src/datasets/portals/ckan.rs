//! CKAN's Action API (v3): `status_show` to tell a CKAN, `package_show` for a dataset; with
//! data.gov.uk's habit of promoting extras to top-level fields.
use serde_json::Value;
use url::Url;

use super::super::frequency;
use super::super::metadata::{parse_date, Licence, Metadata};
use crate::vocabulary::PortalKind;

/// The CKAN root and dataset id behind a page address `<root>/dataset/<id>[/...]`.
pub fn page_parts(url: &Url) -> Option<(Url, String)> {
    let path = url.path();
    let at = path.find("/dataset/")?;
    let id = path[at + "/dataset/".len()..].split('/').next().filter(|id| !id.is_empty())?;
    let mut root = url.clone();
    root.set_path(&path[..at]);
    root.set_query(None);
    root.set_fragment(None);
    Some((root, id.to_string()))
}

pub fn action_url(root: &Url, action: &str, id: Option<&str>) -> Url {
    let mut url = root.clone();
    let base = root.path().trim_end_matches('/').to_string();
    url.set_path(&format!("{base}/api/3/action/{action}"));
    if let Some(id) = id {
        url.query_pairs_mut().append_pair("id", id);
    }
    url
}

/// A `status_show` answer that names a CKAN version.
pub fn is_status(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body).ok().is_some_and(|v| v["success"] == Value::Bool(true) && v["result"]["ckan_version"].is_string())
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// A field data.gov.uk promotes to the top level, or else the same key among the extras.
fn field(result: &Value, keys: &[&str]) -> String {
    for key in keys {
        let top = text(&result[*key]);
        if !top.is_empty() {
            return top;
        }
    }
    if let Some(extras) = result["extras"].as_array() {
        for key in keys {
            if let Some(extra) = extras.iter().find(|e| e["key"].as_str() == Some(key)) {
                let value = text(&extra["value"]);
                if !value.is_empty() {
                    return value;
                }
            }
        }
    }
    String::new()
}

/// Reads a `package_show` answer; `None` when it is not one.
pub fn parse_package(body: &[u8], api_url: &Url, portal: PortalKind) -> Option<Metadata> {
    let envelope: Value = serde_json::from_slice(body).ok()?;
    if envelope["success"] != Value::Bool(true) {
        return None;
    }
    let result = &envelope["result"];
    let title = text(&result["title"]);
    if title.is_empty() {
        return None;
    }
    let mut found = Metadata::new(portal, api_url.as_str());
    found.title = title;
    found.description = text(&result["notes"]);
    found.publisher =
        [text(&result["organization"]["title"]), field(result, &["publisher", "author"]), text(&result["organization"]["name"])]
            .into_iter()
            .find(|p| !p.is_empty())
            .unwrap_or_default();
    let id = text(&result["license_id"]);
    let licence_title = text(&result["license_title"]);
    let licence_url = text(&result["license_url"]);
    // Harvested records on data.gov.uk often carry no licence id, only the licence's words.
    let words = field(result, &["licence", "license", "licence-custom"]);
    if !id.is_empty() || !licence_title.is_empty() || !words.is_empty() {
        let open = result["isopen"].as_bool().filter(|_| !id.is_empty());
        found.licence = Some(Licence { id, title: if licence_title.is_empty() { words } else { licence_title }, url: licence_url, open });
    }
    let resources = result["resources"].as_array().cloned().unwrap_or_default();
    found.formats = resources.iter().map(|r| text(&r["format"])).collect();
    found.resource_count = result["num_resources"].as_i64().map(|n| n as i32).or(Some(resources.len() as i32));
    let resource_dates = resources.iter().filter_map(|r| r["last_modified"].as_str().and_then(parse_date));
    found.modified = resource_dates
        .max()
        .or_else(|| parse_date(&field(result, &["date_updated", "modified", "last_updated"])))
        .or_else(|| parse_date(&text(&result["metadata_modified"])));
    found.frequency = frequency::parse(&field(result, &["update_frequency", "frequency", "accrual_periodicity"]));
    Some(found.tidy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_root_and_id_of_a_dataset_page() {
        let (root, id) = page_parts(&Url::parse("https://data.example.org/portal/dataset/bus-stops/resource/1?x=y").unwrap()).unwrap();
        assert_eq!(root.as_str(), "https://data.example.org/portal");
        assert_eq!(id, "bus-stops");
        assert_eq!(
            action_url(&root, "package_show", Some(&id)).as_str(),
            "https://data.example.org/portal/api/3/action/package_show?id=bus-stops"
        );
        assert!(page_parts(&Url::parse("https://data.example.org/about").unwrap()).is_none());
    }
}
