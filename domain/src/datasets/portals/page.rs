//! What a dataset's HTML page says about itself: its title, the generator that built it, the
//! RDF descriptions it links to and the JSON-LD it embeds.
use scraper::{Html, Selector};
use url::Url;

pub struct Page {
    pub title: Option<String>,
    pub generator: String,
    /// `(media type, address)` of each `<link rel="alternate">` to RDF, in page order.
    pub alternates: Vec<(String, Url)>,
    pub json_ld: Vec<String>,
}

const RDF_TYPES: [&str; 4] = ["text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples"];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a fixed selector")
}

pub fn read(html: &str, base: &Url) -> Page {
    let document = Html::parse_document(html);
    let title = document
        .select(&selector("title"))
        .next()
        .map(|t| t.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    let generator = document
        .select(&selector("meta[name=generator]"))
        .filter_map(|m| m.value().attr("content"))
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let alternates = document
        .select(&selector("link[rel~=alternate][href][type]"))
        .filter_map(|l| {
            let kind = l.value().attr("type")?.split(';').next()?.trim().to_ascii_lowercase();
            let href = base.join(l.value().attr("href")?).ok()?;
            RDF_TYPES.contains(&kind.as_str()).then_some((kind, href))
        })
        .collect();
    let json_ld = document.select(&selector(r#"script[type="application/ld+json"]"#)).map(|s| s.text().collect::<String>()).collect();
    Page { title, generator, alternates, json_ld }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_title_generator_and_rdf_alternates() {
        let base = Url::parse("https://data.example.org/dataset/bins").unwrap();
        let page = read(
            r#"<html><head><title> Bin
            rounds </title><meta name="generator" content="ckan 2.10.4">
            <link rel="alternate" type="text/turtle" href="/dataset/bins.ttl">
            <link rel="alternate" type="application/rss+xml" href="/feed">
            <script type="application/ld+json">{"@type":"Dataset"}</script></head></html>"#,
            &base,
        );
        assert_eq!(page.title.as_deref(), Some("Bin rounds"));
        assert!(page.generator.starts_with("ckan"));
        assert_eq!(page.alternates, vec![("text/turtle".to_string(), Url::parse("https://data.example.org/dataset/bins.ttl").unwrap())]);
        assert_eq!(page.json_ld.len(), 1);
    }
}
