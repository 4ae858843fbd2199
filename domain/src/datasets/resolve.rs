//! What a dataset link points at: one request to see whether it is there (the probe), then the
//! portal's own description, asked of the readers in order of how much they know.
use reqwest::StatusCode;
use url::Url;

use super::fetch::{FetchError, Fetched, Fetcher};
use super::metadata::Metadata;
use super::portals::{ckan, datapress, dcat, page, schema_org};
use crate::vocabulary::{CheckOutcome, PortalKind};

/// Where data.gov.uk's pages and API live; configurable, as its API host has moved before.
#[derive(Clone, Debug)]
pub struct ResolveOptions {
    pub data_gov_uk_hosts: Vec<String>,
    /// The CKAN that data.gov.uk's `/dataset/<uuid>/<slug>` pages are built from.
    pub data_gov_uk_api: Url,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            data_gov_uk_hosts: vec!["www.data.gov.uk".into(), "data.gov.uk".into()],
            data_gov_uk_api: Url::parse("https://ckan.publishing.service.gov.uk").expect("a fixed address"),
        }
    }
}

/// What one request to the link found.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub outcome: CheckOutcome,
    pub status: Option<u16>,
    pub detail: String,
    pub moved_to: Option<String>,
}

/// A probe and, when the link answered, what its portal says.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub probe: Probe,
    pub found: Option<Metadata>,
}

/// The portal's host has no turn free soon; the work waits until then.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deferred(pub chrono::DateTime<chrono::Utc>);

fn outcome_of_status(status: StatusCode) -> CheckOutcome {
    match status.as_u16() {
        200..=299 => CheckOutcome::Ok,
        401 | 403 => CheckOutcome::Private,
        404 | 410 => CheckOutcome::Gone,
        500..=599 => CheckOutcome::ServerError,
        _ => CheckOutcome::ClientError,
    }
}

fn probe_of(answer: &Result<Fetched, FetchError>) -> Result<Probe, Deferred> {
    Ok(match answer {
        Ok(fetched) => {
            let outcome = match outcome_of_status(fetched.status) {
                CheckOutcome::Ok if fetched.moved_to.is_some() => CheckOutcome::Moved,
                other => other,
            };
            let detail = match outcome {
                CheckOutcome::Ok | CheckOutcome::Moved => String::new(),
                _ => format!("The portal answered {}", fetched.status),
            };
            Probe { outcome, status: Some(fetched.status.as_u16()), detail, moved_to: fetched.moved_to.as_ref().map(Url::to_string) }
        }
        Err(FetchError::Busy(until)) => return Err(Deferred(*until)),
        // The page is there, only too large to read its details from.
        Err(error @ FetchError::TooLarge(_)) => {
            Probe { outcome: CheckOutcome::Ok, status: None, detail: error.to_string(), moved_to: None }
        }
        Err(error) => {
            let outcome = match error {
                FetchError::Refused(_) | FetchError::Scheme => CheckOutcome::Refused,
                FetchError::Dns(_) => CheckOutcome::DnsFailure,
                FetchError::Timeout => CheckOutcome::Timeout,
                FetchError::Connect(_) => CheckOutcome::ConnectionFailure,
                _ => CheckOutcome::ClientError,
            };
            Probe { outcome, status: None, detail: error.to_string(), moved_to: None }
        }
    })
}

/// Checks that a link still answers: HEAD, or GET where a server does not take HEAD.
pub async fn check(fetcher: &Fetcher, url: &Url) -> Result<Probe, Deferred> {
    let answer = fetcher.head(url).await;
    let refuses_head = matches!(&answer, Ok(f) if matches!(f.status.as_u16(), 400 | 403 | 405 | 501));
    if refuses_head {
        return probe_of(&fetcher.get(url).await);
    }
    probe_of(&answer)
}

/// Fetches the link and reads what its portal says about it.
pub async fn look_up(fetcher: &Fetcher, options: &ResolveOptions, url: &Url) -> Result<Lookup, Deferred> {
    let answer = fetcher.get_as(url, "text/html, application/xhtml+xml, */*;q=0.8").await;
    let probe = probe_of(&answer)?;
    let found = match answer {
        Ok(page) if page.status.is_success() => read(fetcher, options, url, page).await?,
        _ => None,
    };
    Ok(Lookup { probe, found })
}

/// A strategy's own request: busy puts the whole look-up off; any other failure only means this
/// reader learns nothing.
async fn ask(fetcher: &Fetcher, url: &Url, accept: &str) -> Result<Option<Fetched>, Deferred> {
    match fetcher.get_as(url, accept).await {
        Ok(answer) if answer.status.is_success() => Ok(Some(answer)),
        Ok(_) => Ok(None),
        Err(FetchError::Busy(until)) => Err(Deferred(until)),
        Err(error) => {
            tracing::debug!(%url, %error, "a portal's description could not be fetched");
            Ok(None)
        }
    }
}

/// Parsing runs off the async threads: a large or hostile document holds no request's core.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

async fn read_ckan(fetcher: &Fetcher, api_root: &Url, id: &str, portal: PortalKind) -> Result<Option<Metadata>, Deferred> {
    let api = ckan::action_url(api_root, "package_show", Some(id));
    let Some(answer) = ask(fetcher, &api, "application/json").await? else { return Ok(None) };
    Ok(off_thread(move || ckan::parse_package(&answer.body, &api, portal)).await.flatten())
}

async fn read_rdf(fetcher: &Fetcher, source: &Url, page: &Url, fetched: Option<Fetched>) -> Result<Option<Metadata>, Deferred> {
    let fetched = match fetched {
        Some(f) => f,
        None => match ask(fetcher, source, "text/turtle, application/rdf+xml, application/ld+json;q=0.9").await? {
            Some(f) => f,
            None => return Ok(None),
        },
    };
    let Some(format) = dcat::format_for(&fetched.content_type, &fetched.url).or_else(|| dcat::format_for("", source)) else {
        return Ok(None);
    };
    let (source, page) = (fetched.url.clone(), page.clone());
    let parsed = off_thread(move || dcat::parse(&fetched.body, format, &source, &page)).await;
    Ok(match parsed {
        Some(Ok(found)) => found,
        Some(Err(error)) => {
            tracing::debug!(%error, "an RDF description did not parse");
            None
        }
        None => None,
    })
}

async fn read(fetcher: &Fetcher, options: &ResolveOptions, url: &Url, fetched: Fetched) -> Result<Option<Metadata>, Deferred> {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if options.data_gov_uk_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
        if let Some((_, id)) = ckan::page_parts(url) {
            if let Some(found) = read_ckan(fetcher, &options.data_gov_uk_api, &id, PortalKind::DataGovUk).await? {
                return Ok(Some(found));
            }
        }
    }
    // The link is itself a description (ckanext-dcat's `.ttl`, `.rdf`, `.jsonld`).
    if dcat::format_for(&fetched.content_type, &fetched.url).is_some() {
        let source = fetched.url.clone();
        return read_rdf(fetcher, &source, url, Some(fetched)).await;
    }
    let base = fetched.url.clone();
    let body = fetched.text();
    let Some(page) = off_thread(move || page::read(&body, &base)).await else { return Ok(None) };

    let ckan_parts = ckan::page_parts(&fetched.url);
    let says_ckan = page.generator.starts_with("ckan");
    if let Some(api) = datapress::api_url(&fetched.url).filter(|_| !says_ckan) {
        if let Some(answer) = ask(fetcher, &api, "application/json").await? {
            if let Some(found) = off_thread(move || datapress::parse(&answer.body, &api)).await.flatten() {
                return Ok(Some(found));
            }
        }
    }
    if let Some((root, id)) = &ckan_parts {
        // A page that does not say what built it may still be a CKAN: `status_show` tells.
        let is_ckan = says_ckan
            || ask(fetcher, &ckan::action_url(root, "status_show", None), "application/json")
                .await?
                .is_some_and(|a| ckan::is_status(&a.body));
        if is_ckan {
            if let Some(found) = read_ckan(fetcher, root, id, PortalKind::Ckan).await? {
                return Ok(Some(found));
            }
        }
    }
    for (_, alternate) in page.alternates.iter().take(2) {
        if let Some(found) = read_rdf(fetcher, alternate, url, None).await? {
            return Ok(Some(found));
        }
    }
    let blocks = page.json_ld.clone();
    let page_url = url.to_string();
    if let Some(found) = off_thread(move || schema_org::parse(&blocks, &page_url)).await.flatten() {
        return Ok(Some(found));
    }
    Ok(page.title.map(|title| {
        let mut found = Metadata::new(PortalKind::Page, url.as_str());
        found.title = title;
        found.tidy()
    }))
}
