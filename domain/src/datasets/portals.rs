//! One reader per kind of portal; `resolve` decides which to ask.
pub mod ckan;
pub mod datapress;
pub mod dcat;
pub mod page;
pub mod schema_org;
