use leptos::prelude::*;

/// Marks someone a provider vouched for as having an address at a public-sector domain.
#[component]
pub fn VerifiedBadge(domain: String) -> impl IntoView {
    view! {
        <strong class="tag tag-verified" title=format!("Verified email address at {domain}")>
            "Verified public servant"<span class="visually-hidden">{format!(" ({domain})")}</span>
        </strong>
    }
}
