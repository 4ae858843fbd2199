//! For people who reuse Casebook's content: the downloads with every column described, and the
//! API's guide.
use casebook_domain::paths;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::components::loaded::loaded;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    loaded(api::open_data_downloads(), |downloads| {
        view! {
            <Title text="Open data downloads"/>
            <h1 class="heading-xl">"Open data downloads"</h1>
            <p class="lead">
                "Every published case study, free to reuse under the licence each one states: Creative Commons Attribution 4.0 unless the row says otherwise."
            </p>
            <p class="body">
                "The files are written again within a minute of any change. Drafts and case studies waiting for review are never in them. "
                "CSV files follow RFC 4180 in UTF-8; a cell a spreadsheet would read as a formula starts with an apostrophe, so that it stays text. "
                "For one case study at a time, or to filter, use the "<a href=paths::DEVELOPERS>"API"</a>"."
            </p>
            {downloads.into_iter().map(|d| {
                let heading = format!("{} ({})", d.title, d.format);
                let has_columns = !d.columns.is_empty();
                view! {
                    <section class="download">
                        <h2 class="heading-l">{heading}</h2>
                        <p class="body">{d.description}</p>
                        <p><a href=paths::download(&d.file) download="">{format!("Download {}", d.file)}</a></p>
                        {has_columns.then(|| view! {
                            <table class="table">
                                <caption class="visually-hidden">{format!("The columns of {}", d.file)}</caption>
                                <thead><tr><th scope="col">"Column"</th><th scope="col">"What it holds"</th></tr></thead>
                                <tbody>
                                    {d.columns.into_iter().map(|c| view! {
                                        <tr><th scope="row"><code>{c.name}</code></th><td>{c.description}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                    </section>
                }
            }).collect_view()}
            <h2 class="heading-l">"Bringing case studies in"</h2>
            <p class="body">
                "These files can be imported into Casebook too, as can a spreadsheet with the same column headings. Site admins "
                <a href=paths::IMPORT>"import a file"</a>" here, and see a report of every problem before anything is saved."
            </p>
        }
    })
}

/// The API's operations, as the guide lists them; the OpenAPI document has every detail.
const OPERATIONS: &[(&str, &str)] = &[
    ("/api/v1/case-studies", "Published case studies, newest first. Filters: pattern, service_area, phase, organisation, tag, network. Pages: limit (1 to 100) and cursor."),
    ("/api/v1/case-studies/{id}", "One case study: every public field, its patterns, tags, organisations, datasets with their usage and health, networks, authors and revisions."),
    ("/api/v1/search", "The search page's typo-tolerant search, with facet counts and highlights."),
    ("/api/v1/patterns", "Every pattern, with how many case studies it describes."),
    ("/api/v1/tags", "Every tag a published case study uses."),
    ("/api/v1/organisations", "Every organisation."),
    ("/api/v1/datasets", "The datasets case studies use, with what their portals say and their health. Pages: limit and cursor."),
    ("/api/v1/datasets/{id}", "One dataset, the case studies using it and how, and its check history."),
    ("/api/v1/networks", "Every network."),
    ("/api/v1/networks/{slug}", "One network, its organisers and collections."),
    ("/api/v1/collections", "Every published collection."),
    ("/api/v1/collections/{slug}", "One collection, its case studies in order with the curators' notes."),
];

#[component]
pub fn DevelopersPage() -> impl IntoView {
    view! {
        <Title text="API for developers"/>
        <h1 class="heading-xl">"Casebook for developers"</h1>
        <p class="lead">"Everything published on Casebook is open data, to read from your own programs."</p>

        <h2 class="heading-l">"The API"</h2>
        <p class="body">
            "The API is read-only JSON over HTTPS, under "<code>"/api/v1/"</code>". Nobody needs a key. "
            "Its OpenAPI 3.1 document, generated from the code that answers it, is at "<a href=paths::OPENAPI>{paths::OPENAPI}</a>
            ". Field names are stable within version 1. New fields may be added, so ignore the ones you do not know."
        </p>
        <table class="table">
            <caption class="visually-hidden">"The API's operations"</caption>
            <thead><tr><th scope="col">"GET"</th><th scope="col">"What it gives"</th></tr></thead>
            <tbody>
                {OPERATIONS.iter().map(|(path, what)| view! { <tr><th scope="row"><code>{*path}</code></th><td>{*what}</td></tr> }).collect_view()}
            </tbody>
        </table>

        <h2 class="heading-m">"Pages"</h2>
        <p class="body">
            "Long lists come a page at a time. Each page has a "<code>"next_cursor"</code>". To get the next page, pass it back as "<code>"cursor"</code>
            ". The last page has none. A cursor stays valid while others publish: you never see a case study twice or miss one that was already there."
        </p>
        <h2 class="heading-m">"Caching"</h2>
        <p class="body">
            "Every answer has an "<code>"ETag"</code>". To ask again cheaply, send it back in "<code>"If-None-Match"</code>
            ". While nothing has changed, the answer is 304 Not Modified with no body. Shared caches may keep answers for a minute."
        </p>
        <h2 class="heading-m">"From a web page"</h2>
        <p class="body">"Any site may read the API from a browser: the API answers cross-origin GET requests (CORS)."</p>
        <h2 class="heading-m" id="errors">"Errors"</h2>
        <p class="body">
            "Errors come as "<code>"application/problem+json"</code>" (RFC 9457). Each has a "<code>"status"</code>", a "<code>"title"</code>
            " and a "<code>"detail"</code>" for people, and a "<code>"code"</code>" a program can match on. Invalid parameters are listed by name in "
            <code>"errors"</code>"."
        </p>
        <dl class="summary-list">
            <div class="summary-list-row" id="error-invalid"><dt class="summary-list-key"><code>"invalid"</code></dt><dd class="summary-list-value">"400 when the request cannot be read (an unknown term, a bad cursor, a limit out of range); 422 when a value breaks a rule."</dd></div>
            <div class="summary-list-row" id="error-not_found"><dt class="summary-list-key"><code>"not_found"</code></dt><dd class="summary-list-value">"404: nothing published has that address."</dd></div>
            <div class="summary-list-row" id="error-unavailable"><dt class="summary-list-key"><code>"unavailable"</code></dt><dd class="summary-list-value">"503: search is not answering. Try again in a few minutes."</dd></div>
            <div class="summary-list-row" id="error-internal"><dt class="summary-list-key"><code>"internal"</code></dt><dd class="summary-list-value">"500: something went wrong on our side."</dd></div>
        </dl>

        <h2 class="heading-l">"Bulk downloads"</h2>
        <p class="body">
            "To get everything at once, use the "<a href=paths::OPEN_DATA>"downloads"</a>": JSON and CSV files, written again within a minute of a change, with every column described."
        </p>

        <h2 class="heading-l">"Feeds"</h2>
        <p class="body">
            "Follow new case studies in any feed reader. Atom feeds list the 50 newest published case studies: "
            <a href=paths::LATEST_FEED>"of the whole site"</a>", and of each pattern, tag, organisation, network and published collection at "
            <code>"/feeds/{patterns|tags|organisations|networks|collections}/{slug}.atom"</code>
            ". Each of those pages advertises its feed, so a reader given the page's address finds it. A collection's feed keeps the curators' order."
        </p>

        <h2 class="heading-l">"Linked data"</h2>
        <p class="body">
            "Each case study page carries schema.org JSON-LD: the case study as an "<code>"Article"</code>
            " with its authors, publishing organisations, licence, dates, what it is about, and the datasets it "<code>"isBasedOn"</code>". "
            "The whole site is a DCAT 3 catalogue, in "<a href=paths::CATALOGUE_TURTLE>"Turtle"</a>" and in "<a href=paths::CATALOGUE_JSON_LD>"JSON-LD"</a>
            ": every case study as a "<code>"dcat:Resource"</code>", the downloads as "<code>"dcat:Dataset"</code>"s with their distributions, and the API as a "
            <code>"dcat:DataService"</code>". For every dataset a case study uses there is a "<code>"duv:Usage"</code>
            " (W3C Dataset Usage Vocabulary) that "<code>"duv:refersTo"</code>" the dataset, with the author's note on how it is used as its "
            <code>"dct:description"</code>". Data publishers can harvest it to learn who uses their data."
        </p>
    }
}
