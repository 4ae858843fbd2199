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
        // One writer at a time is SQLite's rule; a small pool avoids lock contention.
        options.max_connections(4).min_connections(1);
    } else {
        options.max_connections(16);
    }
    let db = Database::connect(options).await?;
    if url.starts_with("sqlite:") {
        use sea_orm::ConnectionTrait;
        db.execute_unprepared("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;").await?;
    }
    Ok(db)
}

pub use sea_orm::DatabaseConnection;

/// Answers whether the database responds, for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
