//! The search conformance suite: the same documents and the same questions for each engine.
//! The embedded engine always runs it; Meilisearch does where `MEILI_URL` is set.
use std::collections::BTreeSet;

use casebook_domain::search::{Dimension, EngineQuery, SearchDocument, SearchEngine, Sort};

struct Doc {
    id: i32,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    pattern: &'static [&'static str],
    service_area: &'static str,
    phase: &'static str,
    organisation: &'static str,
    region: &'static str,
    tag: &'static [&'static str],
    publisher: &'static [&'static str],
}

const CORPUS: [Doc; 8] = [
    Doc {
        id: 1,
        title: "Bin collection day finder",
        summary: "Residents look up their collection day by postcode instead of phoning the council.",
        body: "We used address data and collection rounds.",
        pattern: &["engage-with-services"],
        service_area: "waste-and-recycling",
        phase: "live",
        organisation: "leeds-city-council",
        region: "Yorkshire and the Humber",
        tag: &["uprn"],
        publisher: &["Leeds City Council"],
    },
    Doc {
        id: 2,
        title: "Real-time bus arrivals",
        summary: "Passengers see when the next bus will arrive at their stop.",
        body: "Open timetable data in GTFS from operators.",
        pattern: &["engage-with-services"],
        service_area: "transport",
        phase: "beta",
        organisation: "bristol-city-council",
        region: "South West England",
        tag: &["gtfs", "real-time"],
        publisher: &["Bus Open Data Service"],
    },
    Doc {
        id: 3,
        title: "Transport planning with journey data",
        summary: "Analysts model demand to decide where new routes go.",
        body: "Passenger counts informed the local transport plan.",
        pattern: &["develop-policy"],
        service_area: "transport",
        phase: "alpha",
        organisation: "west-yorkshire-combined-authority",
        region: "Yorkshire and the Humber",
        tag: &["modelling"],
        publisher: &["Department for Transport"],
    },
    Doc {
        id: 4,
        title: "Refuse round optimisation",
        summary: "Crews drive shorter routes because rounds are planned from open data.",
        body: "Vehicle telematics and street gazetteer.",
        pattern: &["efficient-delivery"],
        service_area: "waste-and-recycling",
        phase: "alpha",
        organisation: "kent-county-council",
        region: "South East England",
        tag: &["routing"],
        publisher: &["Ordnance Survey"],
    },
    Doc {
        id: 5,
        title: "Planning applications map",
        summary: "Neighbours find applications near them and comment online.",
        body: "Planning register published weekly.",
        pattern: &["engage-with-services"],
        service_area: "planning",
        phase: "live",
        organisation: "camden-council",
        region: "London",
        tag: &["maps"],
        publisher: &["Camden Council"],
    },
    Doc {
        id: 6,
        title: "Spending transparency explorer",
        summary: "Every payment over £500 by the council, searchable.",
        body: "Finance teams publish monthly.",
        pattern: &["develop-policy", "efficient-delivery"],
        service_area: "finance",
        phase: "live",
        organisation: "leeds-city-council",
        region: "Yorkshire and the Humber",
        tag: &["transparency"],
        publisher: &["Leeds City Council"],
    },
    Doc {
        id: 7,
        title: "Café and market stall licences",
        summary: "Traders apply for pavement licences online.",
        body: "Licensing register.",
        pattern: &["efficient-delivery"],
        service_area: "other",
        phase: "discovery",
        organisation: "york-council",
        region: "Yorkshire and the Humber",
        tag: &["licensing"],
        publisher: &["York Council"],
    },
    Doc {
        id: 8,
        title: "Air quality alerts",
        summary: "People with asthma get a text when pollution is high.",
        body: "Sensor readings every hour.",
        pattern: &["engage-with-services"],
        service_area: "environment",
        phase: "beta",
        organisation: "camden-council",
        region: "London",
        tag: &["alerts", "sms"],
        publisher: &["Camden Council"],
    },
];

fn documents() -> Vec<SearchDocument> {
    let strings = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
    CORPUS
        .iter()
        .map(|d| SearchDocument {
            id: d.id,
            slug: format!("case-study-{}", d.id),
            title: d.title.to_string(),
            summary: d.summary.to_string(),
            body: d.body.to_string(),
            tags: strings(d.tag),
            patterns: strings(d.pattern),
            organisations: Vec::new(),
            datasets: d.tag.iter().map(|t| format!("{t} records")).collect(),
            pattern: strings(d.pattern),
            service_area: d.service_area.to_string(),
            phase: d.phase.to_string(),
            organisation: vec![d.organisation.to_string()],
            region: d.region.to_string(),
            publisher: strings(d.publisher),
            tag: strings(d.tag),
            // Even documents are shared in one network, 4 in a second as well.
            network: match d.id {
                4 => strings(&["local-digital", "open-data-camp"]),
                id if id % 2 == 0 => strings(&["local-digital"]),
                _ => Vec::new(),
            },
            // Odd documents use openly licensed data; 3 links a withdrawn dataset beside an
            // available one.
            licence: if d.id % 2 == 1 { strings(&["open"]) } else { Vec::new() },
            dataset_health: match d.id {
                3 => strings(&["available", "withdrawn"]),
                _ => strings(&["available"]),
            },
            // Document 8 is the newest, 1 the oldest.
            published_at: 1_700_000_000 + i64::from(d.id) * 86_400,
        })
        .collect()
}

fn query(text: &str) -> EngineQuery {
    EngineQuery { text: text.to_string(), page: 1, per_page: 20, ..Default::default() }
}

fn filtered(text: &str, filters: &[(Dimension, &[&str])]) -> EngineQuery {
    EngineQuery { filters: filters.iter().map(|(d, values)| (*d, values.iter().map(|v| v.to_string()).collect())).collect(), ..query(text) }
}

async fn ids(engine: &SearchEngine, q: &EngineQuery) -> anyhow::Result<BTreeSet<i32>> {
    Ok(engine.search(q).await?.hits.into_iter().map(|h| h.id).collect())
}

async fn expect(engine: &SearchEngine, text: &str, wanted: &[i32], why: &str) -> anyhow::Result<()> {
    let found = ids(engine, &query(text)).await?;
    anyhow::ensure!(found == wanted.iter().copied().collect(), "{}: {why}: {text:?} found {found:?}, expected {wanted:?}", engine.name());
    Ok(())
}

async fn conformance(engine: SearchEngine) -> anyhow::Result<()> {
    let mut rebuild = engine.rebuild().await?;
    rebuild.add(documents()).await?;
    rebuild.finish().await?;
    anyhow::ensure!(engine.count().await? == 8, "{}: all eight documents indexed", engine.name());

    // Words, prefixes as you type, accents.
    expect(&engine, "bus", &[2], "a plain word").await?;
    expect(&engine, "transp", &[3, 6], "the last word is a prefix").await?;
    expect(&engine, "transport planning", &[3], "every word must match").await?;
    expect(&engine, "cafe", &[7], "accents are folded").await?;
    expect(&engine, "\"bus will arrive\"", &[2], "a quoted phrase").await?;
    expect(&engine, "\"next bus\"", &[2], "a phrase of two words").await?;
    expect(&engine, "\"bus arrive\"", &[], "a phrase's words apart do not match it").await?;

    // Typo tolerance: none under 5 letters, one from 5, two from 9.
    expect(&engine, "bsu", &[], "no typo in a word of 3 letters").await?;
    expect(&engine, "plannign", &[3, 5], "one typo (a swap) in 8 letters").await?;
    expect(&engine, "plamnimg", &[], "two typos are too many in 8 letters").await?;
    expect(&engine, "transprot", &[3], "a swap in 9 letters").await?;
    expect(&engine, "trasnprot", &[3], "two typos in 9 letters").await?;
    expect(&engine, "spendign explorer", &[6], "a typo in a word before the last").await?;

    // Synonyms from the platform's list, both ways and across phrase length.
    expect(&engine, "rubbish", &[1, 4], "rubbish = bin collection = refuse").await?;
    expect(&engine, "waste collection", &[1, 4], "a phrase synonym").await?;
    expect(&engine, "local authority", &[1, 6], "local authority = council").await?;
    expect(&engine, "public transport", &[2], "public transport = bus").await?;

    // Filters: any value within a dimension, all dimensions together.
    let live_or_beta = filtered("", &[(Dimension::Phase, &["live", "beta"])]);
    anyhow::ensure!(ids(&engine, &live_or_beta).await? == [1, 2, 5, 6, 8].into(), "{}: phase live or beta", engine.name());
    let both = filtered("", &[(Dimension::Pattern, &["engage-with-services"]), (Dimension::Region, &["London"])]);
    anyhow::ensure!(ids(&engine, &both).await? == [5, 8].into(), "{}: pattern and region", engine.name());
    let with_words = filtered("council", &[(Dimension::Organisation, &["leeds-city-council"])]);
    anyhow::ensure!(ids(&engine, &with_words).await? == [1, 6].into(), "{}: words and a filter", engine.name());
    let publisher = filtered("", &[(Dimension::Publisher, &["Leeds City Council"]), (Dimension::Tag, &["uprn"])]);
    anyhow::ensure!(ids(&engine, &publisher).await? == [1].into(), "{}: publisher and tag", engine.name());
    let network = filtered("", &[(Dimension::Network, &["local-digital"])]);
    anyhow::ensure!(ids(&engine, &network).await? == [2, 4, 6, 8].into(), "{}: shared in a network", engine.name());
    let open = filtered("", &[(Dimension::Licence, &["open"])]);
    anyhow::ensure!(ids(&engine, &open).await? == [1, 3, 5, 7].into(), "{}: open licence", engine.name());
    let mut withdrawn = filtered("", &[(Dimension::DatasetHealth, &["withdrawn"])]);
    withdrawn.facets = vec![Dimension::DatasetHealth];
    let counted = engine.search(&withdrawn).await?;
    anyhow::ensure!(
        counted.hits.iter().map(|h| h.id).collect::<Vec<_>>() == [3]
            && counted.facets.get(&Dimension::DatasetHealth).cloned().unwrap_or_default()
                == vec![("available".to_string(), 1), ("withdrawn".to_string(), 1)],
        "{}: dataset health filter and facet, got {:?}",
        engine.name(),
        counted.facets.get(&Dimension::DatasetHealth)
    );
    let mut both_networks = filtered("", &[(Dimension::Network, &["open-data-camp"])]);
    both_networks.facets = vec![Dimension::Network];
    let counted = engine.search(&both_networks).await?;
    anyhow::ensure!(
        counted.facets.get(&Dimension::Network).cloned().unwrap_or_default()
            == vec![("local-digital".to_string(), 1), ("open-data-camp".to_string(), 1)],
        "{}: network facet counts, got {:?}",
        engine.name(),
        counted.facets.get(&Dimension::Network)
    );

    // Facet counts follow the words and the filters.
    let mut faceted = filtered("", &[(Dimension::ServiceArea, &["transport", "waste-and-recycling"])]);
    faceted.facets = vec![Dimension::Phase, Dimension::ServiceArea, Dimension::Region];
    let results = engine.search(&faceted).await?;
    anyhow::ensure!(results.total == 4, "{}: four transport or waste case studies, got {}", engine.name(), results.total);
    let phases = results.facets.get(&Dimension::Phase).cloned().unwrap_or_default();
    anyhow::ensure!(
        phases == [("alpha".to_string(), 2), ("beta".to_string(), 1), ("live".to_string(), 1)],
        "{}: phase counts within the filter, most first: {phases:?}",
        engine.name()
    );
    let regions = results.facets.get(&Dimension::Region).cloned().unwrap_or_default();
    anyhow::ensure!(regions.first() == Some(&("Yorkshire and the Humber".to_string(), 2)), "{}: region counts: {regions:?}", engine.name());
    let mut for_words = query("council");
    for_words.facets = vec![Dimension::Organisation];
    let organisations = engine.search(&for_words).await?.facets.remove(&Dimension::Organisation).unwrap_or_default();
    anyhow::ensure!(
        organisations.first() == Some(&("leeds-city-council".to_string(), 2)),
        "{}: counts follow the words: {organisations:?}",
        engine.name()
    );

    // Highlighting marks what matched, typos and synonyms included.
    let hit = engine.search(&query("bus")).await?.hits.into_iter().next();
    let marked = |fragments: &[casebook_domain::search::Fragment]| {
        fragments.iter().filter(|f| f.matched).map(|f| f.text.to_lowercase()).collect::<Vec<_>>()
    };
    let hit = hit.ok_or_else(|| anyhow::anyhow!("{}: no hit for bus", engine.name()))?;
    anyhow::ensure!(marked(&hit.title) == ["bus"], "{}: title marks {:?}", engine.name(), hit.title);
    anyhow::ensure!(marked(&hit.summary) == ["bus"], "{}: summary marks {:?}", engine.name(), hit.summary);
    anyhow::ensure!(
        hit.title.iter().map(|f| f.text.as_str()).collect::<String>() == "Real-time bus arrivals",
        "{}: fragments keep the whole text",
        engine.name()
    );
    let typo_hit = engine.search(&query("optimisaton")).await?.hits.into_iter().next();
    let typo_title = typo_hit.map(|h| marked(&h.title)).unwrap_or_default();
    anyhow::ensure!(typo_title == ["optimisatio"], "{}: the last word is marked for the length typed: {typo_title:?}", engine.name());
    let typo_hit = engine.search(&query("optimisaton refuse")).await?.hits.into_iter().next();
    let typo_title = typo_hit.map(|h| marked(&h.title)).unwrap_or_default();
    anyhow::ensure!(typo_title == ["refuse", "optimisation"], "{}: a word with a typo is marked whole: {typo_title:?}", engine.name());

    // Relevance: a title match comes before a match elsewhere.
    let ranked: Vec<i32> = engine.search(&query("passengers")).await?.hits.into_iter().map(|h| h.id).collect();
    anyhow::ensure!(ranked.first() == Some(&2), "{}: summary match before body match: {ranked:?}", engine.name());
    let ranked: Vec<i32> = engine.search(&query("round")).await?.hits.into_iter().map(|h| h.id).collect();
    anyhow::ensure!(ranked.first() == Some(&4), "{}: the word itself before a longer word it begins: {ranked:?}", engine.name());

    // Order and pages.
    let mut newest = query("");
    newest.sort = Sort::Newest;
    newest.per_page = 3;
    newest.page = 2;
    let page = engine.search(&newest).await?;
    let order: Vec<i32> = page.hits.iter().map(|h| h.id).collect();
    anyhow::ensure!(order == [5, 4, 3] && page.total == 8, "{}: page 2 of newest first: {order:?} of {}", engine.name(), page.total);
    let mut by_date = query("council");
    by_date.sort = Sort::Newest;
    let order: Vec<i32> = engine.search(&by_date).await?.hits.into_iter().map(|h| h.id).collect();
    anyhow::ensure!(order == [6, 1], "{}: words, newest first: {order:?}", engine.name());

    // Changes: replace, delete.
    let mut changed = documents().remove(1);
    changed.title = "Real-time tram arrivals".to_string();
    changed.summary = "Passengers see when the next tram will arrive.".to_string();
    engine.apply(vec![changed], vec![8]).await?;
    expect(&engine, "tram", &[2], "a replaced document is found by its new words").await?;
    expect(&engine, "bus", &[], "and no longer by its old ones").await?;
    expect(&engine, "asthma", &[], "a deleted document is gone").await?;
    anyhow::ensure!(engine.count().await? == 7, "{}: seven left", engine.name());
    expect(&engine, "\"next tram\"", &[2], "a replaced document is found by its new phrases").await?;
    expect(&engine, "\"next bus\"", &[], "and no longer by its old ones").await?;
    let mut all = query("");
    all.facets = vec![Dimension::Phase];
    let counted: u64 = engine.search(&all).await?.facets.get(&Dimension::Phase).map_or(0, |v| v.iter().map(|(_, c)| c).sum());
    anyhow::ensure!(counted == 7, "{}: facet counts leave out what was deleted or replaced, got {counted}", engine.name());
    Ok(())
}

#[tokio::test]
async fn the_embedded_engine_conforms() -> anyhow::Result<()> {
    let folder = std::env::temp_dir().join(format!("casebook-conformance-{}-{}", std::process::id(), rand::random::<u32>()));
    let outcome = conformance(SearchEngine::embedded(&folder)?).await;
    let _ = std::fs::remove_dir_all(&folder);
    outcome
}

#[tokio::test]
async fn meilisearch_conforms() -> anyhow::Result<()> {
    let Some(url) = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty()) else {
        eprintln!("SKIPPED: Meilisearch conformance: MEILI_URL is not set");
        return Ok(());
    };
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    conformance(SearchEngine::meilisearch(&url, key.as_deref(), "casebook_conformance").await?).await
}
