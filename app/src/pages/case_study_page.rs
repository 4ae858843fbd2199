use casebook_domain::views::{AuthorCredit, CaseStudyView, LinkedDataset, RevisionView};
use casebook_domain::vocabulary::Status;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::{case_study, refused_post};
use crate::components::case_study_card::{CardList, PhaseTag};
use crate::components::follow_button::FollowButton;
use crate::components::form_fields::ProblemSummary;
use crate::components::loaded::loaded;
use crate::components::sharing_panel::SharingPanel;
use crate::components::verified_badge::VerifiedBadge;
use crate::pages::dataset_pages::{licence_view, publisher_view, HealthText};
use crate::request::set_status;
use casebook_domain::vocabulary::FollowTarget;

#[component]
pub fn CaseStudyPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug").unwrap_or_default();
    let load = async move {
        let (study, linked_data) = case_study(slug).await?;
        Ok::<_, crate::api::ApiError>((study, refused_post().await?, linked_data))
    };
    loaded(load, |(study, problem, linked_data)| {
        view! {
            <CaseStudy study problem/>
            {linked_data.map(|json| view! { <script type="application/ld+json" inner_html=json></script> })}
        }
    })
}

fn link_list(links: Vec<casebook_domain::views::Link>, base: &'static str) -> impl IntoView {
    view! {
        <ul class="inline-list">
            {links.into_iter().map(|l| view! { <li><a href=format!("{base}/{}", l.slug)>{l.name}</a></li> }).collect_view()}
        </ul>
    }
}

/// A row of the facts panel, left out when it has nothing to say.
fn fact(label: &'static str, value: Option<AnyView>) -> impl IntoView {
    value.map(|value| view! { <div class="summary-list-row"><dt class="summary-list-key">{label}</dt><dd class="summary-list-value">{value}</dd></div> })
}

#[component]
fn CaseStudy(study: CaseStudyView, problem: Option<casebook_domain::views::FormProblem>) -> impl IntoView {
    if let Some(p) = &problem {
        set_status(if p.message.is_some() {
            casebook_domain::ErrorKind::Conflict.status()
        } else {
            casebook_domain::ErrorKind::Invalid.status()
        });
    }
    let card = study.card;
    let slug = card.slug.clone();
    let edit_href = casebook_domain::paths::edit_case_study(&card.slug);
    let published = card.status == Status::Published;
    let notice = match card.status {
        Status::Draft => Some("This is a draft. Only its authors can see it."),
        Status::Archived => Some("This case study has been archived. It is kept for reference and no longer listed."),
        Status::Published => None,
    };
    let dates = match (study.start_date, study.end_date) {
        (Some(start), Some(end)) => {
            Some(view! { <time datetime=start.iso>{start.display}</time>" to "<time datetime=end.iso>{end.display}</time> }.into_any())
        }
        (Some(start), None) => Some(view! { "Since "<time datetime=start.iso>{start.display}</time> }.into_any()),
        (None, Some(end)) => Some(view! { "Until "<time datetime=end.iso>{end.display}</time> }.into_any()),
        (None, None) => None,
    };
    let contact = (!study.contact.is_empty()).then(|| {
        let contact = study.contact.clone();
        if contact.starts_with("https://") || contact.starts_with("http://") {
            view! { <a href=contact.clone() rel="nofollow noopener">{contact.clone()}</a> }.into_any()
        } else if contact.contains('@') && !contact.contains(char::is_whitespace) {
            view! { <a href=format!("mailto:{contact}")>{contact.clone()}</a> }.into_any()
        } else {
            view! { {contact} }.into_any()
        }
    });
    // Authors learn of a problem with their datasets where they will see it.
    let dataset_problems: Vec<String> = if study.can_edit {
        study
            .datasets
            .iter()
            .filter(|d| d.dataset.health.is_problem())
            .map(|d| format!("{}: {}", d.shown().title, d.dataset.health.summary))
            .collect()
    } else {
        Vec::new()
    };
    let practices = study.practices.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ");
    view! {
        <Title text=card.title.clone()/>
        <ProblemSummary problem=problem.clone()/>
        {card.is_demo.then(|| view! {
            <div class="notice notice-demo"><strong class="tag tag-grey">"Demo content"</strong>" This case study is illustrative: the organisations and people in it are fictional."</div>
        })}
        {notice.map(|text| view! { <div class="notice" role="status"><strong>{text}</strong></div> })}
        <span class="caption-l">{card.service_area.label()}</span>
        <h1 class="heading-xl">{card.title}</h1>
        <p class="lead">{card.summary}</p>
        {published.then(|| view! { <FollowButton target=FollowTarget::CaseStudy key=slug.clone()/> })}
        {(!dataset_problems.is_empty()).then(|| view! {
            <div class="notice notice-warning" role="status">
                <p><strong>"A dataset this case study links to has a problem"</strong></p>
                <ul>{dataset_problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                <p>"Check the link, or update the case study if the service now uses other data."</p>
            </div>
        })}
        {study.can_edit.then(|| view! { <p><a class="button button-secondary" href=edit_href>"Edit this case study"</a></p> })}
        <div class="case-study-layout">
            <div class="case-study-main">
                <div class="prose" inner_html=study.body_html></div>
                {(!study.outcomes.is_empty()).then(|| view! { <h2 class="heading-l">"Outcomes"</h2><p class="pre-line">{study.outcomes}</p> })}
                {(!study.lessons.is_empty()).then(|| view! { <h2 class="heading-l">"Lessons learned"</h2><p class="pre-line">{study.lessons}</p> })}
                <h2 class="heading-l">"Datasets the service uses"</h2>
                <Datasets datasets=study.datasets/>
                {(!study.related.is_empty()).then(|| view! {
                    <section aria-labelledby="related-heading">
                        <h2 class="heading-l" id="related-heading">"Related case studies"</h2>
                        <CardList cards=study.related empty=""/>
                    </section>
                })}
                <SharingPanel slug sharing=study.sharing problem/>
                <h2 class="heading-l" id="history">"Revision history"</h2>
                <History revisions=study.revisions/>
            </div>
            <aside class="case-study-facts" aria-labelledby="facts-heading">
                <h2 class="heading-m" id="facts-heading">"Facts"</h2>
                <dl class="summary-list">
                    {fact("Phase", Some(view! { <PhaseTag phase=card.phase/> }.into_any()))}
                    {fact("Service area", Some(view! { <a href=casebook_domain::paths::case_studies(&format!("service_area={}", card.service_area.slug()))>{card.service_area.label()}</a> }.into_any()))}
                    {fact("Region", Some(view! { {card.region} }.into_any()))}
                    {fact("Dates", dates)}
                    {fact("Organisations", (!card.organisations.is_empty()).then(|| link_list(card.organisations, "/organisations").into_any()))}
                    {fact("Authors", Some(view! { <Authors authors=study.authors/> }.into_any()))}
                    {fact("Patterns", (!card.patterns.is_empty()).then(|| link_list(card.patterns, "/patterns").into_any()))}
                    {fact("Practices", (!practices.is_empty()).then(|| view! { {practices} }.into_any()))}
                    {fact("Tags", (!study.tags.is_empty()).then(|| link_list(study.tags, "/tags").into_any()))}
                    {fact("Get in touch", contact)}
                    {fact("Published", study.published.map(|p| view! { <time datetime=p.iso>{p.display}</time> }.into_any()))}
                    {fact("Last updated", Some(view! { <time datetime=card.updated.iso>{card.updated.display}</time> }.into_any()))}
                    {fact("Licence", Some(view! { {study.licence.label()} }.into_any()))}
                </dl>
            </aside>
        </div>
    }
}

/// Each author linked to their profile, with the verified public servant badge where earned.
#[component]
fn Authors(authors: Vec<AuthorCredit>) -> impl IntoView {
    view! {
        <ul class="plain-list">
            {authors.into_iter().map(|a| {
                let name = match a.user_id {
                    Some(id) => view! { <a href=casebook_domain::paths::person(id)>{a.name}</a> }.into_any(),
                    None => view! { {a.name} }.into_any(),
                };
                view! { <li>{name}{a.verified_domain.map(|domain| view! { " " <VerifiedBadge domain/> })}</li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Datasets(datasets: Vec<LinkedDataset>) -> impl IntoView {
    if datasets.is_empty() {
        return view! { <p>"No datasets have been linked yet."</p> }.into_any();
    }
    view! {
        <ul class="dataset-list">
            {datasets.into_iter().map(|d| {
                let shown = d.shown();
                let publisher = publisher_view(&shown);
                let licence = shown.licence.clone().map(licence_view);
                let formats = (!shown.formats.is_empty()).then(|| view! { {shown.formats.clone()} }.into_any());
                view! {
                    <li class="dataset">
                        <h3 class="heading-s"><a href=casebook_domain::paths::dataset(d.dataset.id)>{shown.title.clone()}</a></h3>
                        {(!d.usage.is_empty()).then(|| view! { <p>{d.usage.clone()}</p> })}
                        <dl class="dataset-facts">
                            {publisher.map(|p| view! { <div><dt>"Publisher"</dt><dd>{p}</dd></div> })}
                            {licence.map(|l| view! { <div><dt>"Licence"</dt><dd>{l}</dd></div> })}
                            {formats.map(|f| view! { <div><dt>"Formats"</dt><dd>{f}</dd></div> })}
                        </dl>
                        <HealthText health=d.dataset.health.clone()/>
                        <p><a href=d.dataset.url.clone() rel="nofollow noopener">"Open the data"<span class="visually-hidden">{format!(": {}", shown.title)}</span></a></p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn History(revisions: Vec<RevisionView>) -> impl IntoView {
    view! {
        <ol class="history" reversed>
            {revisions.into_iter().map(|r| view! {
                <li class="history-item">
                    <p><strong>{format!("Revision {}", r.number)}</strong>" by "{r.author}", "<time datetime=r.at.iso>{r.at.display}</time></p>
                    <p class="caption">{if r.changed == ["Created"] { "Created".to_string() } else { format!("Changed: {}", r.changed.join(", ")) }}</p>
                </li>
            }).collect_view()}
        </ol>
    }
}
