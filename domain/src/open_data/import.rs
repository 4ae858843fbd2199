//! Bringing case studies in from a file: the site's own JSON or CSV download, or another
//! spreadsheet whose headings are mapped onto the download's columns. Every row is checked by the
//! case study form's own validation and every problem reported by row and column; a dry run saves
//! nothing. A row's `id` is its stable key, so importing the same file again changes nothing.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::Value;

use super::columns::{restore, CASE_STUDY_COLUMNS, LIST_SEPARATOR};
use super::records::Named;
use crate::case_studies::{self, Kept};
use crate::catalogue;
use crate::entities::{case_study, organisation};
use crate::forms::CaseStudyForm;
use crate::text::slugify;
use crate::views::{ImportReport, Link, RowProblem};
use crate::vocabulary::OrganisationKind;
use crate::DomainError;

/// The most rows one import takes: a bigger file is refused before any is read.
pub const MAX_ROWS: usize = 100_000;
/// The largest file one import reads.
pub const MAX_BYTES: usize = 512 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// By the file's ending.
    pub fn for_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Some(Format::Json)
        } else if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else {
            None
        }
    }
}

/// One row as read: the form it amounts to, the organisations it names, and what it keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingRow {
    pub row: usize,
    pub form: CaseStudyForm,
    pub organisations: Vec<Named>,
    pub kept: Kept,
    /// Problems found while reading, before validation.
    pub problems: Vec<RowProblem>,
}

/// Reads a file into rows. `mapping` renames a spreadsheet's headings to the download's columns
/// (`"Project name" → "title"`); the JSON download needs none. A file that cannot be read at all
/// is one problem at row 0.
pub fn read(bytes: &[u8], format: Format, mapping: &HashMap<String, String>) -> Result<Vec<IncomingRow>, RowProblem> {
    let whole = |message: String| RowProblem { row: 0, column: String::new(), message };
    if bytes.len() > MAX_BYTES {
        return Err(whole(format!("The file is larger than {} MB", MAX_BYTES / 1024 / 1024)));
    }
    let objects: Vec<serde_json::Map<String, Value>> = match format {
        Format::Json => {
            let value: Value = serde_json::from_slice(bytes).map_err(|e| whole(format!("This is not JSON: {e}")))?;
            let Value::Array(items) = value else {
                return Err(whole("The JSON must be a list of case studies, as in case-studies.json".into()));
            };
            if items.len() > MAX_ROWS {
                return Err(whole(format!("The file has more than {MAX_ROWS} rows: split it")));
            }
            items.into_iter().map(|item| if let Value::Object(map) = item { map } else { Default::default() }).collect()
        }
        Format::Csv => csv_objects(bytes, mapping).map_err(whole)?,
    };
    Ok(objects.into_iter().enumerate().map(|(n, object)| row_from(n + 1, &object)).collect())
}

/// The CSV's rows as objects keyed by the download's column names, lists split.
fn csv_objects(bytes: &[u8], mapping: &HashMap<String, String>) -> Result<Vec<serde_json::Map<String, Value>>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headings: Vec<String> = reader
        .headers()
        .map_err(|e| format!("The first row must hold the column headings: {e}"))?
        .iter()
        .map(|h| {
            let h = h.trim().trim_start_matches('\u{feff}');
            mapping.get(h).cloned().unwrap_or_else(|| h.to_string())
        })
        .collect();
    if !headings.iter().any(|h| h == "title") {
        return Err("No column is headed `title` (map one with --map \"Your heading=title\")".into());
    }
    let lists = ["practices", "patterns", "organisations", "organisation_ids", "tags", "datasets"];
    let mut objects = Vec::new();
    for record in reader.records() {
        if objects.len() >= MAX_ROWS {
            return Err(format!("The file has more than {MAX_ROWS} rows: split it"));
        }
        let record = record.map_err(|e| format!("The CSV cannot be read: {e}"))?;
        let mut object = serde_json::Map::new();
        for (heading, cell) in headings.iter().zip(record.iter()) {
            let cell = restore(cell).to_string();
            let value = if lists.contains(&heading.as_str()) {
                Value::Array(
                    cell.split(LIST_SEPARATOR.trim()).map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.into())).collect(),
                )
            } else {
                Value::String(cell)
            };
            object.insert(heading.clone(), value);
        }
        objects.push(object);
    }
    Ok(objects)
}

/// A text field; numbers and booleans as written.
fn text(object: &serde_json::Map<String, Value>, key: &str) -> String {
    match object.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A list of slugs or names: strings, or objects with a `slug` (and `name`).
fn named_list(object: &serde_json::Map<String, Value>, key: &str) -> Vec<Named> {
    let Some(Value::Array(items)) = object.get(key) else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(Named { slug: slugify(s, 60), name: s.clone() }),
            Value::Object(o) => {
                let name = text(o, "name");
                // A slug reaches IRIs in the linked data: only what a slug may hold.
                let slug = Some(slugify(&text(o, "slug"), 60)).filter(|s| !s.is_empty()).unwrap_or_else(|| slugify(&name, 60));
                Some(Named { name: if name.is_empty() { slug.clone() } else { name }, slug })
            }
            _ => None,
        })
        .filter(|n| !n.slug.is_empty())
        .collect()
}

fn row_from(row: usize, object: &serde_json::Map<String, Value>) -> IncomingRow {
    let mut problems = Vec::new();
    let mut time = |key: &str| {
        let value = text(object, key);
        if value.is_empty() {
            return None;
        }
        match DateTime::parse_from_rfc3339(&value) {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(_) => {
                problems.push(RowProblem { row, column: key.into(), message: "Give a date and time as in 2025-03-01T09:30:00Z".into() });
                None
            }
        }
    };
    let published_at = time("published_at");
    let updated_at = time("updated_at");
    let id = text(object, "id");
    if id.is_empty() {
        problems.push(RowProblem {
            row,
            column: "id".into(),
            message: "Give each row an id, so that importing the file again updates it rather than adding it twice".into(),
        });
    } else if slugify(&id, 80) != id {
        problems.push(RowProblem {
            row,
            column: "id".into(),
            message: "An id is lower-case letters, digits and hyphens, up to 80 characters".into(),
        });
    }
    let mut form = CaseStudyForm {
        title: text(object, "title"),
        summary: text(object, "summary"),
        body: text(object, "body"),
        service_area: text(object, "service_area"),
        phase: text(object, "phase"),
        status: "published".into(),
        region: text(object, "region"),
        start_date: text(object, "start_date"),
        end_date: text(object, "end_date"),
        outcomes: text(object, "outcomes"),
        lessons: text(object, "lessons"),
        contact: text(object, "contact"),
        licence: text(object, "licence"),
        tags: named_list(object, "tags").into_iter().map(|t| t.name).collect::<Vec<_>>().join(", "),
        practices: named_list(object, "practices").into_iter().map(|p| p.slug).collect(),
        patterns: named_list(object, "patterns").into_iter().map(|p| p.slug).collect(),
        ..Default::default()
    };
    let mut organisations = named_list(object, "organisations");
    // The CSV download names organisations, and gives their slugs beside them.
    let slugs = named_list(object, "organisation_ids");
    if slugs.len() == organisations.len() {
        for (organisation, slug) in organisations.iter_mut().zip(slugs) {
            organisation.slug = slug.slug;
        }
    }
    form.organisations = organisations.iter().map(|o| o.slug.clone()).collect();
    if let Some(Value::Array(datasets)) = object.get("datasets") {
        for (n, dataset) in datasets.iter().enumerate() {
            let field = |key: &str| match dataset {
                Value::Object(o) => text(o, key),
                Value::String(url) if key == "url" => url.clone(),
                _ => String::new(),
            };
            form.dataset_title.push(field("title"));
            form.dataset_url.push(field("url"));
            form.dataset_publisher.push(field("publisher"));
            form.dataset_licence.push(field("licence"));
            form.dataset_format.push(field("format"));
            form.dataset_usage.push(field("usage"));
            if matches!(dataset.get("keep_own_details"), Some(Value::Bool(true))) {
                form.dataset_keep_own.push((n + 1).to_string());
            }
        }
    }
    IncomingRow { row, form, organisations, kept: Kept { slug: id, published_at, updated_at }, problems }
}

/// The form's problems, as the report gives them: by the column the row came from.
fn problems_of(row: usize, errors: crate::forms::FieldErrors) -> impl Iterator<Item = RowProblem> {
    let column = |field: &str| match field.split_once('_').map(|(head, _)| head) {
        Some("dataset") => "datasets".to_string(),
        _ => field.to_string(),
    };
    errors.0.into_iter().map(move |e| RowProblem { row, column: column(&e.field), message: e.message })
}

/// Checks every row, and unless `dry_run` saves each valid one as `author_id`'s: new ids are
/// created, known ids updated (and left alone when nothing differs). Organisations a valid row
/// names that the site lacks are created with it. `progress` hears of each row done, and of how many there are.
pub async fn import(
    db: &DatabaseConnection,
    author_id: i32,
    rows: Vec<IncomingRow>,
    dry_run: bool,
    mut progress: impl FnMut(usize, usize),
) -> Result<ImportReport, DomainError> {
    may_import(db, author_id).await?;
    let (patterns, mut organisations) = catalogue::choices(db).await?;
    let total = rows.len();
    let mut report = ImportReport { rows: total, ..Default::default() };
    let mut seen = HashMap::new();
    for (done, mut incoming) in rows.into_iter().enumerate() {
        progress(done + 1, total);
        let row = incoming.row;
        if let Some(first) = seen.insert(incoming.kept.slug.clone(), row) {
            incoming.problems.push(RowProblem { row, column: "id".into(), message: format!("Row {first} has the same id") });
        }
        let missing: Vec<Named> =
            incoming.organisations.iter().filter(|o| !organisations.iter().any(|known| known.slug == o.slug)).cloned().collect();
        let mut choices = organisations.clone();
        choices.extend(missing.iter().map(|o| Link { slug: o.slug.clone(), name: o.name.clone() }));
        let valid = match case_studies::validate(&incoming.form, &patterns, &choices) {
            Ok(valid) => Some(valid),
            Err(errors) => {
                incoming.problems.extend(problems_of(row, errors));
                None
            }
        };
        if !incoming.problems.is_empty() {
            report.problems.append(&mut incoming.problems);
            continue;
        }
        let Some(valid) = valid else { continue };
        // Only what this id brought in before: a case study that merely has the id as its
        // address (someone else's draft, say) is never changed or published by an import.
        let existing = case_study::Entity::find().filter(case_study::Column::ImportId.eq(&incoming.kept.slug)).one(db).await?;
        let changed = match &existing {
            Some(model) => !case_studies::changed_fields(&case_studies::current_state(db, model).await?, &valid).is_empty(),
            None => true,
        };
        let counter = match (&existing, changed) {
            (Some(_), false) => &mut report.unchanged,
            (Some(_), true) => &mut report.updated,
            (None, _) => &mut report.created,
        };
        if dry_run {
            *counter += 1;
            report.organisations_created += missing.len();
            organisations.extend(missing.iter().map(|o| Link { slug: o.slug.clone(), name: o.name.clone() }));
            continue;
        }
        let new_organisations = missing.len();
        for named in missing {
            organisation::Entity::insert(organisation::ActiveModel {
                slug: Set(named.slug.clone()),
                name: Set(named.name.clone()),
                kind: Set(OrganisationKind::Other),
                website: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            })
            .exec(db)
            .await?;
            organisations.push(Link { slug: named.slug.clone(), name: named.name.clone() });
        }
        let saved = match existing {
            None => case_studies::create_keeping(db, author_id, &incoming.form, Some(&incoming.kept)).await.map(|_| ()),
            Some(model) if changed => {
                incoming.form.version = model.version;
                let updated = case_studies::update(db, author_id, &model.slug, &incoming.form).await;
                if let (Ok(_), Some(at)) = (&updated, incoming.kept.updated_at) {
                    case_study::Entity::update_many()
                        .col_expr(case_study::Column::UpdatedAt, sea_orm::sea_query::Expr::value(at))
                        .filter(case_study::Column::Id.eq(model.id))
                        .exec(db)
                        .await?;
                }
                updated.map(|_| ())
            }
            Some(_) => Ok(()),
        };
        match saved {
            Ok(()) => {
                *counter += 1;
                report.organisations_created += new_organisations;
            }
            Err(DomainError::Invalid(errors)) => report.problems.extend(problems_of(row, errors)),
            Err(DomainError::Database(e)) => return Err(DomainError::Database(e)),
            Err(other) => report.problems.push(RowProblem { row, column: String::new(), message: other.to_string() }),
        }
    }
    Ok(report)
}

/// Gives CSV rows the full details of their datasets from the datasets download
/// (`case-study-datasets.csv`), matched by `case_study_id`; the case studies CSV names only
/// their addresses.
pub fn attach_datasets(rows: &mut [IncomingRow], bytes: &[u8]) -> Result<(), RowProblem> {
    let whole = |message: String| RowProblem { row: 0, column: "datasets".into(), message };
    let mut reader = csv::Reader::from_reader(bytes);
    let headings: Vec<String> =
        reader.headers().map_err(|e| whole(format!("The datasets file has no headings: {e}")))?.iter().map(str::to_string).collect();
    let at = |name: &str| headings.iter().position(|h| h == name);
    let (Some(case_study), Some(url)) = (at("case_study_id"), at("url")) else {
        return Err(whole("The datasets file needs the columns case_study_id and url, as in case-study-datasets.csv".into()));
    };
    let mut by_case_study: HashMap<String, Vec<csv::StringRecord>> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| whole(format!("The datasets file cannot be read: {e}")))?;
        by_case_study.entry(restore(record.get(case_study).unwrap_or_default()).to_string()).or_default().push(record);
    }
    for row in rows.iter_mut() {
        let Some(records) = by_case_study.remove(&row.kept.slug) else { continue };
        let form = &mut row.form;
        let cell = |record: &csv::StringRecord, name: &str| {
            at(name).and_then(|i| record.get(i)).map(|c| restore(c).to_string()).unwrap_or_default()
        };
        form.dataset_url = records.iter().map(|r| restore(r.get(url).unwrap_or_default()).to_string()).collect();
        form.dataset_title = records.iter().map(|r| cell(r, "title")).collect();
        form.dataset_publisher = records.iter().map(|r| cell(r, "publisher")).collect();
        form.dataset_licence = records.iter().map(|r| cell(r, "licence")).collect();
        form.dataset_format = records.iter().map(|r| cell(r, "format")).collect();
        form.dataset_usage = records.iter().map(|r| cell(r, "usage")).collect();
    }
    Ok(())
}

/// A file to import, with the datasets download beside a CSV, and any headings to rename.
pub struct ImportFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub datasets: Option<&'a [u8]>,
    pub mapping: &'a HashMap<String, String>,
}

/// Reads and imports a file (see `import`). A file that cannot be read is reported as a problem
/// with row 0, and nothing is saved.
pub async fn run(
    db: &DatabaseConnection,
    author_id: i32,
    file: ImportFile<'_>,
    dry_run: bool,
    progress: impl FnMut(usize, usize),
) -> Result<ImportReport, DomainError> {
    may_import(db, author_id).await?;
    let refused = |problem: RowProblem| ImportReport { problems: vec![problem], ..Default::default() };
    let Some(format) = Format::for_name(file.name) else {
        return Ok(refused(RowProblem { row: 0, column: String::new(), message: "Give a .json or a .csv file".into() }));
    };
    let mut rows = match read(file.bytes, format, file.mapping) {
        Ok(rows) => rows,
        Err(problem) => return Ok(refused(problem)),
    };
    if let Some(datasets) = file.datasets {
        if let Err(problem) = attach_datasets(&mut rows, datasets) {
            return Ok(refused(problem));
        }
    }
    import(db, author_id, rows, dry_run, progress).await
}

/// Only admins import: an import publishes in bulk, and may name anyone's organisation.
pub async fn may_import(db: &DatabaseConnection, user_id: i32) -> Result<(), DomainError> {
    let actor = crate::identity::roles::actor(db, Some(user_id)).await?;
    actor.check(&crate::permissions::Authorship::default(), crate::permissions::Action::Import)
}

/// The account an import saves as, by email or profile number.
pub async fn author(db: &DatabaseConnection, who: &str) -> Result<i32, DomainError> {
    crate::networks::person_for(db, who).await?.ok_or(DomainError::NotFound)
}

/// The download's column names, which a mapping may target.
pub fn columns() -> impl Iterator<Item = &'static str> {
    CASE_STUDY_COLUMNS.iter().map(|c| c.name)
}
