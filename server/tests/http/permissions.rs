//! The permission table, over HTTP: every action, tried by every kind of actor through the
//! site's own pages and forms, against the table written out here. A new action without its
//! row fails `the_table_has_a_row_for_every_action`.

use axum::http::StatusCode;
use casebook_domain::entities::{case_study, case_study_author, dataset};
use casebook_domain::identity::roles::{self, Role, Source};
use casebook_domain::permissions::{may, Action, Standing};
use casebook_domain::vocabulary::Status;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{case_study_fields, user_id, TestApp};

/// Who may do what, one row per action, in the order of `Standing::ALL`:
/// anonymous, member, author, co-author, admin. (Network organisers have no say over what a
/// case study says; their table is in `networks.rs`.)
const TABLE: [(Action, [bool; 5]); 12] = [
    (Action::ReadPublished, [true, true, true, true, true]),
    (Action::ReadUnpublished, [false, false, true, true, true]),
    (Action::Create, [false, true, true, true, true]),
    (Action::Edit, [false, false, true, true, true]),
    (Action::Publish, [false, false, true, true, true]),
    (Action::Unpublish, [false, false, true, true, true]),
    (Action::Archive, [false, false, true, true, true]),
    (Action::Restore, [false, false, true, true, true]),
    (Action::ChangeSharedDataset, [false, false, false, false, true]),
    (Action::Import, [false, false, false, false, true]),
    (Action::CheckDatasetAgain, [false, false, false, false, true]),
    (Action::Follow, [false, true, true, true, true]),
];

fn expected(action: Action, standing: Standing) -> bool {
    let column = Standing::ALL.iter().position(|s| *s == standing).unwrap_or(usize::MAX);
    TABLE.iter().find(|(a, _)| *a == action).map(|(_, row)| row[column]).unwrap_or(false)
}

#[test]
fn the_table_has_a_row_for_every_action_and_the_domain_agrees() {
    for action in Action::ALL {
        assert!(TABLE.iter().any(|(a, _)| *a == action), "{action:?} has no row in the HTTP permission table");
        for standing in Standing::ALL {
            assert_eq!(may(standing, action), expected(action, standing), "{action:?} by {standing:?}");
        }
    }
}

const NAPTAN: &str = "https://www.data.gov.uk/dataset/ff93ffc1-6656-47d8-9155-85ea0b8f2251/national-public-transport-access-nodes-naptan";

/// One browser per standing, all on one site.
struct Actors {
    browsers: Vec<(Standing, TestApp)>,
    author: i32,
    co_author: i32,
}

impl Actors {
    async fn new() -> anyhow::Result<Actors> {
        let site = TestApp::start().await?;
        let (author, co_author) = (user_id(&site, "Priya Shah").await?, user_id(&site, "Tomasz Nowak").await?);
        roles::grant(&site.db, user_id(&site, "Gareth Llewellyn").await?, Role::Admin, Source::Command).await?;
        let mut browsers = Vec::new();
        for (standing, persona) in [
            (Standing::Anonymous, None),
            (Standing::Member, Some("Mei Lin")),
            (Standing::Author, Some("Priya")),
            (Standing::CoAuthor, Some("Tomasz")),
            (Standing::Admin, Some("Gareth")),
        ] {
            let mut browser = site.new_browser();
            if let Some(persona) = persona {
                browser.sign_in_as(persona).await?;
            }
            browsers.push((standing, browser));
        }
        Ok(Actors { browsers, author, co_author })
    }

    /// A case study by the author, with the co-author, in `status`.
    async fn case_study(&self, title: &str, status: Status) -> anyhow::Result<String> {
        let db = &self.browsers[0].1.db;
        let mut form = casebook_domain::forms::CaseStudyForm {
            title: title.to_string(),
            summary: "A service for the permission table.".into(),
            body: "## The problem\n\nSomething to read.".into(),
            service_area: "transport".into(),
            phase: "beta".into(),
            status: "draft".into(),
            region: "Wales".into(),
            patterns: vec!["engage-with-services".into()],
            ..Default::default()
        };
        let slug = casebook_domain::case_studies::create(db, self.author, &form).await?;
        let id = case_study::Entity::find().filter(case_study::Column::Slug.eq(&slug)).one(db).await?.map(|m| m.id).unwrap_or_default();
        case_study_author::Entity::insert(case_study_author::ActiveModel { case_study_id: Set(id), user_id: Set(self.co_author) })
            .exec(db)
            .await?;
        if status != Status::Draft {
            form.status = Status::Published.slug().to_string();
            form.version = 1;
            casebook_domain::case_studies::update(db, self.author, &slug, &form).await?;
        }
        if status == Status::Archived {
            form.status = Status::Archived.slug().to_string();
            form.version = 2;
            casebook_domain::case_studies::update(db, self.author, &slug, &form).await?;
        }
        Ok(slug)
    }

    async fn status_of(&self, slug: &str) -> anyhow::Result<(Status, String)> {
        let db = &self.browsers[0].1.db;
        let model = case_study::Entity::find().filter(case_study::Column::Slug.eq(slug)).one(db).await?;
        model.map(|m| (m.status, m.summary)).ok_or_else(|| anyhow::anyhow!("no {slug}"))
    }
}

fn fields_for<'a>(token: &'a str, title: &'a str, status: &'a str, summary: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut fields = case_study_fields(token, title, status);
    fields.retain(|(k, _)| *k != "summary");
    fields.push(("summary", summary));
    fields
}

/// Tries `action` as the actor in `browsers[index]`; true when it was done.
async fn attempt(actors: &mut Actors, index: usize, action: Action, n: usize) -> anyhow::Result<bool> {
    let title = format!("Permission case {n}");
    let (from, to) = match action {
        Action::Publish => (Status::Draft, "published"),
        Action::Unpublish => (Status::Published, "draft"),
        Action::Archive => (Status::Published, "archived"),
        Action::Restore => (Status::Archived, "draft"),
        Action::ReadUnpublished => (Status::Draft, "draft"),
        _ => (Status::Published, "published"),
    };
    let slug =
        if matches!(action, Action::Create | Action::ChangeSharedDataset | Action::Import | Action::CheckDatasetAgain | Action::Follow) {
            String::new()
        } else {
            actors.case_study(&title, from).await?
        };
    let browser = &mut actors.browsers[index].1;
    let token = browser.csrf_token().await?;
    let done = match action {
        Action::ReadPublished | Action::ReadUnpublished => {
            let page = browser.get(&format!("/case-studies/{slug}")).await?;
            anyhow::ensure!(matches!(page.status, StatusCode::OK | StatusCode::NOT_FOUND), "read answered {}", page.status);
            page.status == StatusCode::OK && page.body.contains(&title)
        }
        Action::Create => {
            let saved = browser.post("/case-studies/new", &fields_for(&token, &title, "draft", "Made by whoever could")).await?;
            anyhow::ensure!(matches!(saved.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED), "create answered {}", saved.status);
            saved.status == StatusCode::SEE_OTHER
        }
        Action::ChangeSharedDataset => {
            let mut fields = fields_for(&token, &title, "draft", "Links NaPTAN");
            fields.retain(|(k, _)| !k.starts_with("dataset_"));
            let renamed = format!("NaPTAN as renamed in case {n}");
            fields.extend([("dataset_title", renamed.as_str()), ("dataset_url", NAPTAN)]);
            browser.post("/case-studies/new", &fields).await?;
            let shared = dataset::Entity::find().filter(dataset::Column::Url.eq(NAPTAN)).one(&browser.db).await?;
            shared.is_some_and(|d| d.title == renamed)
        }
        Action::Import => {
            let payload = format!("id,title,summary,body,service_area,phase,licence,region,patterns\nimported-{n},{title},Brought in.,The story.,housing,beta,CC-BY-4.0,Wales,engage-with-services\n");
            let fields =
                [("csrf_token", token.as_str()), ("file_name", "sheet.csv"), ("payload", payload.as_str()), ("datasets_payload", "")];
            let saved = browser.post("/import/confirm", &fields).await?;
            anyhow::ensure!(
                matches!(saved.status, StatusCode::OK | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "import answered {}",
                saved.status
            );
            case_study::Entity::find().filter(case_study::Column::Slug.eq(format!("imported-{n}"))).one(&browser.db).await?.is_some()
        }
        Action::Follow => {
            use sea_orm::PaginatorTrait;
            let db = browser.db.clone();
            let followed = || casebook_domain::entities::follow::Entity::find().count(&db);
            let before = followed().await?;
            let fields = [
                ("csrf_token", token.as_str()),
                ("action", "follow"),
                ("target", "pattern"),
                ("key", "engage-with-services"),
                ("back", "/patterns/engage-with-services"),
            ];
            let asked = browser.post(casebook_domain::paths::FOLLOWING, &fields).await?;
            anyhow::ensure!(matches!(asked.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED), "follow answered {}", asked.status);
            followed().await? > before
        }
        Action::CheckDatasetAgain => {
            use sea_orm::ActiveModelTrait;
            let now = chrono::Utc::now();
            let held = dataset::ActiveModel {
                title: Set(format!("Held in case {n}")),
                url: Set(format!("https://data.example.org/held-{n}.csv")),
                publisher: Set(String::new()),
                licence: Set(String::new()),
                format: Set(String::new()),
                created_at: Set(now),
                held_since: Set(Some(now)),
                ..Default::default()
            }
            .insert(&browser.db)
            .await?;
            let asked = browser.post("/datasets/health", &[("csrf_token", token.as_str()), ("dataset", &held.id.to_string())]).await?;
            anyhow::ensure!(
                matches!(asked.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
                "check again answered {}",
                asked.status
            );
            dataset::Entity::find_by_id(held.id).one(&browser.db).await?.is_some_and(|d| d.held_since.is_none())
        }
        Action::Edit | Action::Publish | Action::Unpublish | Action::Archive | Action::Restore => {
            let summary = format!("Changed in case {n}");
            let saved = browser.post_edit(&slug, &fields_for(&token, &title, to, &summary)).await?;
            anyhow::ensure!(
                matches!(saved.status, StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{action:?} answered {}",
                saved.status
            );
            let (status, saved_summary) = actors.status_of(&slug).await?;
            let done = saved.status == StatusCode::SEE_OTHER && saved_summary == summary;
            anyhow::ensure!(!done || status.slug() == to, "{action:?} saved, status {status:?}");
            anyhow::ensure!(done || saved_summary != summary, "{action:?} was refused yet changed the case study");
            done
        }
    };
    Ok(done)
}

#[tokio::test]
async fn every_action_by_every_actor_does_what_the_table_says() -> anyhow::Result<()> {
    let mut actors = Actors::new().await?;
    let mut n = 0;
    let mut wrong = Vec::new();
    for (action, _) in TABLE {
        for index in 0..actors.browsers.len() {
            n += 1;
            let standing = actors.browsers[index].0;
            let done = attempt(&mut actors, index, action, n).await?;
            if done != expected(action, standing) {
                wrong.push(format!("{action:?} by {standing:?}: {}", if done { "done" } else { "refused" }));
            }
        }
    }
    assert!(wrong.is_empty(), "against the table: {wrong:#?}");
    assert_eq!(n, Action::ALL.len() * Standing::ALL.len());
    Ok(())
}
