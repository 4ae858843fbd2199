//! `/import`, for admins: upload a file, read the dry run's report, confirm. Plain forms: it
//! works the same without JavaScript.
use casebook_domain::paths;
use casebook_domain::views::{ImportOutcome, ImportReport};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::import_page;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;

#[component]
pub fn ImportPage() -> impl IntoView {
    loaded(import_page(), |outcome| {
        view! {
            <Title text="Import case studies"/>
            <h1 class="heading-xl">"Import case studies"</h1>
            {outcome.map(|outcome| view! { <Outcome outcome/> })}
            <Upload/>
        }
    })
}

fn summary(report: &ImportReport, dry_run: bool) -> String {
    let rows = if report.rows == 1 { "1 row".to_string() } else { format!("{} rows", report.rows) };
    let organisations = match report.organisations_created {
        0 => String::new(),
        n => format!(
            " It {} {n} organisation{} the site did not have.",
            if dry_run { "would add" } else { "added" },
            if n == 1 { "" } else { "s" }
        ),
    };
    let (created, updated, unchanged, problems) = (report.created, report.updated, report.unchanged, report.rows_with_problems());
    if dry_run {
        format!("{rows} read. Importing would create {created}, update {updated} and leave {unchanged} unchanged; {problems} with problems would be left out.{organisations}")
    } else {
        format!(
            "{rows} read: {created} created, {updated} updated, {unchanged} unchanged; {problems} with problems left out.{organisations}"
        )
    }
}

#[component]
fn Outcome(outcome: ImportOutcome) -> impl IntoView {
    let report = outcome.report;
    let ready = report.created + report.updated;
    let heading = if outcome.dry_run { format!("Checked {}", outcome.file_name) } else { format!("Imported {}", outcome.file_name) };
    view! {
        <section class="import-outcome" aria-labelledby="outcome-heading">
            <h2 class="heading-l" id="outcome-heading">{heading}</h2>
            <p class="body" role="status">{summary(&report, outcome.dry_run)}</p>
            {(!report.problems.is_empty()).then(|| view! {
                <table class="table">
                    <caption class="heading-m">{if outcome.dry_run { "Problems to fix: these rows will not be imported" } else { "Problems: these rows were not imported" }}</caption>
                    <thead><tr><th scope="col">"Row"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                    <tbody>
                        {report.problems.iter().map(|p| view! {
                            <tr>
                                <td>{if p.row == 0 { "The file".to_string() } else { p.row.to_string() }}</td>
                                <td>{p.column.clone()}</td>
                                <td>{p.message.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {(outcome.dry_run && ready > 0).then(|| view! {
                <form method="post" action=paths::IMPORT_CONFIRM>
                    <CsrfField/>
                    <input type="hidden" name="file_name" value=outcome.file_name.clone()/>
                    <input type="hidden" name="payload" value=outcome.payload.clone()/>
                    <input type="hidden" name="datasets_payload" value=outcome.datasets_payload.clone()/>
                    <button class="button" type="submit">{format!("Import {ready} case {}", if ready == 1 { "study" } else { "studies" })}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn Upload() -> impl IntoView {
    view! {
        <form method="post" action=paths::IMPORT enctype="multipart/form-data" class="import-upload">
            <CsrfField/>
            <p class="body">
                "Bring in published case studies from this site's own downloads ("<a href=paths::OPEN_DATA>"the columns are described here"</a>
                ") or a spreadsheet with the same column headings. Each row's "<code>"id"</code>" is its key: importing the same file again changes nothing. "
                "You see a report of every problem before anything is saved."
            </p>
            <div class="form-group">
                <label class="label" for="import-file">"The case studies (.json or .csv, up to 4 MB)"</label>
                <input class="file-input" id="import-file" type="file" name="file" accept=".json,.csv,application/json,text/csv" required/>
            </div>
            <div class="form-group">
                <label class="label" for="import-datasets">"With a CSV, the datasets they use (case-study-datasets.csv), if you have it"</label>
                <input class="file-input" id="import-datasets" type="file" name="datasets" accept=".csv,text/csv"/>
            </div>
            <button class="button button-secondary" type="submit">"Check the file"</button>
        </form>
    }
}
