//! DCAT descriptions of a dataset in Turtle, RDF/XML, N-Triples or JSON-LD (as ckanext-dcat and
//! most catalogues publish them), parsed with oxigraph's parsers.
use std::collections::HashMap;

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

/// Statements by subject, each subject's `(predicate, object)` pairs in document order.
struct Graph(HashMap<String, Vec<(String, Term)>>);

impl Graph {
    fn parse(body: &[u8], format: RdfFormat, base: &Url) -> Result<Graph, String> {
        let parser = RdfParser::from_format(format).with_base_iri(base.as_str()).map_err(|e| e.to_string())?;
        let mut by_subject: HashMap<String, Vec<(String, Term)>> = HashMap::new();
        for quad in parser.for_slice(body) {
            let Quad { subject, predicate, object, .. } = quad.map_err(|e| e.to_string())?;
            by_subject.entry(subject.to_string()).or_default().push((predicate.as_str().to_string(), object));
        }
        Ok(Graph(by_subject))
    }

    fn objects<'a>(&'a self, subject: &str, predicate: &'a str) -> impl Iterator<Item = &'a Term> + 'a {
        self.0.get(subject).into_iter().flatten().filter(move |(p, _)| p == predicate).map(|(_, o)| o)
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
pub fn parse(body: &[u8], format: RdfFormat, source: &Url, page: &Url) -> Result<Option<Metadata>, String> {
    let graph = Graph::parse(body, format, source)?;
    let dataset_type = format!("{DCAT}Dataset");
    let mut datasets: Vec<&String> = graph
        .0
        .iter()
        .filter(|(_, pairs)| pairs.iter().any(|(p, o)| p == RDF_TYPE && Graph::iri(o) == dataset_type))
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
    let distributions: Vec<String> = graph.objects(&subject, &format!("{DCAT}distribution")).map(|d| d.to_string()).collect();
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
    found.resource_count = Some(distributions.len() as i32);
    Ok(Some(found.tidy()))
}
