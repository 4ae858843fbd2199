//! The HTML Leptos writes, made valid before it leaves: what the Nu HTML Checker refused.
//!
//! - Leptos marks the places of dynamic text with `<!>`, a "bogus comment" to the HTML parser;
//!   `<!---->` is the same empty comment node to the browser (hydration included), and valid.
//! - After `</html>` it appends the state of resources for hydration, as inline scripts. With no
//!   resource to hand over they are empty and dropped; otherwise they move inside `<body>`, and
//!   this response's Content-Security-Policy allows them by their hashes (`InlineScripts`), not
//!   by their nonce: a page kept for anonymous readers is sent many times, and a nonce must not
//!   be.
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest page rewritten; a bigger one is answered with an error (no page comes near it).
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

const EMPTY_STATE: [&str; 2] =
    ["__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];", "__INCOMPLETE_CHUNKS=[];"];

/// Set on a response whose page keeps inline scripts: their CSP sources (`'sha256-…'`).
#[derive(Clone, Debug)]
pub struct InlineScripts(pub String);

pub async fn tidy(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PAGE_BYTES).await else {
        tracing::error!("a page was too large to tidy");
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    let Ok(html) = String::from_utf8(bytes.to_vec()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let (html, scripts) = tidied(&html);
    if !scripts.is_empty() {
        parts.extensions.insert(InlineScripts(scripts.iter().map(|s| csp_hash(s)).collect::<Vec<_>>().join(" ")));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

/// A script's CSP source: the SHA-256 of its text, as the browser hashes it.
fn csp_hash(script: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes())))
}

/// The page made valid, and the text of the inline scripts it still has.
fn tidied(html: &str) -> (String, Vec<String>) {
    let html = html.replace("<!>", "<!---->");
    let Some(end) = html.rfind("</html>") else { return (html, Vec::new()) };
    let (page, trailing) = html.split_at(end + "</html>".len());
    let mut kept = String::new();
    let mut texts = Vec::new();
    let mut rest = trailing;
    while let Some(start) = rest.find("<script") {
        let Some(close) = rest[start..].find("</script>").map(|c| start + c + "</script>".len()) else { break };
        let script = &rest[start..close];
        let inside = script.split_once('>').map(|(_, s)| s.trim_end_matches("</script>")).unwrap_or_default();
        if !EMPTY_STATE.contains(&inside) {
            texts.push(inside.to_string());
            kept.push_str(script);
        }
        rest = &rest[close..];
    }
    let page = page.strip_suffix("</html>").unwrap_or(page);
    let page = match page.rfind("</body>") {
        Some(body_end) => format!("{}{kept}</body></html>", &page[..body_end]),
        None => format!("{page}{kept}</html>"),
    };
    (page, texts)
}

#[cfg(test)]
mod tests {
    use super::tidied;

    #[test]
    fn markers_become_comments_and_nothing_follows_the_document() {
        let leptos = r#"<!DOCTYPE html><html><body><p>a<!>b</p></body></html><script nonce="n1">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script><script nonce="n1">__INCOMPLETE_CHUNKS=[];</script>"#;
        assert_eq!(tidied(leptos), ("<!DOCTYPE html><html><body><p>a<!---->b</p></body></html>".to_string(), Vec::new()));

        let with_state = r#"<html><body><p>x</p></body></html><script nonce="n2">__RESOLVED_RESOURCES=[1];</script>"#;
        let (page, scripts) = tidied(with_state);
        assert_eq!(page, r#"<html><body><p>x</p><script nonce="n2">__RESOLVED_RESOURCES=[1];</script></body></html>"#);
        assert_eq!(scripts, ["__RESOLVED_RESOURCES=[1];"], "kept scripts are allowed by their hashes");
        // What a browser computes for that text (echo -n '…' | openssl sha256 -binary | base64).
        assert_eq!(super::csp_hash(&scripts[0]), "'sha256-Fx0n8lG1Gbco5Kp5uF9DHlsN/L+RMIHiUOSvCpVWIcY='");
    }
}
