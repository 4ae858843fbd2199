//! Casebook as linked data: each case study as a schema.org `Article` for its page, and the
//! whole site as a DCAT 3 catalogue in which every linked dataset gets a Dataset Usage
//! Vocabulary statement, so that a publisher's catalogue can harvest who uses its data.
use std::io::Write;

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{Literal, NamedNode, Term, Triple};
use oxrdfio::{RdfFormat, RdfSerializer, WriterQuadSerializer};
use serde_json::{json, Value};

use super::dumps::{CSV, DATASETS_CSV, JSON};
use super::{CaseStudyRecord, DatasetUse};
use crate::namespaces::{DCAT, DCT, DUV, FOAF, RDFS, SCHEMA, XSD};
use crate::paths;
use crate::views::CaseStudyView;

const JSON_MEDIA_TYPE: &str = "application/json";
const CSV_MEDIA_TYPE: &str = "text/csv";

pub const CATALOGUE_TURTLE: &str = "catalog.ttl";
pub const CATALOGUE_JSON_LD: &str = "catalog.jsonld";

/// The case study as schema.org JSON-LD, from the view its page shows (so the page reads nothing
/// more for it). The context is inline (`@vocab`), so a consumer needs no remote document to read
/// it as RDF.
pub fn schema_org(view: &CaseStudyView, base: &str) -> Value {
    let card = &view.card;
    let url = format!("{base}{}", paths::case_study(&card.slug));
    let term = |path: String, name: &str| json!({ "@type": "DefinedTerm", "@id": format!("{base}{path}"), "name": name });
    let mut about = vec![json!({ "@type": "Thing", "name": card.service_area.label() })];
    about.extend(card.patterns.iter().map(|p| term(paths::pattern(&p.slug), &p.name)));
    json!({
        "@context": { "@vocab": SCHEMA },
        "@type": "Article",
        "@id": url,
        "url": url,
        "headline": card.title,
        "name": card.title,
        "description": card.summary,
        "inLanguage": "en-GB",
        "author": view.authors.iter().map(|a| json!({ "@type": "Person", "name": a.name })).collect::<Vec<_>>(),
        "publisher": card.organisations.iter().map(|o| json!({
            "@type": "Organization",
            "@id": format!("{base}{}", paths::organisation(&o.slug)),
            "name": o.name,
        })).collect::<Vec<_>>(),
        "license": { "@id": view.licence.url() },
        "datePublished": view.published.as_ref().map(|at| at.iso.clone()),
        "dateModified": card.updated.iso,
        "about": about,
        "keywords": view.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "isBasedOn": view.datasets.iter().map(|d| json!({
            "@type": "Dataset",
            "@id": d.dataset.url,
            "url": d.dataset.url,
            "name": d.shown().title,
            "description": d.usage,
        })).collect::<Vec<_>>(),
    })
}

/// The JSON-LD as it goes inside `<script type="application/ld+json">`: nothing in it can close
/// the script element.
pub fn script_text(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

fn iri(value: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(value)
}

fn term(namespace: &str, local: &str) -> NamedNode {
    iri(format!("{namespace}{local}"))
}

/// A media type as IANA's register names it, as DCAT-AP asks.
fn media_type_iri(media_type: &str) -> NamedNode {
    iri(format!("http://www.iana.org/assignments/media-types/{media_type}"))
}

fn text(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

fn date_time(value: chrono::DateTime<chrono::Utc>) -> Term {
    Literal::new_typed_literal(value.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), xsd::DATE_TIME).into()
}

/// A link only if it is an absolute IRI: an author's dataset address that is not one is left
/// out of the graph rather than written broken.
fn linkable(value: &str) -> Option<NamedNode> {
    NamedNode::new(value).ok().filter(|n| n.as_str().contains("://"))
}

/// What the catalogue can say of a dataset a case study uses: its title and publisher as authors
/// gave them (they are the dataset's, so every case study linking it says the same) and that
/// case studies on Casebook use it. What its portal says is the portal's own to publish.
fn described(used: &DatasetUse) -> String {
    let (title, publisher) = (used.title.trim(), used.publisher.trim());
    let named = match (title.is_empty(), publisher.is_empty()) {
        (false, false) => format!("{title}, published by {publisher},"),
        (false, true) => format!("{title},"),
        (true, false) => format!("A dataset published by {publisher},"),
        (true, true) => "A dataset".to_string(),
    };
    format!("{named} used by public services that case studies on Casebook describe.")
}

/// Writes the catalogue in Turtle and JSON-LD at once, a case study at a time.
pub(crate) struct CatalogueWriter<W: Write> {
    turtle: WriterQuadSerializer<W>,
    json_ld: WriterQuadSerializer<W>,
    catalogue: NamedNode,
    base: String,
}

impl<W: Write> CatalogueWriter<W> {
    pub fn new(turtle: W, json_ld: W, base: &str) -> std::io::Result<Self> {
        let prefixed = |format| -> std::io::Result<RdfSerializer> {
            let mut serializer = RdfSerializer::from_format(format);
            for (prefix, namespace) in [("dcat", DCAT), ("dct", DCT), ("duv", DUV), ("foaf", FOAF), ("rdfs", RDFS), ("xsd", XSD)] {
                serializer = serializer.with_prefix(prefix, namespace).map_err(std::io::Error::other)?;
            }
            Ok(serializer)
        };
        let mut writer = CatalogueWriter {
            turtle: prefixed(RdfFormat::Turtle)?.for_writer(turtle),
            json_ld: prefixed(RdfFormat::JsonLd { profile: Default::default() })?.for_writer(json_ld),
            catalogue: iri(format!("{base}{}#catalogue", paths::OPEN_DATA)),
            base: base.to_string(),
        };
        writer.head()?;
        Ok(writer)
    }

    fn add(&mut self, subject: &NamedNode, predicate: NamedNode, object: impl Into<Term>) -> std::io::Result<()> {
        let triple = Triple::new(subject.clone(), predicate, object);
        self.turtle.serialize_triple(&triple)?;
        self.json_ld.serialize_triple(&triple)
    }

    /// The catalogue, the API that serves it, and the dumps as datasets with their distributions.
    /// Harvesters check each value against the class DCAT-AP gives its property's range, as
    /// stated and with nothing inferred: so each page, frequency, media type and address is
    /// typed here too, once.
    fn head(&mut self) -> std::io::Result<()> {
        let base = self.base.clone();
        let catalogue = self.catalogue.clone();
        self.add(&catalogue, rdf::TYPE.into(), term(DCAT, "Catalog"))?;
        self.add(&catalogue, term(DCT, "title"), text("Casebook"))?;
        self.add(
            &catalogue,
            term(DCT, "description"),
            text("Case studies of public services built with open data, shared by the public servants who built them."),
        )?;
        let home = iri(format!("{base}/"));
        self.add(&catalogue, term(FOAF, "homepage"), home.clone())?;
        self.add(&home, rdf::TYPE.into(), term(FOAF, "Document"))?;
        // The site publishes its catalogue, its downloads and its API.
        let publisher = iri(format!("{base}{}#publisher", paths::OPEN_DATA));
        self.add(&publisher, rdf::TYPE.into(), term(FOAF, "Agent"))?;
        self.add(&publisher, term(FOAF, "name"), text("Casebook"))?;
        self.add(&catalogue, term(DCT, "publisher"), publisher.clone())?;
        let api = iri(format!("{base}/api/v1/"));
        self.add(&catalogue, term(DCAT, "service"), api.clone())?;
        self.add(&api, rdf::TYPE.into(), term(DCAT, "DataService"))?;
        self.add(&api, rdf::TYPE.into(), term(RDFS, "Resource"))?;
        self.add(&api, term(DCT, "title"), text("The Casebook API"))?;
        self.add(&api, term(DCT, "publisher"), publisher.clone())?;
        self.add(&api, term(DCAT, "endpointURL"), api.clone())?;
        let openapi = iri(format!("{base}{}", paths::OPENAPI));
        self.add(&api, term(DCAT, "endpointDescription"), openapi.clone())?;
        self.add(&openapi, rdf::TYPE.into(), term(RDFS, "Resource"))?;
        let data_page = iri(format!("{base}{}", paths::OPEN_DATA));
        self.add(&data_page, rdf::TYPE.into(), term(FOAF, "Document"))?;
        // The files are written again whenever a case study changes.
        let continuously = iri("http://publications.europa.eu/resource/authority/frequency/CONT");
        self.add(&continuously, rdf::TYPE.into(), term(DCT, "Frequency"))?;
        for media_type in [JSON_MEDIA_TYPE, CSV_MEDIA_TYPE] {
            self.add(&media_type_iri(media_type), rdf::TYPE.into(), term(DCT, "MediaType"))?;
        }
        // Each download: its anchor on /data, its title and description (what /data says of
        // it), and its files with their media types.
        struct Download<'a> {
            id: &'a str,
            title: &'a str,
            description: &'a str,
            files: &'a [(&'a str, &'a str)],
        }
        let dumps = [
            Download {
                id: "case-studies",
                title: "Case studies: every published case study, one record each",
                description: "Every published case study, one record each, free to reuse under the licence each one states: \
                              as JSON, the same records the API gives, and as CSV, one row each. Drafts and case studies \
                              waiting for review are never in it.",
                files: &[(JSON, JSON_MEDIA_TYPE), (CSV, CSV_MEDIA_TYPE)],
            },
            Download {
                id: "case-study-datasets",
                title: "The datasets each case study uses, with how it uses them",
                description: "One row for each dataset a published case study uses: the dataset's address, its title, publisher, \
                              licence and format as the case study's author gave them, how the service uses it, and its condition \
                              at the last check.",
                files: &[(DATASETS_CSV, CSV_MEDIA_TYPE)],
            },
        ];
        for Download { id, title, description, files } in dumps {
            let dataset = iri(format!("{base}{}#{id}", paths::OPEN_DATA));
            self.add(&catalogue, term(DCAT, "dataset"), dataset.clone())?;
            self.add(&api, term(DCAT, "servesDataset"), dataset.clone())?;
            self.add(&dataset, rdf::TYPE.into(), term(DCAT, "Dataset"))?;
            self.add(&dataset, term(DCT, "title"), text(title))?;
            self.add(&dataset, term(DCT, "description"), text(description))?;
            self.add(&dataset, term(DCT, "publisher"), publisher.clone())?;
            self.add(&dataset, term(DCAT, "landingPage"), data_page.clone())?;
            self.add(&dataset, term(DCT, "accrualPeriodicity"), continuously.clone())?;
            for &(file, media_type) in files {
                // The file's own address is where it is downloaded and how it is reached.
                let distribution = iri(format!("{base}{}", paths::download(file)));
                self.add(&dataset, term(DCAT, "distribution"), distribution.clone())?;
                self.add(&distribution, rdf::TYPE.into(), term(DCAT, "Distribution"))?;
                self.add(&distribution, rdf::TYPE.into(), term(RDFS, "Resource"))?;
                self.add(&distribution, term(DCAT, "accessURL"), distribution.clone())?;
                self.add(&distribution, term(DCAT, "downloadURL"), distribution.clone())?;
                self.add(&distribution, term(DCAT, "mediaType"), media_type_iri(media_type))?;
                self.add(&distribution, term(DCT, "title"), text(file))?;
            }
        }
        Ok(())
    }

    /// One case study as a `dcat:Resource`, and a `duv:Usage` for each dataset it uses.
    pub fn record(&mut self, record: &CaseStudyRecord) -> std::io::Result<()> {
        let base = self.base.clone();
        let catalogue = self.catalogue.clone();
        let resource = iri(&record.url);
        self.add(&catalogue, term(DCAT, "resource"), resource.clone())?;
        self.add(&resource, rdf::TYPE.into(), term(DCAT, "Resource"))?;
        self.add(&resource, term(DCT, "identifier"), text(&record.id))?;
        self.add(&resource, term(DCT, "title"), text(&record.title))?;
        self.add(&resource, term(DCT, "description"), text(&record.summary))?;
        self.add(&resource, term(DCAT, "landingPage"), resource.clone())?;
        self.add(&resource, term(DCT, "license"), iri(&record.licence_url))?;
        if let Some(published) = record.published_at {
            self.add(&resource, term(DCT, "issued"), date_time(published))?;
        }
        self.add(&resource, term(DCT, "modified"), date_time(record.updated_at))?;
        for organisation in &record.organisations {
            self.add(&resource, term(DCT, "publisher"), iri(format!("{base}{}", paths::organisation(&organisation.slug))))?;
        }
        for pattern in &record.patterns {
            self.add(&resource, term(DCAT, "theme"), iri(format!("{base}{}", paths::pattern(&pattern.slug))))?;
        }
        for tag in &record.tags {
            self.add(&resource, term(DCAT, "keyword"), text(&tag.name))?;
        }
        for (n, used) in record.datasets.iter().enumerate() {
            let Some(dataset) = linkable(&used.url) else { continue };
            let usage = iri(format!("{}#dataset-usage-{}", record.url, n + 1));
            self.add(&resource, term(DCT, "references"), dataset.clone())?;
            self.add(&dataset, rdf::TYPE.into(), term(DCAT, "Dataset"))?;
            if !used.title.is_empty() {
                self.add(&dataset, term(DCT, "title"), text(&used.title))?;
            }
            self.add(&dataset, term(DCT, "description"), text(&described(used)))?;
            self.add(&dataset, term(DUV, "hasUsage"), usage.clone())?;
            self.add(&usage, rdf::TYPE.into(), term(DUV, "Usage"))?;
            self.add(&usage, term(DUV, "refersTo"), dataset)?;
            self.add(&usage, term(DCT, "isReferencedBy"), resource.clone())?;
            if !used.usage.is_empty() {
                self.add(&usage, term(DCT, "description"), text(&used.usage))?;
            }
        }
        Ok(())
    }

    pub fn finish(self) -> std::io::Result<(W, W)> {
        Ok((self.turtle.finish()?, self.json_ld.finish()?))
    }
}
