//! Markdown to HTML that is safe to put in a page: whatever the author typed, no script,
//! event handler, style or `javascript:` URL survives.
use std::collections::HashSet;

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub fn render(markdown: &str) -> String {
    // The page's title is its only h1, so a `#` heading in the story becomes an h2.
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("nofollow noopener noreferrer"))
        .rm_tags(["h1"])
        .clean(&unsafe_html)
        .to_string()
}

/// The words of a story without its markup, for the search index.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::{plain_text, render};

    #[test]
    fn keeps_ordinary_markdown() {
        let html = render("## What we built\n\n- a **finder**\n- [data](https://example.org/data)");
        assert!(html.contains("<h2>What we built</h2>"));
        assert!(html.contains("<strong>finder</strong>"));
        assert!(html.contains(r#"href="https://example.org/data""#));
        assert!(html.contains("noopener"));
    }

    #[test]
    fn the_story_never_adds_a_second_h1() {
        assert_eq!(render("# Top\n\n## Next").trim(), "<h2>Top</h2>\n<h2>Next</h2>");
        assert!(!render("<h1>Raw</h1>").contains("<h1"));
    }

    #[test]
    fn hostile_markdown_is_defused() {
        let hostile = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "<a href=\"javascript&#58;alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<svg><script>alert(1)</script></svg>",
            "<p style=\"background:url(javascript:alert(1))\">x</p>",
            "<div onmouseover=\"alert(1)\">hover</div>",
            "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<form action=\"https://evil.example\"><input name=q></form>",
            "<object data=\"x.swf\"></object>",
        ];
        for input in hostile {
            let html = render(input).to_lowercase();
            for banned in
                ["<script", "onerror", "onmouseover", "javascript:", "<iframe", "style=", "data:text", "<form", "<object", "<input"]
            {
                assert!(!html.contains(banned), "{banned:?} survived in {html:?} from {input:?}");
            }
        }
    }

    #[test]
    fn plain_text_keeps_the_words_only() {
        assert_eq!(
            plain_text("## The problem\n\nToo many **bin** calls.").split_whitespace().collect::<Vec<_>>(),
            ["The", "problem", "Too", "many", "bin", "calls."]
        );
    }
}
