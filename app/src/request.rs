//! What the server knows about the request being rendered: who is signed in, the form token,
//! and a rejected submission to show again (for the case study form, the domain's `Rejected`). The server's middleware puts it in the request's
//! extensions; pages read it here.
use casebook_domain::forms::{FieldErrors, ProfileForm};
use casebook_domain::views::Viewer;

#[derive(Clone, Debug, Default)]
pub struct RequestState {
    pub viewer: Option<Viewer>,
    /// Echoed in every form and checked on every post, against cross-site request forgery.
    pub form_token: FormToken,
    /// The event log's position the request reads kept values at: read with the session where
    /// there is one, else at first need.
    #[cfg(feature = "ssr")]
    pub now: std::sync::Arc<casebook_domain::events::Now>,
}

/// The browser's form token (or a new one), and whether this page handed it out in a form. Only
/// a page that did sets the token's cookie: the others are the same for every anonymous reader,
/// and can be kept and served to all of them.
#[derive(Clone, Debug, Default)]
pub struct FormToken {
    value: String,
    handed_out: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl FormToken {
    pub fn new(value: String) -> Self {
        FormToken { value, handed_out: Default::default() }
    }

    /// The token, for a form's hidden field.
    pub fn for_form(&self) -> String {
        self.handed_out.store(true, std::sync::atomic::Ordering::Relaxed);
        self.value.clone()
    }

    /// The token a posted form must carry.
    pub fn expected(&self) -> &str {
        &self.value
    }

    pub fn handed_out(&self) -> bool {
        self.handed_out.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A case study form posted after its session had ended: the answers, kept on the server, and
/// the sign-in link that opens them again.
#[derive(Clone, Debug)]
pub struct KeptForSignIn {
    pub form: casebook_domain::forms::CaseStudyForm,
    pub sign_in: String,
    /// Whether the answers wait for the person after sign-in, or are only shown back.
    pub kept: bool,
}

/// A rejected post from the account page, rendered back with its errors.
#[derive(Clone, Debug)]
pub enum AccountSubmission {
    Profile(ProfileForm, FieldErrors),
    Delete(FieldErrors),
}

/// A rejected network form, rendered back with its errors.
#[derive(Clone, Debug)]
pub struct NetworkSubmission(pub casebook_domain::forms::NetworkForm, pub FieldErrors);

/// A rejected collection form, rendered back with its errors.
#[derive(Clone, Debug)]
pub struct CollectionSubmission(pub casebook_domain::forms::CollectionForm, pub FieldErrors);

/// An admin's import, checked or done, rendered on the import page.
#[derive(Clone, Debug)]
pub struct ImportSubmission(pub casebook_domain::views::ImportOutcome);

/// Services the server shares with every render.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub db: casebook_domain::db::DatabaseConnection,
    pub dev_login: bool,
    pub leptos_options: leptos::config::LeptosOptions,
    pub sign_in_options: Vec<casebook_domain::views::SignInOption>,
    pub search: casebook_domain::search::SearchEngine,
    pub datasets: casebook_domain::datasets::Checker,
    /// The site's address as the world sees it, for links that leave the page (linked data).
    pub public_url: String,
    /// Patterns and organisations as every reader sees them, kept until the event log moves.
    pub catalogue_memory: std::sync::Arc<casebook_domain::catalogue::CatalogueMemory>,
    /// What searches share between requests, kept until the event log moves.
    pub search_memory: std::sync::Arc<casebook_domain::search::SearchMemory>,
    /// Case studies as every reader sees them, kept until the event log moves.
    pub case_study_memory: std::sync::Arc<casebook_domain::case_studies::CaseStudyMemory>,
    /// The event log's position this request reads the memories at (`RequestState::now`).
    pub now: std::sync::Arc<casebook_domain::events::Now>,
}

#[cfg(feature = "ssr")]
impl ServerContext {
    /// The context for one request: the shared services, and the request's own position.
    pub fn for_request(&self) -> Self {
        ServerContext { now: request_state().now, ..self.clone() }
    }
}

#[cfg(feature = "ssr")]
pub fn request_state() -> RequestState {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestState>().cloned())
        .unwrap_or_default()
}

/// Pages render only on the server; the browser build never asks.
#[cfg(not(feature = "ssr"))]
pub fn request_state() -> RequestState {
    RequestState::default()
}

/// A rejected submission of type `T` the server put back for this render.
#[cfg(feature = "ssr")]
pub fn submitted<T: Clone + Send + Sync + 'static>() -> Option<T> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<T>().cloned())
}

#[cfg(feature = "ssr")]
pub fn set_status(status: u16) {
    if let (Some(options), Ok(code)) = (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        options.set_status(code);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn set_status(_status: u16) {}
