//! DCAT descriptions of a dataset in Turtle, RDF/XML, N-Triples or JSON-LD (as ckanext-dcat and
//! most catalogues publish them), parsed with oxigraph's parsers under a budget: a portal is
//! untrusted, and one hostile document must cost a bounded amount of memory and time.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use oxrdf::{Quad, Term};
use oxrdfio::{RdfFormat, RdfParser};
use url::Url;

use super::super::frequency;
use super::super::metadata::{parse_date, Licence, Metadata};
use crate::namespaces::{DCAT, DCT, RDF_TYPE};
use crate::vocabulary::PortalKind;

const FOAF_NAME: &str = "http://xmlns.com/foaf/0.1/name";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const SKOS_PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const VCARD_FN: &str = "http://www.w3.org/2006/vcard/ns#fn";

/// What reading one document may cost. A catalogue's description of one dataset is a few
/// hundred statements; these leave room for a large catalogue page and no more.
pub const MAX_STATEMENTS: usize = 100_000;
/// Values kept for one subject and predicate: a dataset has a title or a few in other
/// languages, and the first few distributions tell its formats; the rest are only counted.
pub const MAX_VALUES: usize = 32;
/// Wall time for parsing one document, checked as statements arrive.
pub const MAX_PARSE_TIME: Duration = Duration::from_secs(2);

/// Why a document was not read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DcatError {
    #[error("the document declares a DOCTYPE or entities, which DCAT never needs")]
    Declarations,
    #[error("the document has more than {MAX_STATEMENTS} statements")]
    TooManyStatements,
    #[error("the document took longer than {} s to read", MAX_PARSE_TIME.as_secs())]
    TooSlow,
    #[error("the document does not parse: {0}")]
    Syntax(String),
}

/// The format for a media type or a file ending, when it is RDF.
pub fn format_for(media_type: &str, url: &Url) -> Option<RdfFormat> {
    RdfFormat::from_media_type(media_type).or_else(|| {
        let path = url.path();
        let ending = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
        match ending.as_str() {
            "ttl" => Some(RdfFormat::Turtle),
            "rdf" | "xml" => Some(RdfFormat::RdfXml),
            "jsonld" => Some(RdfFormat::JsonLd { profile: Default::default() }),
            "nt" => Some(RdfFormat::NTriples),
            "n3" => Some(RdfFormat::N3),
            _ => None,
        }
    })
}

/// Statements by subject and predicate, each pair's first `MAX_VALUES` objects in document
/// order and how many there were: a look-up is one hash away, however many statements a node has.
#[derive(Default)]
struct Graph(HashMap<String, HashMap<String, Values>>);

#[derive(Default)]
struct Values {
    kept: Vec<Term>,
    count: usize,
}

/// XML that declares a DOCTYPE or entities can expand a kilobyte into gigabytes; DCAT never
/// needs either. Any `<!` but comments and CDATA is refused, whatever its case or spacing.
fn declares_entities(body: &[u8]) -> bool {
    body.windows(2).enumerate().any(|(at, pair)| {
        pair == b"<!" && {
            let rest = &body[at + 2..];
            !(rest.starts_with(b"--") || rest.starts_with(b"[CDATA["))
        }
    })
}

impl Graph {
    fn parse(body: &[u8], format: RdfFormat, base: &Url) -> Result<Graph, DcatError> {
        // UTF-16 would hide a declaration from the byte scan (its ASCII carries NULs, which no
        // UTF-8 XML may hold); portals write UTF-8.
        if format == RdfFormat::RdfXml && (declares_entities(body) || body.contains(&0) || std::str::from_utf8(body).is_err()) {
            return Err(DcatError::Declarations);
        }
        let parser = RdfParser::from_format(format).with_base_iri(base.as_str()).map_err(|e| DcatError::Syntax(e.to_string()))?;
        let started = Instant::now();
        let mut graph = Graph::default();
        for (count, quad) in parser.for_slice(body).enumerate() {
            if count >= MAX_STATEMENTS {
                return Err(DcatError::TooManyStatements);
            }
            if count % 1024 == 0 && started.elapsed() > MAX_PARSE_TIME {
                return Err(DcatError::TooSlow);
            }
            let Quad { subject, predicate, object, .. } = quad.map_err(|e| DcatError::Syntax(e.to_string()))?;
            let values = graph.0.entry(subject.to_string()).or_default().entry(predicate.as_str().to_string()).or_default();
            values.count += 1;
            if values.kept.len() < MAX_VALUES {
                values.kept.push(object);
            }
        }
        Ok(graph)
    }

    fn objects<'a>(&'a self, subject: &str, predicate: &str) -> impl Iterator<Item = &'a Term> + 'a {
        self.0.get(subject).and_then(|p| p.get(predicate)).into_iter().flat_map(|v| &v.kept)
    }

    fn count(&self, subject: &str, predicate: &str) -> usize {
        self.0.get(subject).and_then(|p| p.get(predicate)).map_or(0, |v| v.count)
    }

    fn literal(&self, subject: &str, predicate: &str) -> Option<String> {
        // An English or untagged value before any other language.
        let literals: Vec<&oxrdf::Literal> =
            self.objects(subject, predicate).filter_map(|o| if let Term::Literal(l) = o { Some(l) } else { None }).collect();
        literals
            .iter()
            .find(|l| matches!(l.language(), None | Some("en") | Some("en-gb")))
            .or(literals.first())
            .map(|l| l.value().to_string())
    }

    /// A literal itself, or the label a node carries.
    fn label(&self, term: &Term) -> Option<String> {
        if let Term::Literal(l) = term {
            return Some(l.value().to_string());
        }
        let key = term.to_string();
        [format!("{DCT}title"), FOAF_NAME.to_string(), RDFS_LABEL.to_string(), SKOS_PREF_LABEL.to_string(), VCARD_FN.to_string()]
            .iter()
            .find_map(|p| self.literal(&key, p))
    }

    /// A node's label, or else the last part of its address (`.../file-type/CSV` is "CSV").
    fn name(&self, term: &Term) -> String {
        self.label(term).unwrap_or_else(|| match term {
            Term::NamedNode(n) => n.as_str().rsplit(['/', '#']).find(|s| !s.is_empty()).unwrap_or_default().to_string(),
            _ => String::new(),
        })
    }

    fn iri(term: &Term) -> String {
        match term {
            Term::NamedNode(n) => n.as_str().to_string(),
            _ => String::new(),
        }
    }
}

/// Reads the dataset an RDF document describes: the one whose address or landing page is the
/// page's, or else the first dataset in it. `Err` when the document does not parse.
pub fn parse(body: &[u8], format: RdfFormat, source: &Url, page: &Url) -> Result<Option<Metadata>, DcatError> {
    let graph = Graph::parse(body, format, source)?;
    let dataset_type = format!("{DCAT}Dataset");
    let mut datasets: Vec<&String> = graph
        .0
        .iter()
        .filter(|(_, pairs)| pairs.get(RDF_TYPE).is_some_and(|types| types.kept.iter().any(|o| Graph::iri(o) == dataset_type)))
        .map(|(s, _)| s)
        .collect();
    datasets.sort();
    let wanted = format!("<{}>", page.as_str());
    let landing = format!("{DCAT}landingPage");
    let Some(subject) = datasets
        .iter()
        .find(|s| ***s == wanted || graph.objects(s, &landing).any(|o| Graph::iri(o) == page.as_str()))
        .or(datasets.first())
        .map(|s| s.to_string())
    else {
        return Ok(None);
    };
    let Some(title) = graph.literal(&subject, &format!("{DCT}title")) else { return Ok(None) };
    let mut found = Metadata::new(PortalKind::Dcat, source.as_str());
    found.title = title;
    found.description = graph.literal(&subject, &format!("{DCT}description")).unwrap_or_default();
    found.publisher = graph.objects(&subject, &format!("{DCT}publisher")).next().map(|p| graph.name(p)).unwrap_or_default();
    found.modified = graph.literal(&subject, &format!("{DCT}modified")).and_then(|d| parse_date(&d));
    found.frequency = graph.objects(&subject, &format!("{DCT}accrualPeriodicity")).next().and_then(|f| match f {
        Term::NamedNode(n) => frequency::parse(n.as_str()),
        other => frequency::parse(&graph.name(other)),
    });
    let distribution = format!("{DCAT}distribution");
    let distributions: Vec<String> = graph.objects(&subject, &distribution).map(|d| d.to_string()).collect();
    let licence_term = graph
        .objects(&subject, &format!("{DCT}license"))
        .next()
        .cloned()
        .or_else(|| distributions.iter().find_map(|d| graph.objects(d, &format!("{DCT}license")).next().cloned()));
    found.licence = licence_term.map(|term| {
        let url = Graph::iri(&term);
        Licence { id: String::new(), title: graph.label(&term).unwrap_or_default(), url, open: None }
    });
    found.formats = distributions
        .iter()
        .filter_map(|d| {
            graph
                .objects(d, &format!("{DCT}format"))
                .next()
                .map(|f| graph.name(f))
                .or_else(|| graph.objects(d, &format!("{DCAT}mediaType")).next().map(|m| graph.name(m)))
        })
        .collect();
    found.resource_count = Some(i32::try_from(graph.count(&subject, &distribution)).unwrap_or(i32::MAX));
    Ok(Some(found.tidy()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> (Url, Url) {
        (Url::parse("https://portal.example/dataset/bins.rdf").unwrap(), Url::parse("https://portal.example/dataset/bins").unwrap())
    }

    #[test]
    fn reads_a_dataset_its_distributions_and_licence() {
        let (source, page) = urls();
        let turtle = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
            <https://portal.example/dataset/bins> a dcat:Dataset ; dct:title "Bin rounds"@en ;
              dct:license <https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/> ;
              dcat:distribution [ dct:format "CSV" ], [ dcat:mediaType <https://www.iana.org/assignments/media-types/application/json> ] ."#;
        let found = parse(turtle.as_bytes(), RdfFormat::Turtle, &source, &page).unwrap().unwrap();
        assert_eq!(found.title, "Bin rounds");
        assert_eq!(found.formats, ["CSV", "JSON"]);
        assert_eq!(found.resource_count, Some(2));
        assert!(found.licence.unwrap().url.contains("open-government-licence"));
    }

    /// A kilobyte of nested entities once grew the server by gigabytes (each level 16 times the last).
    #[test]
    fn rdf_xml_with_entity_declarations_is_refused_before_it_is_parsed() {
        let (source, page) = urls();
        let mut entities = String::from("<!ENTITY e0 \"laugh\">");
        for level in 1..=12 {
            entities.push_str(&format!("<!ENTITY e{level} \"{}\">", format!("&e{};", level - 1).repeat(16)));
        }
        let document = format!(
            r#"<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
            <dcat:Dataset rdf:about="https://portal.example/dataset/bins"><dct:title>&e12;</dct:title></dcat:Dataset></rdf:RDF>"#
        );
        assert_eq!(parse(document.as_bytes(), RdfFormat::RdfXml, &source, &page), Err(DcatError::Declarations));
        let lower_case = document.replace("<!DOCTYPE", "<!doctype");
        assert_eq!(parse(lower_case.as_bytes(), RdfFormat::RdfXml, &source, &page), Err(DcatError::Declarations));
        let utf16: Vec<u8> = document.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(parse(&utf16, RdfFormat::RdfXml, &source, &page), Err(DcatError::Declarations));
        // Comments and CDATA are ordinary XML and still read.
        let plain = r#"<?xml version="1.0"?><!-- a catalogue --><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
            <dcat:Dataset rdf:about="https://portal.example/dataset/bins"><dct:title><![CDATA[Bin rounds]]></dct:title></dcat:Dataset></rdf:RDF>"#;
        assert_eq!(parse(plain.as_bytes(), RdfFormat::RdfXml, &source, &page).unwrap().unwrap().title, "Bin rounds");
    }

    /// Thousands of distributions naming one node with tens of thousands of statements: every
    /// label look-up scanned them all, and one 0.4 MB document held a core for 24 s.
    #[test]
    fn a_node_with_many_statements_is_read_in_linear_time() {
        let (source, page) = urls();
        let mut turtle = String::from(
            "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . \
             @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
             <https://portal.example/dataset/bins> a dcat:Dataset ; dct:title \"Bins\" .\n",
        );
        for d in 0..4000 {
            turtle.push_str(&format!("<https://portal.example/dataset/bins> dcat:distribution <https://portal.example/d/{d}> . <https://portal.example/d/{d}> dct:format <https://portal.example/f> .\n"));
        }
        for c in 0..80_000 {
            turtle.push_str(&format!("<https://portal.example/f> rdfs:comment \"{c}\" .\n"));
        }
        let started = Instant::now();
        let found = parse(turtle.as_bytes(), RdfFormat::Turtle, &source, &page).unwrap().unwrap();
        // Minutes before the graph was indexed; well under a second now. The bound only guards
        // against the quadratic reading coming back, on however slow a machine.
        assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
        assert_eq!(found.resource_count, Some(4000));
        assert_eq!(found.formats, ["F"]);
    }

    #[test]
    fn a_document_over_the_statement_budget_is_refused() {
        let (source, page) = urls();
        let turtle: String =
            (0..=MAX_STATEMENTS).map(|n| format!("<https://portal.example/n> <https://portal.example/p> \"{n}\" .\n")).collect();
        assert_eq!(parse(turtle.as_bytes(), RdfFormat::NTriples, &source, &page), Err(DcatError::TooManyStatements));
    }
}
