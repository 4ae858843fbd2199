//! Casebook's schema. Every migration runs on SQLite and PostgreSQL alike.
pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_people_and_organisations;
mod m20261128_000002_create_catalogue;
mod m20261128_000003_create_case_studies;
mod m20261128_000004_create_sessions;
mod m20261128_000005_sign_in_and_roles;
mod m20261128_000006_search_outbox;
mod m20261202_000007_event_log_and_limits;
mod m20261202_000008_networks_and_collections;
mod m20261202_000009_dataset_resolution;
mod m20261207_000010_sweep_indexes;
mod m20261207_000011_dataset_check_failures;
mod m20261207_000012_case_study_import_id;
mod m20261207_000013_follows_and_notifications;
mod tables;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_people_and_organisations::Migration),
            Box::new(m20261128_000002_create_catalogue::Migration),
            Box::new(m20261128_000003_create_case_studies::Migration),
            Box::new(m20261128_000004_create_sessions::Migration),
            Box::new(m20261128_000005_sign_in_and_roles::Migration),
            Box::new(m20261128_000006_search_outbox::Migration),
            Box::new(m20261202_000007_event_log_and_limits::Migration),
            Box::new(m20261202_000008_networks_and_collections::Migration),
            Box::new(m20261202_000009_dataset_resolution::Migration),
            Box::new(m20261207_000010_sweep_indexes::Migration),
            Box::new(m20261207_000011_dataset_check_failures::Migration),
            Box::new(m20261207_000012_case_study_import_id::Migration),
            Box::new(m20261207_000013_follows_and_notifications::Migration),
        ]
    }
}
