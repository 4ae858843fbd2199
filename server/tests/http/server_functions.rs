//! Server functions answer over HTTP too, as islands call them.

use crate::support::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn server_functions_answer_json() -> anyhow::Result<()> {
    let mut app = TestApp::start().await?;
    let preview = app.post("/fn/preview_markdown", &[("markdown", "## Hello\n\n<script>x</script>\n\n**bold**")]).await?;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("<h2>Hello</h2>") && preview.body.contains("<strong>bold</strong>"));
    assert!(!preview.body.contains("<script"));

    let study = app.post("/fn/case_study", &[("slug", "no-such-case-study")]).await?;
    assert_eq!(study.status, StatusCode::INTERNAL_SERVER_ERROR, "server function errors use the error status");
    assert!(study.body.contains("NotFound"));

    let patterns = app.post("/fn/patterns", &[]).await?;
    assert_eq!(patterns.status, StatusCode::OK);
    assert!(patterns.body.contains("develop-policy"));

    let too_long = "x".repeat(60_000);
    let refused = app.post("/fn/preview_markdown", &[("markdown", &too_long)]).await?;
    assert_ne!(refused.status, StatusCode::OK);
    assert!(refused.body.contains("too long"));
    Ok(())
}
