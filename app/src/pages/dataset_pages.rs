//! Pages about datasets: all of them, one with its uses and health, a publisher's, and the list
//! of those with problems.
use casebook_domain::paths;
use casebook_domain::views::{DatasetHealthView, DatasetView, LicenceView, ShownDataset};
use casebook_domain::vocabulary::DatasetCondition;
use leptos::prelude::*;
use leptos_meta::Title;

use super::catalogue_pages::{count, page_param, param};
use crate::api::{self, ApiError};
use crate::components::case_study_card::CardList;
use crate::components::follow_button::FollowButton;
use crate::components::layout::CsrfField;
use crate::components::loaded::loaded;
use crate::components::pagination::Pagination;
use casebook_domain::vocabulary::FollowTarget;

/// A dataset's publisher, linked to its page where a portal named it.
pub fn publisher_view(shown: &ShownDataset) -> Option<AnyView> {
    match shown.publisher.clone() {
        Some(p) => Some(view! { <a href=paths::publisher(&p.slug)>{p.name}</a> }.into_any()),
        None => (!shown.publisher_name.is_empty()).then(|| view! { {shown.publisher_name.clone()} }.into_any()),
    }
}

/// A licence, linked where it has an address, and said to be open where Casebook knows it is.
pub fn licence_view(licence: LicenceView) -> AnyView {
    let open = match licence.open {
        Some(true) => " (open)",
        Some(false) => " (not open)",
        None => "",
    };
    match licence.url {
        Some(url) => view! { <a href=url rel="nofollow noopener">{licence.title}</a>{open} }.into_any(),
        None => view! { {licence.title}{open} }.into_any(),
    }
}

/// A dataset's health as a tag and its sentence, with when it was last checked.
#[component]
pub fn HealthText(health: DatasetHealthView) -> impl IntoView {
    let class = match health.condition {
        DatasetCondition::Available => "health health-ok",
        DatasetCondition::Unchecked => "health health-unchecked",
        DatasetCondition::Stale | DatasetCondition::Moved => "health health-warning",
        _ => "health health-problem",
    };
    view! {
        <p class=class>
            <strong>{health.summary}</strong>
            {health.checked_at.map(|at| view! { <span class="caption">" · Last checked "<time datetime=at.iso>{at.display}</time></span> })}
        </p>
    }
}

fn row(label: &'static str, value: AnyView) -> impl IntoView {
    view! { <div class="summary-list-row"><dt class="summary-list-key">{label}</dt><dd class="summary-list-value">{value}</dd></div> }
}

#[component]
fn DatasetTable(datasets: Vec<DatasetView>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="table">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr><th scope="col">"Dataset"</th><th scope="col">"Publisher"</th><th scope="col">"Licence"</th><th scope="col">"Health"</th></tr></thead>
            <tbody>
                {datasets.into_iter().map(|d| {
                    let shown = d.shown(false);
                    view! {
                        <tr>
                            <td><a href=paths::dataset(d.id)>{shown.title.clone()}</a></td>
                            <td>{publisher_view(&shown)}</td>
                            <td>{shown.licence.map(licence_view)}</td>
                            <td>{d.health.summary.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn DatasetsPage() -> impl IntoView {
    loaded(api::datasets(page_param()), |datasets| {
        view! {
            <Title text="Datasets"/>
            <h1 class="heading-xl">"Datasets"</h1>
            <p class="lead">"Open datasets that the services in these case studies use."</p>
            <p>{format!("{} datasets", datasets.total_items)}</p>
            <DatasetTable datasets=datasets.items caption="Datasets"/>
            <Pagination page=datasets.page total_pages=datasets.total_pages href=|n| format!("{}?page={n}", paths::DATASETS)/>
        }
    })
}

#[component]
pub fn DatasetPage() -> impl IntoView {
    let id = param("id").parse::<i32>();
    let load = async move {
        match id {
            Ok(id) => api::dataset(id).await,
            Err(_) => Err(ApiError { kind: casebook_domain::ErrorKind::NotFound, message: "not found".into() }),
        }
    };
    loaded(load, |page| {
        let d = page.dataset;
        let shown = d.shown(false);
        let name = shown.title.clone();
        let publisher = publisher_view(&shown).unwrap_or_else(|| ().into_any());
        let licence = shown.licence.clone().map(licence_view).unwrap_or_else(|| ().into_any());
        let formats = shown.formats.clone();
        let r = d.resolved.clone();
        let uses = page.uses.len();
        view! {
            <Title text=name.clone()/>
            <span class="caption-l">"Dataset"</span>
            <h1 class="heading-xl">{name}</h1>
            <FollowButton target=FollowTarget::Dataset key=d.id.to_string()/>
            <HealthText health=d.health.clone()/>
            {r.as_ref().filter(|r| !r.description.is_empty()).map(|r| view! { <p class="lead">{r.description.clone()}</p> })}
            <dl class="summary-list">
                {row("Publisher", publisher)}
                {row("Licence", licence)}
                {row("Formats", view! { {formats} }.into_any())}
                {r.as_ref().and_then(|r| r.resource_count).map(|n| row("Files and APIs", view! { {n.to_string()} }.into_any()))}
                {r.as_ref().and_then(|r| r.modified.clone()).map(|m| row("Last updated", view! { <time datetime=m.iso>{m.display}</time> }.into_any()))}
                {r.as_ref().and_then(|r| r.frequency.clone()).map(|f| row("Updated", view! { {f} }.into_any()))}
                {row("Web address", view! { <a href=d.url.clone() rel="nofollow noopener">{d.url.clone()}</a> }.into_any())}
                {r.as_ref().map(|r| row("Details from", view! {
                    {format!("{}, read ", r.source)}<time datetime=r.resolved_at.iso.clone()>{r.resolved_at.display.clone()}</time>
                    " from "<a href=r.source_url.clone() rel="nofollow noopener">"its description"</a>
                }.into_any()))}
            </dl>
            <h2 class="heading-l">{format!("Used by {}", count(uses))}</h2>
            <ul class="dataset-uses">
                {page.uses.into_iter().map(|u| view! {
                    <li>
                        <h3 class="heading-s"><a href=paths::case_study(&u.card.slug)>{u.card.title.clone()}</a></h3>
                        <p class="caption">{u.card.organisations.iter().map(|o| o.name.clone()).collect::<Vec<_>>().join(", ")}</p>
                        {(!u.usage.is_empty()).then(|| view! { <p><strong>"How this service uses it: "</strong>{u.usage.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            <h2 class="heading-l">"Health history"</h2>
            {if page.checks.is_empty() {
                view! { <p>"Not checked yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <caption class="visually-hidden">"Checks of this dataset’s link, newest first"</caption>
                        <thead><tr><th scope="col">"Checked"</th><th scope="col">"Outcome"</th><th scope="col">"Detail"</th></tr></thead>
                        <tbody>
                            {page.checks.into_iter().map(|c| view! {
                                <tr>
                                    <td><time datetime=c.at.iso>{c.at.display}</time></td>
                                    <td>{c.outcome.label()}</td>
                                    <td>{c.detail.unwrap_or_else(|| c.status.map(|s| format!("HTTP {s}")).unwrap_or_default())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        }
    })
}

#[component]
pub fn PublisherPage() -> impl IntoView {
    loaded(api::publisher(param("slug")), |page| {
        let services = page.services.len();
        let headline = match services {
            0 => "No published services use this publisher’s data yet".to_string(),
            1 => "Your data is used by 1 service".to_string(),
            n => format!("Your data is used by {n} services"),
        };
        view! {
            <Title text=page.publisher.name.clone()/>
            <span class="caption-l">"Publisher"</span>
            <h1 class="heading-xl">{page.publisher.name}</h1>
            <p class="lead">{headline}</p>
            <h2 class="heading-l">"Datasets"</h2>
            <DatasetTable datasets=page.datasets caption="This publisher’s datasets that case studies use"/>
            <h2 class="heading-l">"Services built on them"</h2>
            <CardList cards=page.services empty="No published case studies use these datasets yet."/>
        }
    })
}

#[component]
pub fn DatasetHealthPage() -> impl IntoView {
    loaded(api::dataset_problems(), |problems| {
        view! {
            <Title text="Dataset health"/>
            <h1 class="heading-xl">"Dataset health"</h1>
            <p class="lead">"Datasets that published case studies link to and whose last check found a problem: withdrawn, moved, private, unavailable, not updated on time, or whose checks were paused after they kept failing."</p>
            {if problems.is_empty() {
                view! { <p>"Every dataset was fine at its last check."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <caption class="visually-hidden">"Datasets with problems"</caption>
                        <thead><tr><th scope="col">"Dataset"</th><th scope="col">"Health"</th><th scope="col">"Used by"</th></tr></thead>
                        <tbody>
                            {problems.into_iter().map(|p| { let name = p.dataset.shown(false).title; view! {
                                <tr>
                                    <td><a href=paths::dataset(p.dataset.id)>{name.clone()}</a></td>
                                    <td>
                                        {p.dataset.health.summary.clone()}
                                        {p.may_check_again.then(|| view! {
                                            <form method="post" action=paths::DATASET_HEALTH class="inline-form">
                                                <CsrfField/>
                                                <input type="hidden" name="dataset" value=p.dataset.id.to_string()/>
                                                <button type="submit" class="button button-secondary">"Check again"<span class="visually-hidden">": "{name}</span></button>
                                            </form>
                                        })}
                                    </td>
                                    <td>{p.case_studies.into_iter().map(|c| view! { <a href=paths::case_study(&c.slug)>{c.name}</a>" " }).collect_view()}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        }
    })
}
