use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::error_view::NotFound;
use crate::components::layout::Layout;
use crate::pages::{
    account::{AccountDeletedPage, AccountPage},
    case_study_editor::{EditCaseStudyPage, NewCaseStudyPage},
    case_study_list::CaseStudyListPage,
    case_study_page::CaseStudyPage,
    catalogue_pages::{OrganisationPage, OrganisationsPage, PatternPage, PatternsPage, TagPage},
    collection_editor::{EditCollectionPage, NewCollectionPage},
    collection_page::CollectionPage,
    collections_list::CollectionsPage,
    dataset_pages::{DatasetHealthPage, DatasetPage, DatasetsPage, PublisherPage},
    home::HomePage,
    import_page::ImportPage,
    network_editor::{EditNetworkPage, NewNetworkPage},
    network_members::NetworkMembersPage,
    network_page::NetworkPage,
    networks_list::NetworksPage,
    notifications::{DevMailPage, FollowingPage, NotificationsPage, UnsubscribePage},
    open_data_pages::{DevelopersPage, OpenDataPage},
    profile::ProfilePage,
    review_queue::ReviewQueuePage,
    search::SearchPage,
    sign_in::SignInPage,
};

/// The page around every route. It loads no JavaScript: pages with islands add `IslandScripts`.
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="Casebook: how public servants built services with open data, shared so others can learn from them."/>
                <link rel="icon" href="/favicon.ico" sizes="32x32"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The document title. leptos_meta writes it into the page unescaped, and titles carry what
/// people typed (case study titles, search words), so it is escaped here.
fn page_title(title: String) -> String {
    let title = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    if title.is_empty() {
        "Casebook".to_string()
    } else {
        format!("{title} – Casebook")
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route is SsrMode::Async: a page waits for its data before it is sent, so it reads
    // whole without JavaScript and can answer with the right status.
    view! {
        <Stylesheet id="leptos" href="/pkg/casebook.css"/>
        <Title formatter=page_title/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/case-studies") view=CaseStudyListPage ssr=SsrMode::Async/>
                    <Route path=path!("/case-studies/new") view=NewCaseStudyPage ssr=SsrMode::Async/>
                    <Route path=path!("/case-studies/:slug") view=CaseStudyPage ssr=SsrMode::Async/>
                    <Route path=path!("/case-studies/:slug/edit") view=EditCaseStudyPage ssr=SsrMode::Async/>
                    <Route path=path!("/patterns") view=PatternsPage ssr=SsrMode::Async/>
                    <Route path=path!("/patterns/:slug") view=PatternPage ssr=SsrMode::Async/>
                    <Route path=path!("/tags/:slug") view=TagPage ssr=SsrMode::Async/>
                    <Route path=path!("/datasets") view=DatasetsPage ssr=SsrMode::Async/>
                    <Route path=path!("/datasets/health") view=DatasetHealthPage ssr=SsrMode::Async/>
                    <Route path=path!("/datasets/:id") view=DatasetPage ssr=SsrMode::Async/>
                    <Route path=path!("/publishers/:slug") view=PublisherPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations") view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:slug") view=OrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks") view=NetworksPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/new") view=NewNetworkPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:slug") view=NetworkPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:slug/edit") view=EditNetworkPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:slug/members") view=NetworkMembersPage ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:slug/review") view=ReviewQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/collections") view=CollectionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/collections/new") view=NewCollectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/collections/:slug") view=CollectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/collections/:slug/edit") view=EditCollectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/data") view=OpenDataPage ssr=SsrMode::Async/>
                    <Route path=path!("/developers") view=DevelopersPage ssr=SsrMode::Async/>
                    <Route path=path!("/import") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/people/:id") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/deleted") view=AccountDeletedPage ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/following") view=FollowingPage ssr=SsrMode::Async/>
                    <Route path=path!("/unsubscribe/:token") view=UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=path!("/dev/mail") view=DevMailPage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
