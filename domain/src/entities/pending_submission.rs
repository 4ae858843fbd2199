use sea_orm::entity::prelude::*;

/// A form someone submitted after their session had ended, kept until they sign in again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pending_submission")]
pub struct Model {
    /// The SHA-256 of the token in the link back to the form, so that a copy of the database
    /// opens nothing.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token: String,
    /// The form's page.
    pub path: String,
    /// The answers, as JSON.
    pub form: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
