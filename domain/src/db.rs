//! Connecting to the database and bringing its schema up to date.
use casebook_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};

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
        // Several connections, so that pages read side by side: in WAL mode readers never wait
        // for the writer. Writers take turns, waiting up to the busy timeout; a transaction takes
        // the write lock as it begins (`begin`), since one that read first and then found another
        // connection had written since could not write at all ("database is locked").
        // `synchronous = NORMAL` is WAL's safe setting: a commit survives the process crashing
        // (not the machine losing power mid-write). The settings are per connection, so they are
        // given to every one the pool opens.
        options.max_connections(SQLITE_CONNECTIONS).min_connections(1).map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .foreign_keys(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(std::time::Duration::from_secs(5))
        });
    } else {
        options.max_connections(16);
    }
    Database::connect(options).await
}

/// SQLite connections in the pool: one per core and a little over, for reads waiting on the disk.
const SQLITE_CONNECTIONS: u32 = 4;

/// Begins a transaction that may write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), waiting its turn behind other writers, rather than failing when it first writes.
pub async fn begin<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() })
        .await
}

pub use sea_orm::DatabaseConnection;

/// Answers whether the database responds, for readiness checks.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}
