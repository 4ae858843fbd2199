//! A data portal served by the test itself on a free local port, from the recorded-shape
//! fixtures in `tests/fixtures/portals` (written for Casebook), plus hostile answers: redirects
//! into the server's own network, a slow drip, a 50 MB body, malformed JSON and RDF, a loop.
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/portals/", $name))
    };
}

#[derive(Default)]
pub struct Portal {
    /// What `/switch/...` answers: 200 with a CKAN page, or this status.
    pub switch: AtomicU16,
    /// Every request: its method, path and query, and when it arrived.
    pub log: Mutex<Vec<(Method, String, Instant)>>,
    /// The User-Agent of every request.
    pub agents: Mutex<Vec<String>>,
}

pub struct Served {
    pub addr: SocketAddr,
    pub portal: Arc<Portal>,
}

impl Served {
    /// An address on the portal, as `127.0.0.1:port`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The same address by the name `localhost`, as data.gov.uk's pages are reached in tests.
    pub fn named(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.addr.port())
    }

    pub fn requests(&self) -> Vec<(Method, String, Instant)> {
        self.portal.log.lock().unwrap().clone()
    }
}

pub async fn serve() -> anyhow::Result<Served> {
    let portal = Arc::new(Portal { switch: AtomicU16::new(200), ..Portal::default() });
    let app = axum::Router::new().fallback(answer).with_state(portal.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Served { addr, portal })
}

fn typed(content_type: &'static str, body: impl Into<Body>) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

fn html(body: &'static str) -> Response {
    typed("text/html; charset=utf-8", body)
}

fn json(body: &'static str) -> Response {
    typed("application/json", body)
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [(header::LOCATION, to.to_string())]).into_response()
}

async fn answer(State(portal): State<Arc<Portal>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    portal.log.lock().unwrap().push((request.method().clone(), format!("{path}?{query}"), Instant::now()));
    let agent = request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    portal.agents.lock().unwrap().push(agent);
    match path.as_str() {
        // data.gov.uk: the page, and its CKAN API under another root.
        p if p.starts_with("/dataset/0f6b9d2e-4c1a-4a57-9d0e-2b1c8e7f6a01/") => html(fixture!("dgu_page.html")),
        "/dgu-api/api/3/action/package_show" if query == "id=0f6b9d2e-4c1a-4a57-9d0e-2b1c8e7f6a01" => json(fixture!("dgu_package.json")),
        // A CKAN that says so in its generator meta.
        "/ckan/dataset/bin-rounds" => html(fixture!("ckan_page.html")),
        "/ckan/api/3/action/package_show" if query == "id=bin-rounds" => json(fixture!("ckan_package.json")),
        "/ckan/dataset/private-one" => (StatusCode::FORBIDDEN, "Forbidden").into_response(),
        "/ckan/dataset/deleted-one" => (StatusCode::NOT_FOUND, "Not found").into_response(),
        // A CKAN that does not: `status_show` tells.
        "/quiet/dataset/street-lights" => html(fixture!("plain_ckan_page.html")),
        "/quiet/api/3/action/status_show" => json(fixture!("ckan_status.json")),
        "/quiet/api/3/action/package_show" if query == "id=street-lights" => json(fixture!("ckan_package.json")),
        // DataPress: a page the browser builds, and the dataset's JSON.
        "/dataset/bin-collections-2xq7p" => html(fixture!("datapress_page.html")),
        "/api/v3/dataset/2xq7p" => json(fixture!("datapress.json")),
        // DCAT: an alternate link to Turtle, and RDF/XML and JSON-LD addressed directly.
        "/dcat/dataset/air-quality" => html(fixture!("dcat_page.html")),
        "/dcat/dataset/air-quality.ttl" => typed("text/turtle", fixture!("dcat.ttl")),
        "/dcat/dataset/planning.rdf" => typed("application/rdf+xml", fixture!("dcat.rdf")),
        "/dcat/dataset/school-places.jsonld" => typed("application/ld+json", fixture!("dcat.jsonld")),
        "/schema/parking" => html(fixture!("schema_org.html")),
        "/plain" => html(fixture!("plain_page.html")),
        "/moved" => redirect(StatusCode::MOVED_PERMANENTLY, "/plain"),
        // A dataset whose health the test switches.
        "/switch/dataset/rounds" => match portal.switch.load(Ordering::SeqCst) {
            200 => html(fixture!("ckan_page.html")),
            status => StatusCode::from_u16(status).unwrap_or(StatusCode::GONE).into_response(),
        },
        "/switch/api/3/action/package_show" => json(fixture!("ckan_package.json")),
        // A server that refuses HEAD, as some do.
        "/no-head" if request.method() == Method::HEAD => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        "/no-head" => html(fixture!("plain_page.html")),
        // Hostile answers.
        "/to-loopback" => redirect(StatusCode::FOUND, "http://127.0.0.1:1/admin"),
        "/to-metadata" => redirect(StatusCode::FOUND, "http://169.254.169.254/latest/meta-data/"),
        "/to-localhost" => redirect(StatusCode::FOUND, "http://localhost:1/"),
        "/loop" => redirect(StatusCode::FOUND, "/loop"),
        "/slow" => {
            let drip = futures_util::stream::unfold(0u32, |n| async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                (n < 200).then(|| (Ok::<_, std::io::Error>(Bytes::from_static(b"<")), n + 1))
            });
            typed("text/html", Body::from_stream(drip))
        }
        "/huge" => {
            // 50 MB, sent in chunks with no length declared.
            let chunk = Bytes::from(vec![b'a'; 1024 * 1024]);
            let chunks = futures_util::stream::iter((0..50).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
            typed("text/html", Body::from_stream(chunks))
        }
        "/huge-declared" => typed("text/html", vec![b'a'; 50 * 1024 * 1024]),
        "/bad-json/dataset/broken" => html(fixture!("ckan_page.html")),
        "/bad-json/api/3/action/package_show" => json(r#"{"success": true, "result": {"title": "Unfinished"#),
        "/bad-rdf.ttl" => typed("text/turtle", "@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title \"no end ;\n"),
        _ => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}
