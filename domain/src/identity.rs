//! People: accounts reached through sign-in providers, their sessions, roles and profiles.
//! Sessions live in the database so any number of server instances share them.
mod accounts;
mod attempts;
mod personas;
pub mod profiles;
pub mod roles;
mod sessions;

pub use accounts::{link, set_admin, sign_in, AccountRules, ProviderProfile, SignedIn, VerifiedDomains};
pub use attempts::{begin_attempt, take_attempt, Attempt, AttemptError, ATTEMPT_LIFETIME};
pub use personas::{personas, sign_in_as_persona};
pub(crate) use sessions::stored_id;
pub use sessions::{end_all_sessions, end_session, random_token, session_viewer, start_session, SessionPolicy};
