//! The case study form as posted.
use serde::{Deserialize, Serialize};

/// The case study form as posted. Repeated fields (checkboxes, dataset rows) arrive as lists;
/// dataset rows are parallel lists because HTML forms have no nesting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseStudyForm {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub service_area: String,
    pub phase: String,
    pub status: String,
    pub region: String,
    pub start_date: String,
    pub end_date: String,
    pub outcomes: String,
    pub lessons: String,
    pub contact: String,
    pub licence: String,
    pub tags: String,
    pub practices: Vec<String>,
    pub patterns: Vec<String>,
    pub organisations: Vec<String>,
    pub dataset_title: Vec<String>,
    pub dataset_url: Vec<String>,
    pub dataset_publisher: Vec<String>,
    pub dataset_licence: Vec<String>,
    pub dataset_format: Vec<String>,
    pub dataset_usage: Vec<String>,
    /// Row numbers (from 1) whose author keeps their own details over the portal's.
    pub dataset_keep_own: Vec<String>,
    /// The row number whose "Look up" button sent the form: look it up, save nothing.
    pub lookup: String,
    /// The version the form was opened at; a save from an older one is a conflict. Anything
    /// unreadable counts as none, so the answers come back (as a conflict) instead of being lost.
    #[serde(deserialize_with = "lenient_version")]
    pub version: i32,
}

fn lenient_version<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    // A number in JSON; text in a posted form.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Version {
        Number(i32),
        Text(String),
    }
    Ok(match Version::deserialize(deserializer) {
        Ok(Version::Number(n)) => n,
        Ok(Version::Text(text)) => text.trim().parse().unwrap_or(0),
        Err(_) => 0,
    })
}

/// One dataset row of the form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetRow {
    pub title: String,
    pub url: String,
    pub publisher: String,
    pub licence: String,
    pub format: String,
    pub usage: String,
    pub keep_own: bool,
}

impl DatasetRow {
    pub fn is_blank(&self) -> bool {
        [&self.title, &self.url, &self.publisher, &self.licence, &self.format, &self.usage].iter().all(|field| field.trim().is_empty())
    }
}

impl CaseStudyForm {
    /// The dataset rows, rebuilt from the parallel lists; a missing cell reads as empty.
    pub fn dataset_rows(&self) -> Vec<DatasetRow> {
        let rows = [
            self.dataset_title.len(),
            self.dataset_url.len(),
            self.dataset_publisher.len(),
            self.dataset_licence.len(),
            self.dataset_format.len(),
            self.dataset_usage.len(),
        ]
        .into_iter()
        .max()
        .unwrap_or(0);
        let cell = |list: &Vec<String>, i: usize| list.get(i).cloned().unwrap_or_default();
        (0..rows)
            .map(|i| DatasetRow {
                title: cell(&self.dataset_title, i),
                url: cell(&self.dataset_url, i),
                publisher: cell(&self.dataset_publisher, i),
                licence: cell(&self.dataset_licence, i),
                format: cell(&self.dataset_format, i),
                usage: cell(&self.dataset_usage, i),
                keep_own: self.dataset_keep_own.iter().any(|n| n.trim() == (i + 1).to_string()),
            })
            .collect()
    }

    pub fn set_dataset_rows(&mut self, rows: &[DatasetRow]) {
        self.dataset_title = rows.iter().map(|r| r.title.clone()).collect();
        self.dataset_url = rows.iter().map(|r| r.url.clone()).collect();
        self.dataset_publisher = rows.iter().map(|r| r.publisher.clone()).collect();
        self.dataset_licence = rows.iter().map(|r| r.licence.clone()).collect();
        self.dataset_format = rows.iter().map(|r| r.format.clone()).collect();
        self.dataset_usage = rows.iter().map(|r| r.usage.clone()).collect();
        self.dataset_keep_own = rows.iter().enumerate().filter(|(_, r)| r.keep_own).map(|(i, _)| (i + 1).to_string()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_rows_survive_ragged_lists() {
        let form = CaseStudyForm {
            dataset_title: vec!["Stops".into(), "".into()],
            dataset_url: vec!["https://example.org/stops".into()],
            ..Default::default()
        };
        let rows = form.dataset_rows();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].url, "https://example.org/stops");
        assert!(rows[1].is_blank());
    }
}
