//! A collection's items: adding, moving, annotating and removing them. Every change runs in one
//! transaction that first moves the collection's version on, only from the version the curator
//! saw (adding, which cannot clash, from whatever is there): of two curators acting at once, the
//! second waits for the first and is then refused with the collection as it now is, so nothing
//! is lost. Positions are rewritten 1, 2, 3, … after each change, so they stay dense.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    sea_query::{CaseStatement, Expr, ExprTrait},
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::{curates, find};
use crate::case_studies;
use crate::entities::{collection, collection_item};
use crate::events::{self, Change, Entry};
use crate::forms::{limits, FieldErrors, ItemForm};
use crate::identity::roles;
use crate::text::{char_len, clean};
use crate::vocabulary::Status;
use crate::DomainError;

pub(crate) const STALE: &str =
    "Someone else changed this collection while you were looking at it, so your change was not made. This is how it is now: make your change again if it is still needed.";

/// One change to the order, worked out on the ids in order.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Move {
    Up(i32),
    Down(i32),
    /// To a position counted from 1.
    To(i32, usize),
    /// Every item, in a new order.
    Order(Vec<i32>),
}

/// The ids in their new order, or why the move does not fit them.
fn reorder(mut ids: Vec<i32>, change: &Move) -> Result<Vec<i32>, String> {
    let index_of =
        |ids: &[i32], id: i32| ids.iter().position(|&i| i == id).ok_or_else(|| "That item is no longer in this collection".to_string());
    match change {
        Move::Up(id) => {
            let at = index_of(&ids, *id)?;
            if at > 0 {
                ids.swap(at, at - 1);
            }
        }
        Move::Down(id) => {
            let at = index_of(&ids, *id)?;
            if at + 1 < ids.len() {
                ids.swap(at, at + 1);
            }
        }
        Move::To(id, position) => {
            let at = index_of(&ids, *id)?;
            if *position < 1 || *position > ids.len() {
                return Err(format!("Choose a position from 1 to {}", ids.len()));
            }
            let moved = ids.remove(at);
            ids.insert(position - 1, moved);
        }
        Move::Order(order) => {
            let mut given = order.clone();
            let mut current = ids.clone();
            given.sort_unstable();
            current.sort_unstable();
            if given != current {
                return Err("The new order must hold every item of the collection once".into());
            }
            ids = order.clone();
        }
    }
    Ok(ids)
}

fn invalid(field: &str, message: impl Into<String>) -> DomainError {
    let mut errors = FieldErrors::default();
    errors.add(field, message);
    DomainError::Invalid(errors)
}

/// Applies one curator's change to a collection's items.
pub async fn change_items(db: &DatabaseConnection, user_id: i32, slug: &str, form: &ItemForm) -> Result<(), DomainError> {
    let (current, owners) = find(db, slug).await?;
    let actor = roles::actor(db, Some(user_id)).await?;
    if !curates(&actor, &owners) {
        return Err(DomainError::Forbidden);
    }
    let item = || form.item.ok_or_else(|| invalid("item", "Choose an item"));
    let change = match form.action.as_str() {
        "add" => None,
        "up" => Some(Move::Up(item()?)),
        "down" => Some(Move::Down(item()?)),
        "to" => {
            let position =
                form.position.trim().parse::<usize>().map_err(|_| invalid("position", "Enter the position as a whole number"))?;
            Some(Move::To(item()?, position))
        }
        "order" => Some(Move::Order(form.order.clone())),
        "note" | "remove" => None,
        _ => return Err(invalid("action", "Choose what to do")),
    };
    let note = clean(&form.note);
    if matches!(form.action.as_str(), "note" | "add") && char_len(&note) > limits::CURATOR_NOTE {
        return Err(invalid("note", format!("The note must be {} characters or fewer (it has {})", limits::CURATOR_NOTE, char_len(&note))));
    }
    // Adding a case study is found before the transaction: it is read-only and may be refused.
    let adding = if form.action == "add" {
        let found =
            case_studies::find(db, form.case_study.trim()).await.map_err(|_| invalid("case_study", "Choose a published case study"))?;
        if found.status != Status::Published {
            return Err(invalid("case_study", "Only published case studies can be added to a collection"));
        }
        Some(found)
    } else {
        None
    };

    let txn = crate::db::begin(db).await?;
    let mut bump = collection::Entity::update_many()
        .col_expr(collection::Column::Version, Expr::col(collection::Column::Version).add(1))
        .col_expr(collection::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(collection::Column::Id.eq(current.id));
    if adding.is_none() {
        bump = bump.filter(collection::Column::Version.eq(form.version.unwrap_or(0)));
    }
    if bump.exec(&txn).await?.rows_affected == 0 {
        return Err(DomainError::Conflict(STALE.into()));
    }
    let items = collection_item::Entity::find()
        .filter(collection_item::Column::CollectionId.eq(current.id))
        .order_by_asc(collection_item::Column::Position)
        .order_by_asc(collection_item::Column::Id)
        .all(&txn)
        .await?;
    let mut order: Vec<i32> = items.iter().map(|i| i.id).collect();
    if let Some(found) = adding {
        if items.iter().any(|i| i.case_study_id == Some(found.id)) {
            return Err(DomainError::Conflict(format!("“{}” is already in this collection", found.title)));
        }
        if items.len() as u64 >= limits::COLLECTION_ITEMS {
            return Err(DomainError::Conflict(format!("A collection holds at most {} case studies", limits::COLLECTION_ITEMS)));
        }
        let id = collection_item::Entity::insert(collection_item::ActiveModel {
            collection_id: Set(current.id),
            case_study_id: Set(Some(found.id)),
            position: Set(items.len() as i32 + 1),
            note: Set(note),
            title: Set(found.title),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        order.push(id);
    } else if let Some(change) = change {
        order = reorder(order, &change).map_err(|why| invalid("position", why))?;
    } else {
        let id = item()?;
        if !order.contains(&id) {
            return Err(DomainError::Conflict(STALE.into()));
        }
        if form.action == "remove" {
            collection_item::Entity::delete_by_id(id).exec(&txn).await?;
            order.retain(|&i| i != id);
        } else {
            collection_item::Entity::update(collection_item::ActiveModel { id: Set(id), note: Set(note), ..Default::default() })
                .exec(&txn)
                .await?;
        }
    }
    renumber(&txn, &items, &order).await?;
    events::record(&txn, Entry::new(Change::CollectionChanged, current.id, current.version + 1)).await?;
    txn.commit().await?;
    Ok(())
}

/// Writes positions 1, 2, 3, … in `order`, touching only the rows whose position changes: one
/// `UPDATE … SET position = CASE id WHEN … END` per few hundred of them, not one per row.
async fn renumber(db: &impl ConnectionTrait, items: &[collection_item::Model], order: &[i32]) -> Result<(), DomainError> {
    let was: HashMap<i32, i32> = items.iter().map(|i| (i.id, i.position)).collect();
    let moved: Vec<(i32, i32)> = order
        .iter()
        .enumerate()
        .map(|(index, id)| (*id, index as i32 + 1))
        .filter(|(id, position)| was.get(id) != Some(position))
        .collect();
    for chunk in moved.chunks(300) {
        let mut position = CaseStatement::new();
        for (id, to) in chunk {
            position = position.case(Expr::col(collection_item::Column::Id).eq(*id), Expr::value(*to));
        }
        collection_item::Entity::update_many()
            .col_expr(collection_item::Column::Position, position.finally(Expr::col(collection_item::Column::Position)).into())
            .filter(collection_item::Column::Id.is_in(chunk.iter().map(|(id, _)| *id)))
            .exec(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_keep_every_item_once() {
        let ids = vec![1, 2, 3, 4];
        assert_eq!(reorder(ids.clone(), &Move::Up(1)).unwrap(), [1, 2, 3, 4]);
        assert_eq!(reorder(ids.clone(), &Move::Up(3)).unwrap(), [1, 3, 2, 4]);
        assert_eq!(reorder(ids.clone(), &Move::Down(4)).unwrap(), [1, 2, 3, 4]);
        assert_eq!(reorder(ids.clone(), &Move::To(4, 1)).unwrap(), [4, 1, 2, 3]);
        assert_eq!(reorder(ids.clone(), &Move::To(1, 4)).unwrap(), [2, 3, 4, 1]);
        assert!(reorder(ids.clone(), &Move::To(1, 5)).is_err());
        assert!(reorder(ids.clone(), &Move::To(9, 1)).is_err());
        assert_eq!(reorder(ids.clone(), &Move::Order(vec![4, 3, 2, 1])).unwrap(), [4, 3, 2, 1]);
        assert!(reorder(ids.clone(), &Move::Order(vec![4, 3, 2])).is_err(), "an order that drops an item is refused");
        assert!(reorder(ids, &Move::Order(vec![1, 1, 2, 3])).is_err());
    }
}
