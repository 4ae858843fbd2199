//! The synonyms both engines use, kept as data the platform owns (`synonyms.txt`).
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("synonyms.txt");

/// The groups, each a list of lowercase words or phrases that mean the same.
pub fn groups() -> &'static [Vec<String>] {
    static GROUPS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    GROUPS.get_or_init(|| parse(DATA))
}

fn parse(data: &str) -> Vec<Vec<String>> {
    data.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split(" = ").map(|member| member.trim().to_lowercase()).filter(|m| !m.is_empty()).collect::<Vec<_>>())
        .filter(|group| group.len() > 1)
        .collect()
}

/// Each member mapped to the others, as Meilisearch's `synonyms` setting takes them.
pub fn as_map() -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for group in groups() {
        for member in group {
            let others = group.iter().filter(|other| *other != member).cloned();
            map.entry(member.clone()).or_default().extend(others);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_leads_to_every_other() {
        let map = as_map();
        assert!(map["bins"].contains(&"waste collection".to_string()));
        assert!(map["waste collection"].contains(&"refuse".to_string()));
        assert!(map["bus"].contains(&"public transport".to_string()));
        assert!(map["local authority"].contains(&"council".to_string()));
        assert!(groups().iter().all(|g| g.iter().all(|m| m == &m.to_lowercase())));
    }
}
