//! The site's addresses, built in one place: pages, forms and redirects all ask here, so a
//! route that moves moves everywhere at once.
use crate::views::encode_query_value;

pub const NEW_CASE_STUDY: &str = "/case-studies/new";
pub const CASE_STUDIES: &str = "/case-studies";

pub fn case_study(slug: &str) -> String {
    format!("/case-studies/{slug}")
}

pub fn edit_case_study(slug: &str) -> String {
    format!("/case-studies/{slug}/edit")
}

/// The create form (no slug) or a case study's edit form.
pub fn case_study_form(slug: Option<&str>) -> String {
    slug.map_or_else(|| NEW_CASE_STUDY.to_string(), edit_case_study)
}

/// The case study list for a query string (empty: all of them).
pub fn case_studies(query: &str) -> String {
    with_query(CASE_STUDIES, query)
}

pub fn pattern(slug: &str) -> String {
    format!("/patterns/{slug}")
}

pub fn dataset(id: i32) -> String {
    format!("/datasets/{id}")
}

/// Datasets with a problem, for organisers and admins.
pub const DATASET_HEALTH: &str = "/datasets/health";
pub const DATASETS: &str = "/datasets";

pub fn tag(slug: &str) -> String {
    format!("/tags/{slug}")
}

pub fn publisher(slug: &str) -> String {
    format!("/publishers/{slug}")
}

pub fn organisation(slug: &str) -> String {
    format!("/organisations/{slug}")
}

pub fn person(id: i32) -> String {
    format!("/people/{id}")
}

/// The search page for a query string (empty: the empty search).
pub fn search(query: &str) -> String {
    with_query("/search", query)
}

/// Starting a sign-in with one provider, then back to where the person was (`query` carries
/// `return_to`, or is empty).
pub fn sign_in_with(provider: &str, query: &str) -> String {
    format!("/auth/{provider}{query}")
}

pub fn link_provider(provider: &str) -> String {
    format!("/auth/{provider}/link")
}

/// The sign-in page, returning to `path` afterwards.
pub fn sign_in_returning_to(path: &str) -> String {
    if path == "/" || path.starts_with("/sign-in") {
        "/sign-in".to_string()
    } else {
        format!("/sign-in?return_to={}", encode_query_value(path))
    }
}

/// A form kept while its person signs in again, opened from its token.
pub fn resume(form_path: &str, token: &str) -> String {
    format!("{form_path}?resume={token}")
}

pub const NETWORKS: &str = "/networks";
pub const API_NETWORKS: &str = "/api/v1/networks";
pub const NEW_NETWORK: &str = "/networks/new";
pub const COLLECTIONS: &str = "/collections";
pub const NEW_COLLECTION: &str = "/collections/new";
/// Where a case study is added to the collection a form chose, from any page.
pub const ADD_TO_COLLECTION: &str = "/collections/add";

pub fn network(slug: &str) -> String {
    format!("/networks/{slug}")
}

/// A network's own page under it: `members`, `review`, `edit`, `join`, `leave`, ….
pub fn network_page(slug: &str, page: &str) -> String {
    format!("/networks/{slug}/{page}")
}

pub fn collection(slug: &str) -> String {
    format!("/collections/{slug}")
}

/// A collection's own page under it: `edit`, `items`, `add`.
pub fn collection_page(slug: &str, page: &str) -> String {
    format!("/collections/{slug}/{page}")
}

pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// The bulk downloads and what each column holds.
pub const OPEN_DATA: &str = "/data";
/// The API, downloads and feeds, for people writing programs.
pub const DEVELOPERS: &str = "/developers";
/// The API's OpenAPI document.
pub const OPENAPI: &str = "/api/v1/openapi.json";

/// One of the bulk downloads.
pub fn download(file: &str) -> String {
    format!("/data/{file}")
}

/// Where admins import case studies from a file, and confirm an import they have checked.
pub const IMPORT: &str = "/import";
pub const IMPORT_CONFIRM: &str = "/import/confirm";

/// The Atom feed of the newest case studies.
pub const LATEST_FEED: &str = "/feeds/case-studies.atom";

/// The Atom feed of one pattern, tag, organisation, network or collection (`kind` is the plural
/// its pages live under, such as `patterns`).
pub fn feed(kind: &str, slug: &str) -> String {
    format!("/feeds/{kind}/{slug}.atom")
}

/// The site's DCAT catalogue, in Turtle and in JSON-LD.
pub const CATALOGUE_TURTLE: &str = "/catalog.ttl";
pub const CATALOGUE_JSON_LD: &str = "/catalog.jsonld";

pub const NOTIFICATIONS: &str = "/notifications";
/// What a person follows, and their email settings.
pub const FOLLOWING: &str = "/following";
/// The follow buttons' form.
pub const FOLLOW: &str = "/following/change";
/// What would have been mailed, while demo sign-in is on.
pub const DEV_MAIL: &str = "/dev/mail";

/// A mail's unsubscribe link.
pub fn unsubscribe(token: &str) -> String {
    format!("/unsubscribe/{token}")
}
