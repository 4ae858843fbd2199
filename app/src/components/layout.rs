use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::request::request_state;

const NAV: [(&str, &str); 6] = [
    ("/case-studies", "Case studies"),
    ("/patterns", "Patterns"),
    ("/networks", "Networks"),
    ("/collections", "Collections"),
    ("/datasets", "Datasets"),
    ("/organisations", "Organisations"),
];

/// The sign-in page, asked to come back to `path` afterwards.
pub fn sign_in_href(path: &str) -> String {
    casebook_domain::paths::sign_in_returning_to(path)
}

/// The hidden field that carries the form token in every form that changes something.
#[component]
pub fn CsrfField() -> impl IntoView {
    view! { <input type="hidden" name="csrf_token" value=request_state().form_token.for_form()/> }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let state = request_state();
    let path = use_location().pathname.get_untracked();
    let nav = NAV
        .iter()
        .map(|(href, label)| {
            let current = path == *href || path.starts_with(&format!("{href}/"));
            view! {
                <li class="nav-item">
                    <a href=*href aria-current=current.then_some("page")>{*label}</a>
                </li>
            }
        })
        .collect_view();
    let bounced = state.viewer.as_ref().is_some_and(|v| v.email_bounced);
    let account = match state.viewer {
        Some(viewer) => view! {
            <p class="account-name">"Signed in as " <a href=casebook_domain::paths::person(viewer.user_id) class="header-link"><strong>{viewer.display_name}</strong></a></p>
            <a href=casebook_domain::paths::NOTIFICATIONS class="header-link">
                "Notifications"
                {(viewer.unread > 0).then(|| view! { " " <span class="count-badge">{viewer.unread.to_string()}<span class="visually-hidden">" unread"</span></span> })}
            </a>
            <a href="/account" class="header-link">"Your account"</a>
            <a href="/case-studies/new" class="button button-inverse">"Share a case study"</a>
            <form method="post" action="/sign-out" class="inline-form">
                <CsrfField/>
                <button type="submit" class="link-button">"Sign out"</button>
            </form>
        }
        .into_any(),
        None => view! { <a href=sign_in_href(&path) class="header-link">"Sign in"</a> }.into_any(),
    };
    view! {
        <a href="#main-content" class="skip-link">"Skip to main content"</a>
        <header class="site-header">
            <div class="width-container header-inner">
                <a href="/" class="site-name">"Casebook"</a>
                <form class="header-search" method="get" action="/search" role="search" aria-label="Site">
                    <label class="visually-hidden" for="site-search">"Search case studies"</label>
                    <input class="header-search-input" type="search" id="site-search" name="q" placeholder="Search case studies"/>
                    <button type="submit" class="header-search-button">"Search"</button>
                </form>
                <div class="account">{account}</div>
            </div>
            <div class="width-container">
                <nav aria-label="Main">
                    <ul class="nav-list">{nav}</ul>
                </nav>
            </div>
            <div class="phase-banner">
                <div class="width-container">
                    <strong class="tag">"Beta"</strong>
                    " This is a new service. Case studies marked "
                    <strong>"demo"</strong>
                    " are illustrative, not real projects."
                </div>
            </div>
        </header>
        {bounced.then(|| view! {
            <div class="width-container">
                <div class="notification-banner" role="region" aria-labelledby="bounced-title">
                    <h2 class="notification-banner-title" id="bounced-title">"Your email address refused our mail"</h2>
                    <p>"We have stopped sending you email. "<a href=casebook_domain::paths::FOLLOWING>"Check your address and turn email back on"</a>"."</p>
                </div>
            </div>
        })}
        <div class="width-container">
            <main id="main-content" tabindex="-1">{children()}</main>
        </div>
        <footer class="site-footer">
            <div class="width-container">
                <p>
                    "Casebook is where public servants share how they built services with open data. "
                    "Case studies are published under the licence shown on each one, Creative Commons Attribution 4.0 unless stated."
                </p>
                <ul class="footer-links">
                    <li><a href=casebook_domain::paths::OPEN_DATA>"Open data downloads"</a></li>
                    <li><a href=casebook_domain::paths::DEVELOPERS>"API for developers"</a></li>
                </ul>
            </div>
        </footer>
    }
}
