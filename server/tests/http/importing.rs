//! Admins importing on the web: the upload is checked and reported with nothing saved, the
//! confirm imports what was checked, and a second confirm changes nothing. Nobody else may.
use axum::http::StatusCode;
use casebook_domain::identity::roles::{self, Role, Source};

use crate::support::{user_id, TestApp};

const SHEET: &str = "id,title,summary,body,service_area,phase,licence,region,patterns\n\
    web-one,Imported on the web,Brought in from a spreadsheet.,The story.,housing,beta,CC-BY-4.0,Wales,engage-with-services\n\
    web-two,Not this one,Brought in from a spreadsheet.,The story.,housing,finished,CC-BY-4.0,Wales,engage-with-services\n";

/// The confirm form's fields, as the page gives them.
fn confirm_fields(html: &str) -> Vec<(String, String)> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(r#"form[action="/import/confirm"] input"#).expect("a selector");
    document
        .select(&selector)
        .filter_map(|input| Some((input.value().attr("name")?.to_string(), input.value().attr("value").unwrap_or_default().to_string())))
        .collect()
}

#[tokio::test]
async fn an_admin_checks_a_spreadsheet_then_confirms_the_import() -> anyhow::Result<()> {
    let mut admin = TestApp::start().await?;
    roles::grant(&admin.db, user_id(&admin, "Gareth Llewellyn").await?, Role::Admin, Source::Command).await?;
    admin.sign_in_as("Gareth").await?;
    let page = admin.get("/import").await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"enctype="multipart/form-data""#));
    let token = admin.csrf_token().await?;

    let checked = admin
        .post_multipart("/import", &[("csrf_token", None, &token), ("file", Some("sheet.csv"), SHEET), ("datasets", Some(""), "")])
        .await?;
    assert_eq!(checked.status, StatusCode::UNPROCESSABLE_ENTITY, "a report with problems");
    assert!(checked.body.contains("Importing would create 1, update 0 and leave 0 unchanged; 1 with problems"), "{}", checked.body);
    assert!(checked.body.contains("<td>2</td><td>phase</td>"), "the problem by row and column");
    assert!(checked.body.contains("Import 1 case study"));
    let mut reader = admin.new_browser();
    assert_eq!(reader.get("/case-studies/web-one").await?.status, StatusCode::NOT_FOUND, "nothing saved by a check");

    let fields = confirm_fields(&checked.body);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(fields.iter().any(|(k, v)| *k == "payload" && *v == SHEET), "the file comes back whole");
    let imported = admin.post("/import/confirm", &fields).await?;
    assert_eq!(imported.status, StatusCode::OK);
    assert!(imported.body.contains("2 rows read: 1 created, 0 updated, 0 unchanged; 1 with problems left out."), "{}", imported.body);
    assert!(reader.get("/case-studies/web-one").await?.body.contains("Imported on the web"));
    let again = admin.post("/import/confirm", &fields).await?;
    assert!(again.body.contains("0 created, 0 updated, 1 unchanged"), "a second import changes nothing");

    let forged: Vec<(&str, &str)> = fields.iter().map(|&(k, v)| if k == "csrf_token" { (k, "forged") } else { (k, v) }).collect();
    assert_eq!(admin.post("/import/confirm", &forged).await?.status, StatusCode::FORBIDDEN);
    let unreadable = admin.post_multipart("/import", &[("csrf_token", None, &token), ("file", Some("sheet.xlsx"), "PK")]).await?;
    assert!(unreadable.body.contains("Give a .json or a .csv file"));

    let mut member = admin.new_browser();
    member.sign_in_as("Mei Lin").await?;
    assert_eq!(member.get("/import").await?.status, StatusCode::FORBIDDEN);
    let token = member.csrf_token().await?;
    let refused = member.post_multipart("/import", &[("csrf_token", None, &token), ("file", Some("sheet.csv"), SHEET)]).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The confirm asks whether the person may import before it reads what may be 24 MiB: a
    // body over any limit is refused as theirs to send, not read and parsed twice first.
    let huge = "x".repeat(30 * 1024 * 1024);
    let confirm = member.post("/import/confirm", &[("csrf_token", &token), ("payload", &huge)]).await?;
    assert_eq!(confirm.status, StatusCode::FORBIDDEN);
    assert!(confirm.body.contains("You cannot do that"), "refused for who they are, not for the size");
    assert_eq!(reader.get("/import").await?.status, StatusCode::UNAUTHORIZED);
    Ok(())
}
