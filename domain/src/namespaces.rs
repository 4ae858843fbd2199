//! The RDF vocabularies Casebook reads (portals' DCAT) and writes (its own catalogue).
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const DUV: &str = "http://www.w3.org/ns/duv#";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const SCHEMA: &str = "https://schema.org/";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
