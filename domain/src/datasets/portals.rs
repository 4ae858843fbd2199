//! One reader per kind of portal; `resolve` decides which to ask.
pub mod ckan;
pub mod datapress;
pub mod dcat;
pub mod page;
pub mod schema_org;

/// Whatever a portal sends, every reader answers (something or nothing) without panicking and
/// within its budget: a property test with a fixed seed, so a failure replays.
#[cfg(test)]
mod hostile_documents {
    use oxrdfio::RdfFormat;
    use proptest::prelude::*;
    use url::Url;

    use crate::vocabulary::PortalKind;

    /// Pieces of every syntax the readers meet, mixed with arbitrary text.
    fn document() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("<".to_string()),
            Just("<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]>".to_string()),
            Just("<!--".to_string()),
            Just("<![CDATA[".to_string()),
            Just("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">".to_string()),
            Just("<dcat:Dataset rdf:about=\"x\">".to_string()),
            Just("@prefix dct: <http://purl.org/dc/terms/> .".to_string()),
            Just("<https://a.example/d> a <http://www.w3.org/ns/dcat#Dataset> ; dct:title \"t\"@en .".to_string()),
            Just("{\"@context\":\"https://schema.org\",\"@type\":\"Dataset\",\"name\":".to_string()),
            Just("{\"success\":true,\"result\":{\"title\":".to_string()),
            Just("\"€€\"".to_string()),
            Just("[[[[[[[[".to_string()),
            Just("}}]]".to_string()),
            Just("<script type=\"application/ld+json\">".to_string()),
            Just("<link rel=\"alternate\" type=\"text/turtle\" href=\"".to_string()),
            Just("javascript:alert(1)".to_string()),
            Just("\u{0}\u{feff}\u{202e}".to_string()),
            any::<String>(),
        ];
        prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
    }

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 2_000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0xca5e_b00c),
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn no_fetched_document_makes_a_reader_panic(text in document()) {
            let source = Url::parse("https://portal.example/dataset/x.ttl").unwrap();
            let page = Url::parse("https://portal.example/dataset/x").unwrap();
            let bytes = text.as_bytes();
            let formats = [RdfFormat::Turtle, RdfFormat::RdfXml, RdfFormat::NTriples, RdfFormat::JsonLd { profile: Default::default() }];
            for format in formats {
                if let Ok(Some(found)) = super::dcat::parse(bytes, format, &source, &page) {
                    prop_assert!(found.licence.is_none_or(|l| l.url.is_empty() || l.url.starts_with("http")));
                }
            }
            let read = super::page::read(&text, &page);
            let _ = super::schema_org::parse(&read.json_ld, page.as_str());
            let _ = super::schema_org::parse(std::slice::from_ref(&text), page.as_str());
            let _ = super::ckan::parse_package(bytes, &source, PortalKind::Ckan);
            let _ = super::ckan::is_status(bytes);
            let _ = super::datapress::parse(bytes, &source);
        }
    }
}
