//! The feeds and the linked data as their readers take them: Atom parsed by a feed library and
//! discovered from each page's head, the case study's JSON-LD and the DCAT catalogue read as RDF.
use std::collections::HashSet;

use axum::http::StatusCode;
use oxrdf::{NamedNode, Term, Triple};
use oxrdfio::{RdfFormat, RdfParser};

use crate::support::{case_study_fields, TestApp};

const TWO_DATASETS: &str = "Repairs reported online with two datasets";
const DRAFT: &str = "A draft nobody may see in a feed";

/// A case study that uses two datasets, each with its own usage note.
fn with_two_datasets<'a>(token: &'a str, status: &'a str) -> Vec<(&'a str, &'a str)> {
    let second = [
        ("dataset_title", "Housing stock"),
        ("dataset_url", "https://data.example.org/housing-stock.csv"),
        ("dataset_usage", "Finds which homes a repair is for"),
    ];
    let mut fields = case_study_fields(token, TWO_DATASETS, status);
    for (name, value) in second {
        let last = fields.iter().rposition(|(n, _)| *n == name).expect("a second dataset row");
        fields[last].1 = value;
    }
    fields.push(("organisations", "northshire-county-council"));
    fields
}

fn feed_titles(body: &str) -> anyhow::Result<Vec<String>> {
    let feed: atom_syndication::Feed = body.parse()?;
    assert!(!feed.id.is_empty() && feed.links.iter().any(|l| l.rel == "self"), "a feed names itself");
    for entry in &feed.entries {
        assert!(entry.id.starts_with("http"), "each entry has an IRI for its id");
        assert!(entry.links.iter().any(|l| l.rel == "alternate" && l.href == entry.id), "and links to its page");
        assert!(!feed.authors.is_empty() || !entry.authors.is_empty(), "Atom asks for an author");
    }
    Ok(feed.entries.iter().map(|e| e.title.value.clone()).collect())
}

/// The Atom feeds a page's head advertises.
fn advertised_feeds(html: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(r#"head link[rel="alternate"][type="application/atom+xml"]"#).expect("a selector");
    document.select(&selector).filter_map(|l| l.value().attr("href")).map(str::to_string).collect()
}

fn triples(body: &str, format: RdfFormat, base: &str) -> anyhow::Result<Vec<Triple>> {
    let parser = RdfParser::from_format(format).with_base_iri(base)?;
    Ok(parser.for_slice(body.as_bytes()).map(|q| q.map(Triple::from)).collect::<Result<_, _>>()?)
}

fn iri(value: &str) -> Term {
    NamedNode::new_unchecked(value).into()
}

fn objects<'a>(graph: &'a [Triple], subject: &Term, predicate: &str) -> Vec<&'a Term> {
    graph.iter().filter(|t| Term::from(t.subject.clone()) == *subject && t.predicate.as_str() == predicate).map(|t| &t.object).collect()
}

fn literal(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn a_reader_follows_feeds_from_each_page_and_never_sees_a_draft() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    app.post("/case-studies/new", &with_two_datasets(&token, "published")).await?;
    app.post("/case-studies/new", &case_study_fields(&token, DRAFT, "draft")).await?;
    let mut reader = app.new_browser();

    let latest = reader.get("/feeds/case-studies.atom").await?;
    assert_eq!(latest.status, StatusCode::OK);
    assert_eq!(latest.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/atom+xml; charset=utf-8"));
    let titles = feed_titles(&latest.body)?;
    assert_eq!(titles.first().map(String::as_str), Some(TWO_DATASETS), "the newest first");
    assert!(!titles.iter().any(|t| t == DRAFT));

    let record: serde_json::Value = serde_json::from_str(&reader.get("/api/v1/case-studies?tag=repairs&limit=1").await?.body)?;
    let organisation = record["items"][0]["organisations"][0]["slug"].as_str().unwrap_or_default().to_string();
    let networks: Vec<serde_json::Value> = serde_json::from_str(&reader.get("/api/v1/networks").await?.body)?;
    let network = networks[0]["slug"].as_str().unwrap_or_default().to_string();
    let collections: Vec<serde_json::Value> = serde_json::from_str(&reader.get("/api/v1/collections").await?.body)?;
    let collection = collections[0]["slug"].as_str().unwrap_or_default().to_string();

    let pages = vec![
        ("/".to_string(), "/feeds/case-studies.atom".to_string()),
        ("/case-studies".into(), "/feeds/case-studies.atom".into()),
        ("/patterns/engage-with-services".into(), "/feeds/patterns/engage-with-services.atom".into()),
        ("/tags/repairs".into(), "/feeds/tags/repairs.atom".into()),
        (format!("/networks/{network}"), format!("/feeds/networks/{network}.atom")),
        (format!("/collections/{collection}"), format!("/feeds/collections/{collection}.atom")),
        (format!("/organisations/{organisation}"), format!("/feeds/organisations/{organisation}.atom")),
    ];
    assert_eq!(organisation, "northshire-county-council");
    for (page, feed) in &pages {
        let html = reader.get(page).await?;
        assert_eq!(advertised_feeds(&html.body), vec![feed.clone()], "{page} advertises its feed");
        let reply = reader.get(feed).await?;
        assert_eq!(reply.status, StatusCode::OK, "{feed}");
        let titles = feed_titles(&reply.body)?;
        assert!(!titles.iter().any(|t| t == DRAFT), "{feed}");
        let expected = feed.contains("/patterns/") || feed.contains("/tags/") || feed.contains("/organisations/");
        if expected {
            assert!(titles.iter().any(|t| t == TWO_DATASETS), "{feed} has the new case study: {titles:?}");
        }
        if feed.contains("/networks/") || feed.contains("/collections/") {
            assert!(!titles.iter().any(|t| t == TWO_DATASETS), "{feed}: not shared there, so not in it");
        }
    }
    // The collection's feed follows the curators' order.
    let whole: serde_json::Value = serde_json::from_str(&reader.get(&format!("/api/v1/collections/{collection}")).await?.body)?;
    let readable: Vec<String> = whole["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| !i["case_study"].is_null())
        .filter_map(|i| i["title"].as_str().map(str::to_string))
        .collect();
    assert_eq!(feed_titles(&reader.get(&format!("/feeds/collections/{collection}.atom")).await?.body)?, readable);

    for missing in ["/feeds/tags/no-such-tag.atom", "/feeds/collections/no-such.atom", "/feeds/people/1.atom", "/feeds/tags/repairs.rss"] {
        assert_eq!(reader.get(missing).await?.status, StatusCode::NOT_FOUND, "{missing}");
    }
    Ok(())
}

#[tokio::test]
async fn a_harvester_reads_a_case_study_and_the_catalogue_as_linked_data() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    app.sign_in_as("Priya").await?;
    let token = app.csrf_token().await?;
    let created = app.post("/case-studies/new", &with_two_datasets(&token, "published")).await?;
    let page_path = created.location.clone().expect("to the new case study");
    app.post("/case-studies/new", &case_study_fields(&token, DRAFT, "draft")).await?;
    let draft_page = app.get("/case-studies/a-draft-nobody-may-see-in-a-feed").await?;
    assert_eq!(draft_page.status, StatusCode::OK, "its author sees the draft");
    assert!(!draft_page.body.contains("application/ld+json"), "with no linked data");

    let mut reader = app.new_browser();
    let record: serde_json::Value = serde_json::from_str(&reader.get(&format!("/api/v1{page_path}")).await?.body)?;
    let url = record["url"].as_str().expect("the record's address").to_string();
    let html = reader.get(&page_path).await?.body;
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).expect("a selector");
    let json_ld: String = document.select(&selector).next().expect("JSON-LD on the page").text().collect();
    let graph = triples(&json_ld, RdfFormat::JsonLd { profile: Default::default() }, &url)?;
    let schema = |local: &str| format!("https://schema.org/{local}");
    let study = iri(&url);
    assert_eq!(objects(&graph, &study, oxrdf::vocab::rdf::TYPE.as_str()), vec![&iri(&schema("Article"))]);
    assert_eq!(objects(&graph, &study, &schema("headline")).iter().map(|t| literal(t)).collect::<Vec<_>>(), [TWO_DATASETS]);
    assert_eq!(objects(&graph, &study, &schema("license")), vec![&iri("https://creativecommons.org/licenses/by/4.0/")]);
    let based_on: HashSet<&Term> = objects(&graph, &study, &schema("isBasedOn")).into_iter().collect();
    let datasets = [iri("https://data.example.org/housing-stock.csv"), iri("https://data.example.org/repairs.csv")];
    assert_eq!(based_on, datasets.iter().collect());
    let author = objects(&graph, &study, &schema("author"));
    assert_eq!(author.len(), 1);
    assert!(literal(objects(&graph, author[0], &schema("name"))[0]).starts_with("Priya"), "the author by name");
    let about: Vec<String> =
        objects(&graph, &study, &schema("about")).iter().flat_map(|t| objects(&graph, t, &schema("name"))).map(literal).collect();
    assert!(about.contains(&"Housing".to_string()) && about.len() == 2, "its service area and pattern: {about:?}");
    assert!(!objects(&graph, &study, &schema("publisher")).is_empty(), "the publishing organisations");
    assert!(!objects(&graph, &study, &schema("datePublished")).is_empty());

    let dcat = |local: &str| format!("http://www.w3.org/ns/dcat#{local}");
    let duv = |local: &str| format!("http://www.w3.org/ns/duv#{local}");
    let dct = |local: &str| format!("http://purl.org/dc/terms/{local}");
    for (path, content_type, format) in [
        ("/catalog.ttl", "text/turtle; charset=utf-8", RdfFormat::Turtle),
        ("/catalog.jsonld", "application/ld+json", RdfFormat::JsonLd { profile: Default::default() }),
    ] {
        let reply = reader.get(path).await?;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.headers.get("content-type").and_then(|v| v.to_str().ok()), Some(content_type), "{path}");
        let graph = triples(&reply.body, format, &url)?;
        let catalogue = graph
            .iter()
            .find(|t| t.predicate == oxrdf::vocab::rdf::TYPE && t.object == iri(&dcat("Catalog")))
            .map(|t| Term::from(t.subject.clone()))
            .expect("a dcat:Catalog");
        let resources = objects(&graph, &catalogue, &dcat("resource"));
        assert!(resources.contains(&&study), "{path}: the case study is a resource of the catalogue");
        assert!(!reply.body.contains(DRAFT), "{path}: no draft");
        assert!(objects(&graph, &study, oxrdf::vocab::rdf::TYPE.as_str()).contains(&&iri(&dcat("Resource"))));
        // The dumps, as datasets with their distributions.
        let dumps = objects(&graph, &catalogue, &dcat("dataset"));
        assert_eq!(dumps.len(), 2, "{path}");
        let downloads: HashSet<String> = dumps
            .iter()
            .flat_map(|d| objects(&graph, d, &dcat("distribution")))
            .flat_map(|d| objects(&graph, d, &dcat("downloadURL")))
            .map(|t| literal(t).trim_matches(['<', '>']).rsplit('/').next().unwrap_or_default().to_string())
            .collect();
        assert_eq!(downloads, ["case-studies.json", "case-studies.csv", "case-study-datasets.csv"].map(String::from).into());
        // What DCAT-AP asks of every catalogue and dataset (`./dev test` runs its shapes in full).
        let publisher = objects(&graph, &catalogue, &dct("publisher"));
        assert_eq!(publisher.len(), 1, "{path}: the catalogue's publisher");
        assert!(!objects(&graph, publisher[0], "http://xmlns.com/foaf/0.1/name").is_empty(), "{path}: by name");
        for dataset in graph.iter().filter(|t| t.predicate == oxrdf::vocab::rdf::TYPE && t.object == iri(&dcat("Dataset"))) {
            let dataset = Term::from(dataset.subject.clone());
            assert!(!objects(&graph, &dataset, &dct("description")).is_empty(), "{path}: {dataset} is described");
        }
        let housing = objects(&graph, &datasets[0], &dct("description")).iter().map(|t| literal(t)).collect::<Vec<_>>();
        assert!(housing.len() == 1 && housing[0].starts_with("Housing stock"), "{path}: by its title: {housing:?}");
        // One usage statement per dataset the case study uses, with its note.
        let mut found = Vec::new();
        for triple in graph.iter().filter(|t| t.predicate.as_str() == duv("refersTo")) {
            let usage = Term::from(triple.subject.clone());
            if !objects(&graph, &usage, &dct("isReferencedBy")).contains(&&study) {
                continue;
            }
            assert!(objects(&graph, &usage, oxrdf::vocab::rdf::TYPE.as_str()).contains(&&iri(&duv("Usage"))));
            assert!(objects(&graph, &triple.object, &duv("hasUsage")).contains(&&usage), "{path}: the dataset points back");
            let note = objects(&graph, &usage, &dct("description")).first().map(|t| literal(t)).unwrap_or_default();
            found.push((triple.object.clone(), note));
        }
        found.sort_by_key(|(d, _)| d.to_string());
        assert_eq!(
            found,
            vec![
                (datasets[0].clone(), "Finds which homes a repair is for".to_string()),
                (datasets[1].clone(), "Shows how long repairs take".to_string()),
            ],
            "{path}"
        );
    }
    Ok(())
}
