//! An in-process Casebook on a fresh SQLite database with the demo content, and a client that
//! keeps cookies like a browser.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use casebook_server::config::Cli;
use casebook_server::{router, AppState};
use clap::Parser;
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct TestApp {
    router: Router,
    cookies: HashMap<String, String>,
    pub config: casebook_server::Config,
    _data: std::sync::Arc<TempDir>,
    pub db: casebook_domain::db::DatabaseConnection,
    pub search: casebook_domain::search::SearchEngine,
}

/// A folder of its own for one test app, removed afterwards. (Not the tempfile crate: as a
/// dev-dependency it changes features of shared dependencies, and `cargo leptos build` would
/// then compile them all a second time.)
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new() -> std::io::Result<Self> {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("casebook-test-{}-{n}-{}", std::process::id(), rand::random::<u64>()));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    /// Fails, naming the first missing text, unless the body contains every one of `texts`.
    pub fn assert_contains_all(&self, what: &str, texts: &[&str]) {
        for text in texts {
            assert!(self.body.contains(text), "{what} lacks {text:?}");
        }
    }
}

impl TestApp {
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(&[]).await
    }

    /// Starts with these command-line options added. Every request of a test comes from one
    /// address, so rate limits are raised a thousand times unless the options set them.
    pub async fn start_with(options: &[&str]) -> anyhow::Result<Self> {
        let data = TempDir::new()?;
        let dir = data.0.to_string_lossy().to_string();
        let mut args = vec!["casebook", "--data-dir", &dir, "--dev-login", "1", "--site-root", &dir];
        if !options.contains(&"--rate-limit-scale") {
            args.extend(["--rate-limit-scale", "1000"]);
        }
        args.extend_from_slice(options);
        let mut cli = Cli::try_parse_from(args)?;
        // Each test app has its own embedded index; a shared Meilisearch index would mix them.
        cli.config.meili_url = None;
        let db = casebook_domain::db::connect_and_migrate(&cli.config.database_url()).await?;
        casebook_domain::demo::seed(&db).await?;
        let search = cli.config.search_engine().await?;
        let stop = casebook_domain::workers::CancellationToken::new();
        tokio::spawn(casebook_server::workers::index(db.clone(), search.clone(), "test".into(), stop));
        let state = AppState::new(&cli.config, db.clone(), search.clone())?;
        Ok(TestApp { router: router(state), cookies: HashMap::new(), config: cli.config, _data: std::sync::Arc::new(data), db, search })
    }

    /// A second instance of the server on the same database and search index, as behind a load
    /// balancer, with a browser of its own.
    pub fn another_instance(&self) -> anyhow::Result<TestApp> {
        let state = AppState::new(&self.config, self.db.clone(), self.search.clone())?;
        Ok(TestApp { router: router(state), cookies: HashMap::new(), ..self.new_browser() })
    }

    /// Waits until the search index has every change made so far.
    pub async fn indexed(&self) -> anyhow::Result<()> {
        for _ in 0..200 {
            if casebook_domain::search::pending(&self.db, &self.search).await? == 0 {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        anyhow::bail!("the search index did not catch up within 10 seconds")
    }

    /// Another browser on the same server and database.
    pub fn new_browser(&self) -> TestApp {
        TestApp {
            router: self.router.clone(),
            cookies: HashMap::new(),
            config: self.config.clone(),
            _data: self._data.clone(),
            db: self.db.clone(),
            search: self.search.clone(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&String> {
        self.cookies.get(name)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_string(), value.to_string());
    }

    pub async fn send(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> anyhow::Result<Reply> {
        self.send_with(method, path, form, &[]).await
    }

    /// A request with headers of its own, as another site's page or a program would send.
    pub async fn send_with(
        &mut self,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        match form {
            Some(fields) => {
                let body = serde_html_form::to_string(fields)?;
                self.send_body(method, path, Some("application/x-www-form-urlencoded"), body.into_bytes(), headers).await
            }
            None => self.send_body(method, path, None, Vec::new(), headers).await,
        }
    }

    /// Posts a form with files, as a browser does (`multipart/form-data`): each part is a name,
    /// a file name for files, and its content.
    pub async fn post_multipart(&mut self, path: &str, parts: &[(&str, Option<&str>, &str)]) -> anyhow::Result<Reply> {
        const BOUNDARY: &str = "----casebook-test-boundary";
        let mut body = String::new();
        for (name, file_name, content) in parts {
            body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""));
            if let Some(file_name) = file_name {
                body.push_str(&format!("; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream"));
            }
            body.push_str(&format!("\r\n\r\n{content}\r\n"));
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.send_body(Method::POST, path, Some(&content_type), body.into_bytes(), &[]).await
    }

    async fn send_body(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<Reply> {
        let (status, headers, body) = self.exchange(method, path, content_type, body, headers).await?;
        let location = headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(Reply { status, location, headers, body: String::from_utf8(body)? })
    }

    /// A GET whose answer is kept as bytes (a compressed page, say), with its headers.
    pub async fn send_bytes(&mut self, path: &str, headers: &[(&str, &str)]) -> anyhow::Result<(axum::http::HeaderMap, Vec<u8>)> {
        let (_, headers, body) = self.exchange(Method::GET, path, None, Vec::new(), headers).await?;
        Ok((headers, body))
    }

    async fn exchange(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> anyhow::Result<(StatusCode, axum::http::HeaderMap, Vec<u8>)> {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if !self.cookies.is_empty() {
            let header_value = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
            request = request.header(header::COOKIE, header_value);
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body))?).await?;
        for set_cookie in response.headers().get_all(header::SET_COOKIE) {
            let text = set_cookie.to_str()?;
            if let Some((name, rest)) = text.split_once('=') {
                let value = rest.split(';').next().unwrap_or_default();
                if value.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        Ok((status, headers, response.into_body().collect().await?.to_bytes().to_vec()))
    }

    pub async fn get(&mut self, path: &str) -> anyhow::Result<Reply> {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> anyhow::Result<Reply> {
        self.send(Method::POST, path, Some(form)).await
    }

    /// Posts the edit form of a case study as a browser would: with the version it was opened at.
    pub async fn post_edit(&mut self, slug: &str, fields: &[(&str, &str)]) -> anyhow::Result<Reply> {
        let path = format!("/case-studies/{slug}/edit");
        let form = self.get(&path).await?;
        let version = attribute_after(&form.body, r#"name="version""#, "value").unwrap_or_default();
        let mut fields = fields.to_vec();
        fields.push(("version", &version));
        self.post(&path, &fields).await
    }

    /// The form token this browser's pages carry.
    pub async fn csrf_token(&mut self) -> anyhow::Result<String> {
        let page = self.get("/sign-in").await?;
        attribute_after(&page.body, r#"name="csrf_token""#, "value").ok_or_else(|| anyhow::anyhow!("no form token on the page"))
    }

    /// Signs in as the first demo persona whose button names `name`.
    pub async fn sign_in_as(&mut self, name: &str) -> anyhow::Result<()> {
        let page = self.get("/sign-in").await?;
        let token = attribute_after(&page.body, r#"name="csrf_token""#, "value").ok_or_else(|| anyhow::anyhow!("no token"))?;
        let form_start = page.body.find(&format!("Sign in as {name}")).ok_or_else(|| anyhow::anyhow!("no persona {name}"))?;
        let before = &page.body[..form_start];
        let persona = attribute_after(&before[before.rfind("<form").unwrap_or(0)..], r#"name="persona""#, "value")
            .ok_or_else(|| anyhow::anyhow!("no persona id"))?;
        let reply = self.post("/sign-in/dev", &[("csrf_token", &token), ("persona", &persona), ("return_to", "/")]).await?;
        anyhow::ensure!(reply.status == StatusCode::SEE_OTHER, "sign-in answered {}", reply.status);
        Ok(())
    }
}

/// The value of `attribute` in the first tag containing `marker`.
pub fn attribute_after(html: &str, marker: &str, attribute: &str) -> Option<String> {
    let at = html.find(marker)?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let needle = format!("{attribute}=\"");
    let value_start = tag.find(&needle)? + needle.len();
    let value_len = tag[value_start..].find('"')?;
    Some(tag[value_start..value_start + value_len].to_string())
}

/// A complete case study form, as a browser would post it.
pub fn case_study_fields<'a>(token: &'a str, title: &'a str, status: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", token),
        ("title", title),
        ("summary", "Tenants report repairs online, and the council publishes repair times as open data."),
        ("body", "## The problem\n\nRepairs were reported by phone only."),
        ("service_area", "housing"),
        ("phase", "beta"),
        ("region", "Wales"),
        ("start_date", "2024-01-10"),
        ("end_date", ""),
        ("outcomes", "Calls fell by a third."),
        ("lessons", "Publish early."),
        ("practices", "user-research"),
        ("practices", "agile-delivery"),
        ("patterns", "engage-with-services"),
        ("tags", "Repairs, housing"),
        ("dataset_title", "Repair times"),
        ("dataset_url", "https://data.example.org/repairs.csv"),
        ("dataset_publisher", "Example Council"),
        ("dataset_licence", "OGL"),
        ("dataset_format", "CSV"),
        ("dataset_usage", "Shows how long repairs take"),
        ("dataset_title", ""),
        ("dataset_url", ""),
        ("dataset_publisher", ""),
        ("dataset_licence", ""),
        ("dataset_format", ""),
        ("dataset_usage", ""),
        ("contact", "repairs@example.org"),
        ("licence", "CC-BY-4.0"),
        ("status", status),
    ]
}

/// The id of the person with this display name.
pub async fn user_id(app: &TestApp, name: &str) -> anyhow::Result<i32> {
    use casebook_domain::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::find()
        .filter(user::Column::DisplayName.eq(name))
        .one(&app.db)
        .await?
        .map(|u| u.id)
        .ok_or_else(|| anyhow::anyhow!("no {name}"))
}

const CKAN_PAGE: &str = include_str!("../../../domain/tests/fixtures/portals/ckan_page.html");
const CKAN_PACKAGE: &str = include_str!("../../../domain/tests/fixtures/portals/ckan_package.json");

/// A CKAN portal with one dataset (`/dataset/bin-rounds`) on a free local port; once `gone` is
/// set, the dataset's page answers 410.
pub async fn ckan_portal(gone: std::sync::Arc<std::sync::atomic::AtomicBool>) -> anyhow::Result<std::net::SocketAddr> {
    use axum::response::IntoResponse;
    let page = move || async move {
        if gone.load(std::sync::atomic::Ordering::Relaxed) {
            StatusCode::GONE.into_response()
        } else {
            ([(header::CONTENT_TYPE, "text/html")], CKAN_PAGE).into_response()
        }
    };
    let app = axum::Router::new().route("/dataset/bin-rounds", axum::routing::get(page)).route(
        "/api/3/action/package_show",
        axum::routing::get(|| async { ([(header::CONTENT_TYPE, "application/json")], CKAN_PACKAGE).into_response() }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

/// The case study form with its dataset at `url`, the dataset's details left for the portal.
pub fn with_portal_dataset<'a>(fields: Vec<(&'a str, &'a str)>, url: &'a str) -> Vec<(&'a str, &'a str)> {
    fields
        .into_iter()
        .map(|(k, v)| match k {
            "dataset_url" if !v.is_empty() => (k, url),
            "dataset_title" | "dataset_publisher" | "dataset_licence" | "dataset_format" => (k, ""),
            _ => (k, v),
        })
        .collect()
}

/// The dataset checker of `app`'s database, allowed to fetch from the local portal at `allow`.
pub fn checker(app: &TestApp, allow: &str) -> anyhow::Result<casebook_domain::datasets::Checker> {
    use casebook_domain::datasets::{CheckOptions, Checker, FetchOptions, Fetcher, HealthRules, ResolveOptions};
    let mut options = FetchOptions::new("http://casebook.test");
    options.allow_hosts = vec![allow.to_string()];
    options.host_interval = std::time::Duration::from_millis(5);
    Ok(Checker {
        fetcher: Fetcher::new(app.db.clone(), options)?,
        resolve: ResolveOptions::default(),
        rules: HealthRules::default(),
        options: CheckOptions::default(),
    })
}
