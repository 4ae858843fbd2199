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
        // Images only from this site: a third-party image is a tracker in every reader's page.
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !is_image_on_this_site(value) => None,
            _ => Some(value.into()),
        })
        .clean(&unsafe_html)
        .to_string()
}

/// The endings of the images a story may show.
const IMAGE_ENDINGS: [&str; 7] = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"];
/// Where the site acts rather than serves files: an image there would make every reader's
/// browser act (forty `![](/auth/x?n)` in a bio spent each reader's sign-in starts).
const ACTION_PATHS: [&str; 8] = ["/auth/", "/sign-in", "/sign-out", "/fn/", "/api/", "/account", "/import", "/data/"];

/// An image file on this site: a path (`/…`, not `//host/…`) with no query, ending as an image
/// does, outside the paths that act.
fn is_image_on_this_site(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.starts_with("/\\")
        && !url.contains(['?', '#', '\\'])
        && IMAGE_ENDINGS.iter().any(|ending| lower.ends_with(ending))
        && !ACTION_PATHS.iter().any(|path| lower.starts_with(path))
}

/// What is wrong with the story's images, each message naming its line: every image needs
/// alternative text, and images come from this site only.
pub fn image_problems(markdown: &str) -> Vec<String> {
    let line_of = |offset: usize| markdown[..offset.min(markdown.len())].matches('\n').count() + 1;
    let mut problems = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).into_offset_iter();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => open = Some((line_of(range.start), dest_url.to_string(), String::new())),
            Event::Text(text) | Event::Code(text) if open.is_some() => {
                if let Some((_, _, alt)) = open.as_mut() {
                    alt.push_str(&text);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((line, url, alt)) = open.take() {
                    check_image(&mut problems, line, &url, alt.trim().is_empty());
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for tag in html.split('<').skip(1).filter(|t| t.get(..3).is_some_and(|name| name.eq_ignore_ascii_case("img"))) {
                    let tag = tag.split('>').next().unwrap_or_default();
                    let src = attribute(tag, "src").unwrap_or_default();
                    check_image(&mut problems, line_of(range.start), &src, attribute(tag, "alt").is_none_or(|a| a.trim().is_empty()));
                }
            }
            _ => {}
        }
    }
    problems
}

fn check_image(problems: &mut Vec<String>, line: usize, url: &str, no_alt: bool) {
    if no_alt {
        problems.push(format!("Line {line}: add alternative text to the image, saying what it shows (![what it shows]({url}))"));
    }
    if !is_image_on_this_site(url) {
        problems.push(format!(
            "Line {line}: images must be image files on Casebook itself (ending .png, .jpg, .gif, .webp, .avif or .svg); link to {url} instead of showing it"
        ));
    }
}

/// The value of `name="…"` (or '…', or bare) in the inside of an HTML tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        let quote = value.chars().next()?;
        return Some(if quote == '"' || quote == '\'' {
            value[1..].split(quote).next().unwrap_or_default().to_string()
        } else {
            let bare = value.split(|c: char| c.is_ascii_whitespace()).next().unwrap_or_default();
            // `<img src=/a.png/>`: the slash closes the tag.
            bare.strip_suffix('/').filter(|v| !v.is_empty()).unwrap_or(bare).to_string()
        });
    }
    None
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
    use super::{image_problems, plain_text, render};

    #[test]
    fn images_need_alt_text_and_must_be_on_this_site() {
        assert!(image_problems("![Map of bin rounds](/uploads/rounds.png)").is_empty());
        let problems = image_problems(
            "Intro\n\n![](/uploads/rounds.png)\n\n<img src=\"https://tracker.example/p.gif\" alt=\"x\">\n\n<IMG SRC=/a.png>",
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("Line 3: add alternative text"), "{problems:?}");
        assert!(problems[1].starts_with("Line 5: images must be image files on Casebook"), "{problems:?}");
        assert!(problems[2].starts_with("Line 7: add alternative text"), "{problems:?}");
        assert!(!render("![pixel](https://tracker.example/p.gif)").contains("tracker.example"), "stories saved before keep no tracker");
        assert!(render("![Rounds](/uploads/rounds.png)").contains(r#"src="/uploads/rounds.png""#));
        assert!(image_problems("<img src=/a.png alt=Map>").is_empty(), "bare attribute values are read whole");
    }

    #[test]
    fn images_may_not_point_where_the_site_acts() {
        for src in
            ["/auth/github?n=1", "/auth/x.png", "/sign-in", "/fn/preview_markdown", "/api/v1/search.png", "/uploads/a.png?x", "/people/1"]
        {
            let story = format!("![Logo]({src})");
            assert_eq!(image_problems(&story).len(), 1, "{src}");
            assert!(!render(&story).contains("src="), "{src} kept in {}", render(&story));
        }
    }

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
