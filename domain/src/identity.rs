//! People and their sessions. Sessions live in the database so any number of server instances share them.
mod personas;
mod sessions;

pub use personas::{personas, sign_in_as_persona};
pub use sessions::{end_session, session_viewer, start_session, SESSION_LIFETIME};
