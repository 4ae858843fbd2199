//! Runs each service test against a fresh SQLite file and a fresh PostgreSQL database.

use std::future::Future;

use casebook_domain::db::{connect, connect_and_migrate, DatabaseConnection};
use sea_orm::ConnectionTrait;

/// PostgreSQL server to create test databases on; `CASEBOOK_TEST_POSTGRES_URL` overrides it.
fn postgres_admin_url() -> String {
    std::env::var("CASEBOOK_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

fn unique_name() -> String {
    format!("casebook_test_{}_{}", std::process::id(), rand_suffix())
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{nanos}_{}", COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

pub async fn sqlite() -> anyhow::Result<DatabaseConnection> {
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    Ok(connect_and_migrate(&format!("sqlite://{}?mode=rwc", path.display())).await?)
}

pub struct Postgres {
    pub db: DatabaseConnection,
    admin: DatabaseConnection,
    name: String,
}

impl Postgres {
    pub async fn drop_database(self) -> anyhow::Result<()> {
        self.db.close().await?;
        self.admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await?;
        Ok(())
    }
}

pub async fn postgres() -> anyhow::Result<Postgres> {
    let admin_url = postgres_admin_url();
    let admin = connect(&admin_url)
        .await
        .map_err(|e| anyhow::anyhow!("PostgreSQL is needed for these tests at {admin_url} (set CASEBOOK_TEST_POSTGRES_URL): {e}"))?;
    let name = unique_name();
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let base = admin_url.rsplit_once('/').map(|(base, _)| base.to_string()).unwrap_or(admin_url.clone());
    let db = connect_and_migrate(&format!("{base}/{name}")).await?;
    Ok(Postgres { db, admin, name })
}

/// Runs `test` on SQLite, then on PostgreSQL, naming the engine in any failure.
pub async fn on_both_engines<F, Fut>(test: F) -> anyhow::Result<()>
where
    F: Fn(DatabaseConnection) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    test(sqlite().await?).await.map_err(|e| e.context("on SQLite"))?;
    let pg = postgres().await?;
    let outcome = test(pg.db.clone()).await.map_err(|e| e.context("on PostgreSQL"));
    pg.drop_database().await?;
    outcome
}

/// A person who can write case studies.
pub async fn make_user(db: &DatabaseConnection, name: &str) -> anyhow::Result<i32> {
    use casebook_domain::entities::user;
    use sea_orm::{ActiveValue::Set, EntityTrait};
    let now = chrono::Utc::now();
    let row = user::ActiveModel {
        display_name: Set(name.to_string()),
        job_role: Set("Service designer".to_string()),
        bio: Set(String::new()),
        is_demo: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(user::Entity::insert(row).exec(db).await?.last_insert_id)
}

/// A form that passes validation, to vary in each test.
pub fn valid_form(title: &str) -> casebook_domain::forms::CaseStudyForm {
    casebook_domain::forms::CaseStudyForm {
        title: title.to_string(),
        summary: "Residents check their bin collection day online instead of phoning.".to_string(),
        body: "## The problem\n\nToo many calls about **bin days**.".to_string(),
        service_area: "waste-and-recycling".to_string(),
        phase: "live".to_string(),
        status: "published".to_string(),
        region: "North West England".to_string(),
        start_date: "2023-04-01".to_string(),
        tags: "Bin collection, UPRN".to_string(),
        practices: vec!["user-research".to_string()],
        patterns: vec!["engage-with-services".to_string()],
        dataset_title: vec!["Collection rounds".to_string()],
        dataset_url: vec!["https://data.example.org/rounds.csv".to_string()],
        dataset_usage: vec!["Looks up the round for an address".to_string()],
        ..Default::default()
    }
}

/// Saves an edit as a person would: from the version saved now.
pub async fn edit(
    db: &sea_orm::DatabaseConnection,
    user_id: i32,
    slug: &str,
    form: &casebook_domain::forms::CaseStudyForm,
) -> Result<String, casebook_domain::DomainError> {
    use casebook_domain::entities::case_study;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let version = case_study::Entity::find().filter(case_study::Column::Slug.eq(slug)).one(db).await?.map_or(0, |m| m.version);
    let form = casebook_domain::forms::CaseStudyForm { version, ..form.clone() };
    casebook_domain::case_studies::update(db, user_id, slug, &form).await
}
