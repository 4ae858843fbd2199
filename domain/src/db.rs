//! Connecting to the database and bringing its schema up to date.
use casebook_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DbErr};

/// Connects to `url` (`sqlite://…?mode=rwc` or `postgres://…`) and runs pending migrations.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // One connection: SQLite has one writer at a time, and with several connections a
        // transaction that reads before it writes fails ("database is locked") whenever another
        // connection, such as the search indexer's, wrote in between. Reads are quick enough to
        // queue. The settings are per connection, so they are given to every one the pool opens.
        options.max_connections(1).min_connections(1).map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .foreign_keys(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(5))
        });
    } else {
        options.max_connections(16);
    }
    Database::connect(options).await
}

pub use sea_orm::DatabaseConnection;

/// Answers whether the database responds, for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
