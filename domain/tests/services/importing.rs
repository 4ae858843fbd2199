//! `casebook import` underneath: the site's own downloads brought into an empty instance give the
//! same downloads again, a second import changes nothing, and a hostile spreadsheet is reported
//! row by row, column by column, with nothing of it saved.
use std::collections::HashMap;

use casebook_domain::open_data::import::{self, Format};
use casebook_domain::open_data::{Dumps, CSV, DATASETS_CSV, JSON};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::support::{make_user, on_both_engines, sqlite};

fn temp_dumps(db_name: &str) -> Dumps {
    let dir = std::env::temp_dir().join(format!("casebook-import-{db_name}-{}", casebook_domain::identity::random_token()));
    Dumps::new(dir, "https://casebook.example")
}

/// The records of a JSON dump, without what is the receiving site's own: its dataset numbers and
/// checks, and the networks (memberships are not part of an import).
fn content(dumps: &Dumps) -> anyhow::Result<Vec<serde_json::Value>> {
    let mut records: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(dumps.path(JSON))?)?;
    for record in &mut records {
        let object = record.as_object_mut().expect("a record");
        object.remove("networks");
        for dataset in object.get_mut("datasets").and_then(|d| d.as_array_mut()).into_iter().flatten() {
            let dataset = dataset.as_object_mut().expect("a dataset");
            dataset.remove("dataset_id");
            dataset.remove("health");
        }
    }
    Ok(records)
}

/// Only admins import.
async fn make_admin(db: &DatabaseConnection) -> anyhow::Result<i32> {
    use casebook_domain::identity::roles::{self, Role, Source};
    let id = make_user(db, "Importing Admin").await?;
    roles::grant(db, id, Role::Admin, Source::Command).await?;
    Ok(id)
}

async fn case_study_count(db: &DatabaseConnection) -> anyhow::Result<u64> {
    Ok(casebook_domain::entities::case_study::Entity::find().count(db).await?)
}

#[tokio::test]
async fn the_downloads_imported_into_an_empty_instance_give_the_same_downloads() -> anyhow::Result<()> {
    on_both_engines(|source| async move {
        casebook_domain::demo::seed(&source).await?;
        let before = temp_dumps("source");
        let written = before.write(&source).await?;
        assert!(written.case_studies > 20 && written.dataset_links > 20);
        let original = content(&before)?;

        for format in [Format::Json, Format::Csv] {
            let target = sqlite().await?;
            let importer = make_admin(&target).await?;
            let mut rows = match format {
                Format::Json => import::read(&std::fs::read(before.path(JSON))?, format, &HashMap::new()),
                Format::Csv => import::read(&std::fs::read(before.path(CSV))?, format, &HashMap::new()),
            }
            .map_err(|p| anyhow::anyhow!("{p:?}"))?;
            if format == Format::Csv {
                import::attach_datasets(&mut rows, &std::fs::read(before.path(DATASETS_CSV))?).map_err(|p| anyhow::anyhow!("{p:?}"))?;
            }
            let stranger = make_user(&target, "Not An Admin").await?;
            let refused = import::import(&target, stranger, rows.clone(), true, |_, _| {}).await;
            assert!(matches!(refused, Err(casebook_domain::DomainError::Forbidden)), "{format:?}: only admins import");
            let dry = import::import(&target, importer, rows.clone(), true, |_, _| {}).await?;
            assert_eq!(dry.problems, [], "{format:?}");
            assert_eq!(dry.created as u64, written.case_studies, "{format:?}: the dry run counts them all");
            assert_eq!(case_study_count(&target).await?, 0, "{format:?}: a dry run saves nothing");

            let mut seen = 0;
            let report = import::import(&target, importer, rows.clone(), false, |n, _| seen = n).await?;
            assert_eq!(report.problems, [], "{format:?}");
            assert_eq!((report.created as u64, seen as u64), (written.case_studies, written.case_studies), "{format:?}");
            assert!(report.organisations_created > 0, "{format:?}: the organisations came too");

            let after = temp_dumps("target");
            after.write(&target).await?;
            let round_trip = content(&after)?;
            assert_eq!(round_trip.len(), original.len(), "{format:?}");
            for (a, b) in original.iter().zip(&round_trip) {
                assert_eq!(a, b, "{format:?}: {} came back different", a["id"]);
            }

            let again = import::import(&target, importer, rows, false, |_, _| {}).await?;
            assert_eq!(
                (again.created, again.updated, again.unchanged),
                (0, 0, report.created),
                "{format:?}: a second import changes nothing"
            );
            assert_eq!(case_study_count(&target).await?, written.case_studies, "{format:?}");
            let _ = std::fs::remove_dir_all(&after.dir);
        }
        let _ = std::fs::remove_dir_all(&before.dir);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_hostile_spreadsheet_is_reported_row_by_row_and_only_its_good_rows_saved() -> anyhow::Result<()> {
    on_both_engines(|db| async move {
        let importer = make_admin(&db).await?;
        let long = "x".repeat(20_000);
        let sheet = format!(
            "\u{feff}Ref,Project,summary,body,service_area,phase,licence,organisations,published_at,region,patterns\n\
             good-one,Bin day finder,Residents check bin days online.,The story.,waste-and-recycling,live,CC-BY-4.0,New Borough Council,2024-05-01T10:00:00Z,Wales,engage-with-services\n\
             formula,\"'=HYPERLINK(\"\"http://evil.example\"\")\",Summary.,Body.,waste-and-recycling,live,CC-BY-4.0,,,Wales,engage-with-services\n\
             bad-phase,A title,Summary.,Body.,waste-and-recycling,finished,CC-BY-4.0,Only If Valid Council,,Wales,engage-with-services\n\
             ,No id here,Summary.,Body.,housing,beta,CC-BY-4.0,,,Wales,engage-with-services\n\
             Not A Slug!,Bad id,Summary.,Body.,housing,beta,CC-BY-4.0,,,Wales,engage-with-services\n\
             good-one,Duplicate,Summary.,Body.,housing,beta,CC-BY-4.0,,,Wales,engage-with-services\n\
             too-long,{long},Summary.,Body.,housing,beta,CC-BY-4.0,,,Wales,engage-with-services\n\
             bad-date,Dated,Summary.,Body.,housing,beta,CC-BY-4.0,,yesterday,Wales,engage-with-services\n\
             short-row,Short\n"
        );
        let mapping = HashMap::from([("Ref".to_string(), "id".to_string()), ("Project".to_string(), "title".to_string())]);
        let rows = import::read(sheet.as_bytes(), Format::Csv, &mapping).map_err(|p| anyhow::anyhow!("{p:?}"))?;
        assert_eq!(rows.len(), 9);

        let dry = import::import(&db, importer, rows.clone(), true, |_, _| {}).await?;
        let by_row = |report: &casebook_domain::views::ImportReport, row: usize| -> Vec<String> {
            report.problems.iter().filter(|p| p.row == row).map(|p| p.column.clone()).collect()
        };
        assert_eq!(by_row(&dry, 1), Vec::<String>::new(), "{:?}", dry.problems);
        assert_eq!(by_row(&dry, 2), Vec::<String>::new(), "a formula is only text: {:?}", dry.problems);
        assert_eq!(by_row(&dry, 3), ["phase"]);
        assert_eq!(by_row(&dry, 4), ["id"]);
        assert_eq!(by_row(&dry, 5), ["id"]);
        assert_eq!(by_row(&dry, 6), ["id"], "the same id twice");
        assert_eq!(by_row(&dry, 7), ["title"]);
        assert_eq!(by_row(&dry, 8), ["published_at"]);
        assert!(!by_row(&dry, 9).is_empty(), "a short row misses what is required");
        assert!(dry.problems.iter().all(|p| !p.message.is_empty()));
        assert_eq!((dry.created, dry.organisations_created), (2, 1));
        assert_eq!(case_study_count(&db).await?, 0, "a dry run saves nothing");

        let report = import::import(&db, importer, rows, false, |_, _| {}).await?;
        assert_eq!(report.problems, dry.problems, "the import finds what the dry run found");
        assert_eq!(report.created, 2);
        assert_eq!(case_study_count(&db).await?, 2, "only the good rows");
        let organisations: Vec<String> =
            casebook_domain::entities::organisation::Entity::find().all(&db).await?.into_iter().map(|o| o.name).collect();
        assert!(organisations.contains(&"New Borough Council".to_string()));
        assert!(!organisations.contains(&"Only If Valid Council".to_string()), "no organisation for a refused row");
        let formula = casebook_domain::case_studies::view(&db, &Default::default(), &Default::default(), "formula", Some(importer)).await?;
        assert_eq!(formula.card.title, "=HYPERLINK(\"http://evil.example\")", "kept as text, apostrophe taken off");
        let good = casebook_domain::case_studies::view(&db, &Default::default(), &Default::default(), "good-one", None).await?;
        assert_eq!(good.card.title, "Bin day finder", "the first of the two rows with that id");

        assert!(import::read(b"not json", Format::Json, &HashMap::new()).is_err());
        assert!(import::read(b"{\"a\": 1}", Format::Json, &HashMap::new()).is_err());
        assert!(import::read(b"name,other\nx,y\n", Format::Csv, &HashMap::new()).is_err(), "no title column");
        Ok(())
    })
    .await
}

/// A row whose id was an existing case study's address updated and published it, even someone
/// else's draft; an organisation's slug from JSON reached the catalogue's IRIs unchecked.
#[tokio::test]
async fn an_import_changes_only_what_it_brought_in_and_slugs_stay_slugs() -> anyhow::Result<()> {
    use casebook_domain::entities::{case_study, organisation};
    use sea_orm::{ColumnTrait, QueryFilter};
    on_both_engines(|db| async move {
        let admin = make_admin(&db).await?;
        let author = make_user(&db, "Someone Else").await?;
        let mut draft = crate::support::valid_form("Someone else's draft");
        draft.status = "draft".into();
        let slug = casebook_domain::case_studies::create(&db, author, &draft).await?;
        let file = serde_json::json!([{
            "id": slug,
            "title": "Imported over the draft",
            "summary": "Brought in from a file.",
            "body": "The story.",
            "service_area": "housing",
            "phase": "beta",
            "licence": "CC-BY-4.0",
            "region": "Wales",
            "patterns": ["engage-with-services"],
            "organisations": [{ "slug": "x> <http://evil.example/", "name": "Evil Example" }],
        }])
        .to_string();
        let rows = import::read(file.as_bytes(), Format::Json, &HashMap::new()).map_err(|p| anyhow::anyhow!("{p:?}"))?;
        let report = import::import(&db, admin, rows.clone(), false, |_, _| {}).await?;
        anyhow::ensure!((report.created, report.updated) == (1, 0), "{report:?}");
        let theirs = case_study::Entity::find().filter(case_study::Column::Slug.eq(&slug)).one(&db).await?.unwrap();
        anyhow::ensure!(
            theirs.title == "Someone else's draft" && theirs.status == casebook_domain::vocabulary::Status::Draft,
            "{theirs:?}"
        );
        let organisation = organisation::Entity::find().filter(organisation::Column::Name.eq("Evil Example")).one(&db).await?.unwrap();
        anyhow::ensure!(organisation.slug == "x-http-evil-example", "{}", organisation.slug);
        // Imported again: the same row is found by its id and nothing changes.
        let again = import::import(&db, admin, rows, false, |_, _| {}).await?;
        anyhow::ensure!((again.created, again.unchanged) == (0, 1), "{again:?}");
        Ok(())
    })
    .await
}
