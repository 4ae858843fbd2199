use leptos::prelude::*;

/// Previous and next links and page numbers; `href` gives each page's address.
#[component]
pub fn Pagination(page: u64, total_pages: u64, #[prop(into)] href: Callback<u64, String>) -> impl IntoView {
    if total_pages <= 1 {
        return ().into_any();
    }
    let numbers = (1..=total_pages)
        .filter(|n| *n == 1 || *n == total_pages || n.abs_diff(page) <= 2)
        .map(|n| {
            let current = n == page;
            view! {
                <li class="pagination-item" class:pagination-current=current>
                    <a href=href.run(n) aria-label=format!("Page {n}") aria-current=current.then_some("page")>{n}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="pagination" aria-label="Pages of results">
            {(page > 1).then(|| view! { <a class="pagination-prev" href=href.run(page - 1) rel="prev">"Previous"<span class="visually-hidden">" page"</span></a> })}
            <ul class="pagination-list">{numbers}</ul>
            {(page < total_pages).then(|| view! { <a class="pagination-next" href=href.run(page + 1) rel="next">"Next"<span class="visually-hidden">" page"</span></a> })}
        </nav>
    }
    .into_any()
}
