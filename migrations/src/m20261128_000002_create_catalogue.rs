//! Patterns, tags and datasets: what case studies are tagged with and linked to.
//! The three founding patterns are data every installation needs, so they are seeded here.
use sea_orm_migration::{prelude::*, schema::*};

use crate::tables::{Dataset, Pattern, Tag};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FOUNDING_PATTERNS: [(&str, &str, &str, &str); 3] = [
    (
        "engage-with-services",
        "Open data to help people engage with a service",
        "Data released so that people, and the apps and sites they already use, can find, understand and use a public service.",
        "Bin collection days, bus times, opening hours, school places, pharmacy rotas: when a service publishes the data behind it, \
         people can check what they need where they already are, and others can build better ways in. \
         Case studies in this pattern show how releasing the data reduced calls and visits, reached people the service's own channels missed, \
         and what it took to keep the data accurate and timely.",
    ),
    (
        "efficient-delivery-chains",
        "Open data to make delivery chains efficient",
        "Data released so that the organisations that deliver a service together can coordinate without bespoke integrations.",
        "Public services are rarely delivered by one organisation: contractors, suppliers, partner authorities and the voluntary sector each hold part of the picture. \
         Publishing shared reference data and live operational data openly lets every link in the chain work from the same facts. \
         Case studies in this pattern show the savings, the data standards that made reuse possible, and the governance that kept everyone confident in the data.",
    ),
    (
        "develop-policy",
        "Open data to help develop policy",
        "Data released so that policy is shaped in the open, with evidence that anyone can check and add to.",
        "Spending, performance, collision, air quality and consultation data released openly lets researchers, campaigners, \
         other authorities and the public test assumptions and propose alternatives. \
         Case studies in this pattern show how open evidence changed a policy decision, who used the data, and how the findings fed back.",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pattern::Table)
                    .col(pk_auto(Pattern::Id))
                    .col(string_len_uniq(Pattern::Slug, 120))
                    .col(string_len(Pattern::Name, 200))
                    .col(string_len(Pattern::Summary, 500))
                    .col(text(Pattern::Description))
                    .col(boolean(Pattern::Curated).default(false))
                    .col(integer(Pattern::Position).default(100))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(Pattern::Table).columns([
            Pattern::Slug,
            Pattern::Name,
            Pattern::Summary,
            Pattern::Description,
            Pattern::Curated,
            Pattern::Position,
        ]);
        for (position, (slug, name, summary, description)) in FOUNDING_PATTERNS.iter().enumerate() {
            insert.values_panic([
                (*slug).into(),
                (*name).into(),
                (*summary).into(),
                (*description).into(),
                false.into(),
                (position as i32 + 1).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;

        manager
            .create_table(
                Table::create()
                    .table(Tag::Table)
                    .col(pk_auto(Tag::Id))
                    .col(string_len_uniq(Tag::Slug, 60))
                    .col(string_len(Tag::Name, 60))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dataset::Table)
                    .col(pk_auto(Dataset::Id))
                    .col(string_len(Dataset::Title, 200))
                    .col(string_len_uniq(Dataset::Url, 500))
                    .col(string_len(Dataset::Publisher, 200))
                    .col(string_len(Dataset::Licence, 120))
                    .col(string_len(Dataset::Format, 60))
                    .col(timestamp_with_time_zone(Dataset::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [Dataset::Table.into_iden(), Tag::Table.into_iden(), Pattern::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
