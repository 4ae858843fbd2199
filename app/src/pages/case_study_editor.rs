use casebook_domain::forms::limits;
use casebook_domain::views::{EditConflict, EditorView, Link};
use casebook_domain::vocabulary::{Licence, Phase, Practice, ServiceArea, Status};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::case_study_editor;
use crate::components::body_editor::BodyEditor;
use crate::components::dataset_lookup::{DatasetLookup, DatasetLookups};
use crate::components::form_fields::{Choice, Choices, ErrorSummary, Select, TextArea, TextInput};
use crate::components::island_scripts::IslandScripts;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::request::set_status;

/// The token of answers kept while the person signed in again, from the sign-in link.
fn resume() -> Option<String> {
    use_query_map().get_untracked().get("resume").filter(|t| !t.is_empty())
}

#[component]
pub fn NewCaseStudyPage() -> impl IntoView {
    loaded(case_study_editor(None, resume()), |editor| view! { <Editor editor/> })
}

#[component]
pub fn EditCaseStudyPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    loaded(case_study_editor(Some(slug), resume()), |editor| view! { <Editor editor/> })
}

fn vocabulary<T: Copy>(all: &[T], slug: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|&t| (slug(t).to_string(), label(t).to_string())).collect()
}

fn links(links: Vec<Link>) -> Vec<Choice> {
    links.into_iter().map(|l| (l.slug, l.name)).collect()
}

/// Someone else saved first: what they saved, beside the person's own answers in the form.
#[component]
fn ConflictPanel(conflict: EditConflict) -> impl IntoView {
    view! {
        <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="conflict-title">
            <h2 class="error-summary-title" id="conflict-title">"Someone else saved this case study while you were editing it"</h2>
            <p class="body">"Nothing has been lost. Your answers are in the form below; what is saved now differs in these fields:"</p>
            <dl class="conflict-fields">
                {conflict.fields.into_iter().map(|field| view! {
                    <dt>{field.label}</dt>
                    <dd class="conflict-saved">{field.saved}</dd>
                }).collect_view()}
            </dl>
            <p class="body">"Save again to replace the saved version with yours, or copy what you need from it first."</p>
        </div>
    }
}

#[component]
fn Editor(editor: EditorView) -> impl IntoView {
    let EditorView { slug, title, form, errors, conflict, resume_after_sign_in, patterns, organisations, lookup } = editor;
    if resume_after_sign_in.is_some() {
        set_status(casebook_domain::ErrorKind::Unauthenticated.status());
    } else if conflict.is_some() {
        set_status(casebook_domain::ErrorKind::Conflict.status());
    } else if !errors.is_empty() {
        set_status(casebook_domain::ErrorKind::Invalid.status());
    }
    let error = |field: &str| errors.get(field).map(str::to_string);
    let page_title = if errors.is_empty() && conflict.is_none() { title.clone() } else { format!("Error: {title}") };
    let editing = slug.is_some();
    let action = casebook_domain::paths::case_study_form(slug.as_deref());
    let statuses: Vec<Choice> = Status::ALL
        .iter()
        .filter(|s| editing || **s != Status::Archived)
        .map(|s| {
            let label = match s {
                Status::Draft => "Draft: only the authors can see it",
                Status::Published => "Published: everyone can see it",
                Status::Archived => "Archived: kept for reference, no longer listed",
            };
            (s.slug().to_string(), label.to_string())
        })
        .collect();
    let dataset_rows = form.dataset_rows();
    view! {
        <Title text=page_title/>
        <h1 class="heading-xl">{title}</h1>
        <ErrorSummary errors=errors.clone()/>
        {conflict.map(|conflict| view! { <ConflictPanel conflict/> })}
        {resume_after_sign_in.map(|href| view! { <p><a href=href class="button">"Sign in to save your answers"</a></p> })}
        <form class="editor" method="post" action=action novalidate>
            <CsrfField/>
            <input type="hidden" name="version" value=form.version.to_string()/>
            <h2 class="heading-l">"About the service"</h2>
            <TextInput id="title" label="Title" value=form.title error=error("title")
                hint=format!("A specific name people would search for, like ‘Bin collection day finder’. Up to {} characters.", limits::TITLE)/>
            <TextArea id="summary" label="Summary" value=form.summary error=error("summary") rows=3
                hint=format!("One or two sentences shown in lists. Plain text, up to {} characters.", limits::SUMMARY)/>
            <Select id="service_area" label="Service area" selected=form.service_area error=error("service_area")
                choices=vocabulary(ServiceArea::ALL, ServiceArea::slug, ServiceArea::label) placeholder="Choose a service area"/>
            <Choices id="phase" legend="Which phase did the service reach?" selected=vec![form.phase] error=error("phase")
                choices=vocabulary(Phase::ALL, Phase::slug, Phase::label)/>
            <TextInput id="region" label="Region" value=form.region error=error("region") hint="For example North West England, Wales or UK-wide"/>
            <TextInput id="start_date" label="Start date (optional)" value=form.start_date error=error("start_date") input_type="date" hint="For example 2024-03-27"/>
            <TextInput id="end_date" label="End date (optional)" value=form.end_date error=error("end_date") input_type="date" hint="Leave empty if the work is still going on"/>

            <h2 class="heading-l">"The story"</h2>
            <BodyEditor value=form.body error=error("body")
                hint="The problem, what you built, how the data helped. Markdown works: ## for headings, - for lists, [text](https://…) for links.".to_string()/>
            <TextArea id="outcomes" label="Outcomes (optional)" value=form.outcomes error=error("outcomes") hint="What changed, with figures where you have them"/>
            <TextArea id="lessons" label="Lessons learned (optional)" value=form.lessons error=error("lessons") hint="What you would tell a team starting the same work"/>

            <h2 class="heading-l">"How you worked"</h2>
            <Choices id="patterns" legend="Patterns" multiple=true selected=form.patterns error=error("patterns")
                hint="Why was the open data released? Select all that apply." choices=links(patterns)/>
            <Choices id="practices" legend="Practices (optional)" multiple=true small=true selected=form.practices error=error("practices")
                choices=vocabulary(Practice::ALL, Practice::slug, Practice::label)/>
            <Choices id="organisations" legend="Organisations (optional)" multiple=true small=true selected=form.organisations error=error("organisations")
                hint="The organisations that ran or delivered the service" choices=links(organisations)/>
            <TextInput id="tags" label="Tags (optional)" value=form.tags error=error("tags")
                hint=format!("Separate tags with commas, for example: bin collection, uprn. Up to {} tags.", limits::TAGS)/>

            <h2 class="heading-l">"Datasets the service uses"</h2>
            <p class="hint">"Link the open datasets behind the service: paste a dataset’s web address and look it up, and Casebook fills in what its portal says and keeps it up to date. Leave a row empty to skip it; save to get more rows."</p>
            {errors.get("datasets").map(|e| view! { <p class="error-message" id="datasets">{e.to_string()}</p> })}
            {dataset_rows.into_iter().enumerate().map(|(index, row)| {
                let n = index + 1;
                let id = |field: &str| format!("dataset_{field}_{n}");
                let found = lookup.as_ref().filter(|l| l.row == n).map(|l| l.found.clone());
                let keep_own = id("keep_own");
                view! {
                    <fieldset class="fieldset dataset-row">
                        <legend class="fieldset-legend">{format!("Dataset {n}")}</legend>
                        <TextInput id=id("url") name="dataset_url" label="Web address" value=row.url error=error(&id("url")) input_type="url" hint="The dataset’s page on its portal, starting with https://"/>
                        <DatasetLookup row=n found=found/>
                        <TextInput id=id("title") name="dataset_title" label="Title (optional once looked up)" value=row.title error=error(&id("title"))/>
                        <TextInput id=id("publisher") name="dataset_publisher" label="Publisher (optional)" value=row.publisher error=error(&id("publisher"))/>
                        <TextInput id=id("licence") name="dataset_licence" label="Licence (optional)" value=row.licence error=error(&id("licence")) hint="For example Open Government Licence v3.0"/>
                        <TextInput id=id("format") name="dataset_format" label="Format (optional)" value=row.format error=error(&id("format")) hint="For example CSV, GTFS or a JSON API"/>
                        <div class="form-group checkboxes checkboxes-small">
                            <div class="choice">
                                <input class="choice-input" type="checkbox" id=keep_own.clone() name="dataset_keep_own" value=n.to_string() checked=row.keep_own/>
                                <label class="label choice-label" for=keep_own>"Show the details I typed instead of the portal’s"</label>
                            </div>
                        </div>
                        <TextArea id=id("usage") name="dataset_usage" label="How the service uses it (optional)" value=row.usage error=error(&id("usage")) rows=2/>
                    </fieldset>
                }
            }).collect_view()}
            <DatasetLookups/>

            <h2 class="heading-l">"Publishing"</h2>
            <TextInput id="contact" label="Get in touch (optional)" value=form.contact error=error("contact")
                hint="An email address, a web page, or how people can reach the team"/>
            <Select id="licence" label="Licence for this write-up" selected=form.licence error=error("licence")
                choices=vocabulary(Licence::ALL, Licence::slug, Licence::label)/>
            <Choices id="status" legend="Status" selected=vec![form.status] error=error("status") choices=statuses/>
            <button type="submit" class="button">{if editing { "Save changes" } else { "Save case study" }}</button>
        </form>
        <IslandScripts/>
    }
}
