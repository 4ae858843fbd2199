use axum::extract::FromRef;
use axum_extra::extract::cookie::Key;
use casebook_app::request::ServerContext;
use casebook_domain::db::DatabaseConnection;
use leptos::config::LeptosOptions;
use rand::RngCore;

use std::sync::Arc;
use std::time::Duration;

use casebook_domain::datasets::Checker;
use casebook_domain::identity::{AccountRules, SessionPolicy};
use casebook_domain::search::SearchEngine;

use crate::config::ConfigError;
use crate::page_cache::{PageCache, PositionReader};
use crate::sign_in::oidc::Discovery;
use crate::sign_in::providers::Providers;
use crate::Config;

const MIN_SECRET: usize = 64;

/// The configured key, or one generated at first start and kept in the data folder so that
/// sessions survive restarts.
fn cookie_key(config: &Config) -> Result<Key, StartupError> {
    if let Some(secret) = &config.secret_key {
        return if secret.len() >= MIN_SECRET { Ok(Key::from(secret.as_bytes())) } else { Err(StartupError::SecretTooShort) };
    }
    let path = config.data_dir.join("secret.key");
    let file_error = |source| StartupError::SecretFile { path: path.display().to_string(), source };
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= MIN_SECRET => Ok(Key::from(&bytes)),
        Ok(_) => Err(StartupError::SecretTooShort),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = [0u8; MIN_SECRET];
            rand::rng().fill_bytes(&mut bytes);
            std::fs::create_dir_all(&config.data_dir).map_err(file_error)?;
            write_private(&path, &bytes).map_err(file_error)?;
            Ok(Key::from(&bytes))
        }
        Err(error) => Err(file_error(error)),
    }
}

/// Writes a file only its owner can read: the key signs every session cookie.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// What every handler shares, behind one `Arc`: axum clones the state for every middleware and
/// extractor of every request, and a deep copy showed in the profile of a kept page.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Nothing here is per-process state that another instance would miss: sessions live in the
/// database, and the cookie key is configured or kept on disk.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub cookie_key: Key,
    pub dev_login: bool,
    pub behind_proxy: bool,
    /// Every rate limit times this (`casebook_domain::rate_limits::Action`); 0 turns them off.
    pub rate_limit_scale: i32,
    /// Anonymous reads counted here before the database (`rate_limits::Tally`).
    pub read_tally: casebook_domain::rate_limits::Tally,
    pub secure_cookies: bool,
    /// Where people reach the site; providers send them back under it.
    pub public_url: String,
    pub session_policy: SessionPolicy,
    pub account_rules: AccountRules,
    pub providers: Arc<Providers>,
    /// For talking to sign-in providers: a timeout, and no redirects followed.
    pub http: reqwest::Client,
    /// OpenID Connect providers' discovery documents and keys, kept for a few minutes.
    pub discovery: Arc<Discovery>,
    pub search: SearchEngine,
    /// Fetches and checks dataset links, safely.
    pub datasets: Checker,
    /// The bulk downloads, kept as files in the data folder.
    pub dumps: casebook_domain::open_data::Dumps,
    /// Answer with each request's query count (`crate::query_count`).
    pub count_queries: bool,
    /// Pages kept for anonymous readers (`crate::page_cache`), unless turned off.
    pub pages: Option<Arc<PageCache>>,
    pub catalogue_memory: Arc<casebook_domain::catalogue::CatalogueMemory>,
    pub search_memory: Arc<casebook_domain::search::SearchMemory>,
    pub case_study_memory: Arc<casebook_domain::case_studies::CaseStudyMemory>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("CASEBOOK_SECRET_KEY must be at least 64 characters long")]
    SecretTooShort,
    #[error("the secret key file {path}: {source}")]
    SecretFile { path: String, source: std::io::Error },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    #[error("the dataset fetcher: {0}")]
    Fetch(#[from] casebook_domain::datasets::FetchError),
}

impl AppState {
    pub fn new(config: &Config, db: DatabaseConnection, search: SearchEngine) -> Result<Self, StartupError> {
        let leptos_options = LeptosOptions::builder()
            .output_name("casebook")
            .site_root(config.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(config.site_addr)
            .build();
        Ok(AppState(Arc::new(Shared {
            leptos_options,
            db: db.clone(),
            cookie_key: cookie_key(config)?,
            dev_login: config.dev_login,
            behind_proxy: config.behind_proxy,
            rate_limit_scale: config.rate_limit_scale,
            read_tally: Default::default(),
            secure_cookies: config.secure_cookies(),
            public_url: config.public_url.trim_end_matches('/').to_string(),
            session_policy: config.session_policy(),
            account_rules: config.account_rules(),
            providers: Arc::new(Providers::from_config(&config.providers)?),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(config.oauth_timeout_seconds))
                .build()?,
            discovery: Arc::new(Discovery::default()),
            datasets: config.dataset_checker(db.clone())?,
            dumps: config.dumps(),
            pages: (config.page_cache_mb > 0).then(|| {
                let index = casebook_domain::search::cursor(&search);
                Arc::new(PageCache::new(config.page_cache_mb as usize * 1024 * 1024, PositionReader::new(db.clone(), index)))
            }),
            search,
            count_queries: config.count_queries,
            catalogue_memory: Arc::default(),
            search_memory: Arc::default(),
            case_study_memory: Arc::default(),
        })))
    }

    pub fn server_context(&self) -> ServerContext {
        ServerContext {
            db: self.db.clone(),
            dev_login: self.dev_login,
            leptos_options: self.leptos_options.clone(),
            sign_in_options: self.providers.options(),
            search: self.search.clone(),
            datasets: self.datasets.clone(),
            public_url: self.public_url.clone(),
            catalogue_memory: self.catalogue_memory.clone(),
            now: Default::default(),
            search_memory: self.search_memory.clone(),
            case_study_memory: self.case_study_memory.clone(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Self {
        state.cookie_key.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_generated_cookie_key_is_readable_by_its_owner_only() {
        let folder = std::env::temp_dir().join(format!("casebook-key-{}-{}", std::process::id(), rand::random::<u64>()));
        let cli = crate::config::Cli::try_parse_from(["casebook", "--data-dir", &folder.to_string_lossy()]).expect("options");
        let first = cookie_key(&cli.config).expect("a key");
        let mode = std::fs::metadata(folder.join("secret.key")).expect("the key file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
        assert_eq!(cookie_key(&cli.config).expect("the same key").master(), first.master(), "kept across restarts");
        std::fs::remove_dir_all(folder).ok();
    }
}
