//! `Items`: the contents of a folder, optionally restricted and sorted (the OOM `Items`
//! collection). Reads stream through the folder's contents table in batches.

use crate::error::{SessionError, SessionResult};
use crate::filter;
use crate::folder::Folder;
use crate::item::Item;
use crate::store::Store;
use jiff::tz::TimeZone;
use mapi::catalog::{self, PropertyKind, tags};
use mapi::provider::{Row, Table};
use mapi::restriction::{Restriction, SortOrder, SortOrderSet};
use mapi::{ErrorCode, MapiError, NamedProperty, PropTag, PropValue};
use std::collections::VecDeque;
use std::sync::Mutex;

/// Rows fetched from a table per `QueryRows` call while iterating.
pub const BATCH_SIZE: usize = 64;

/// A folder's items with a restriction and a sort order. `restrict` returns a new collection;
/// `sort` reorders this one.
#[derive(Debug)]
pub struct Items {
    folder: Folder,
    restriction: Option<Restriction>,
    sort: Option<SortOrderSet>,
    find: Mutex<Option<Box<dyn Table>>>,
    /// `IncludeRecurrences`: expand recurring appointments (see calendar.rs).
    include_recurrences: bool,
    /// The GetFirst/GetNext cursor and the SetColumns list ([`crate::items_com`]).
    pub(crate) com: crate::items_com::ComState,
}

impl Clone for Items {
    fn clone(&self) -> Items {
        Items {
            folder: self.folder.clone(),
            restriction: self.restriction.clone(),
            sort: self.sort.clone(),
            find: Mutex::new(None),
            include_recurrences: self.include_recurrences,
            com: self.com.fresh(),
        }
    }
}

/// Translates a Jet or DASL filter for the store that will run it: named properties are
/// resolved through the store's own mapping, never created.
pub fn filter_restriction(store: &Store, text: &str) -> SessionResult<Restriction> {
    let parsed = filter::parse(text).map_err(|err| filter_error(text, &err))?;
    let backend = store.backend().clone();
    let mut resolve = |named: &NamedProperty| -> Option<u16> {
        backend.get_ids_from_names(std::slice::from_ref(named), false).ok()?.pop().flatten()
    };
    let zone = TimeZone::system();
    filter::to_restriction(&parsed, &mut resolve, &zone).map_err(|err| filter_error(text, &err))
}

fn filter_error(text: &str, err: &filter::FilterError) -> SessionError {
    SessionError::Mapi(MapiError::invalid_parameter(format!("filter {text:?}: {err}")))
}

/// The tag a sort field names: an OOM property name (`ReceivedTime`), a DASL name, a MAPI
/// property path, or a catalog name (`PidTagSubject`).
pub fn field_tag(store: &Store, field: &str) -> SessionResult<PropTag> {
    let trimmed = field.trim().trim_start_matches('[').trim_end_matches(']');
    let catalog_name = filter::fields::jet_field(trimmed)
        .or_else(|| filter::fields::dasl_field(trimmed))
        .unwrap_or(trimmed);
    if let Some(info) = catalog::by_name(catalog_name) {
        return match info.kind {
            PropertyKind::Tagged { tag } => Ok(tag),
            PropertyKind::Named { .. } => {
                let named = info.named_property().ok_or_else(|| unknown_field(field))?;
                let id = store
                    .backend()
                    .get_ids_from_names(std::slice::from_ref(&named), false)?
                    .pop()
                    .flatten();
                // A property the store has never mapped is on no item: any ID outside the
                // store's mapping sorts every row alike.
                Ok(PropTag::new(id.unwrap_or(0xFFFE), info.prop_type))
            }
        };
    }
    match crate::item::PropertyPath::parse(trimmed) {
        Ok(path) => {
            Ok(path.resolve(store, false)?.unwrap_or(PropTag::new(0xFFFE, path.prop_type())))
        }
        Err(_) => Err(unknown_field(field)),
    }
}

fn unknown_field(field: &str) -> SessionError {
    SessionError::Mapi(MapiError::invalid_parameter(format!(
        "unknown property {field:?}; expected an Outlook property name such as ReceivedTime, \
         Subject, SenderName, a DASL name or a MAPI property path"
    )))
}

impl Items {
    pub(crate) fn new(folder: Folder) -> Items {
        Items {
            folder,
            restriction: None,
            sort: None,
            find: Mutex::new(None),
            include_recurrences: false,
            com: crate::items_com::ComState::default(),
        }
    }

    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// The restriction in force, if any.
    pub fn restriction(&self) -> Option<&Restriction> {
        self.restriction.as_ref()
    }

    /// A contents table with this collection's restriction and sort order applied.
    pub fn table(&self) -> SessionResult<Box<dyn Table>> {
        let table = self.folder.handle().contents_table(false)?;
        if let Some(restriction) = &self.restriction {
            table.restrict(Some(restriction))?;
        }
        if let Some(order) = &self.sort {
            table.sort(order)?;
        }
        Ok(table)
    }

    /// `Items.Count`.
    pub fn count(&self) -> SessionResult<u32> {
        Ok(self.table()?.row_count()?)
    }

    /// `Items.Restrict(Filter)`: a new collection of the items that match a Jet or DASL
    /// filter (on top of this collection's own restriction).
    pub fn restrict(&self, filter_text: &str) -> SessionResult<Items> {
        let added = filter_restriction(self.folder.store(), filter_text)?;
        Ok(self.restrict_with(added))
    }

    /// `restrict` with a ready-made MAPI restriction.
    pub fn restrict_with(&self, added: Restriction) -> Items {
        // Stacked filters join one flat And, so restricting again and again adds no depth.
        let restriction = match &self.restriction {
            Some(existing) => {
                let mut terms = Vec::new();
                for part in [existing.clone(), added] {
                    match part {
                        Restriction::And(inner) => terms.extend(inner),
                        other => terms.push(other),
                    }
                }
                Restriction::And(terms)
            }
            None => added,
        };
        Items {
            folder: self.folder.clone(),
            restriction: Some(restriction),
            sort: self.sort.clone(),
            find: Mutex::new(None),
            include_recurrences: self.include_recurrences,
            com: self.com.fresh(),
        }
    }

    /// `Items.IncludeRecurrences`: with a sort on Start and a Start/End restriction,
    /// [`Items::occurrences`] expands recurring appointments (calendar.rs).
    pub fn include_recurrences(&self) -> bool {
        self.include_recurrences
    }

    pub fn set_include_recurrences(&mut self, include: bool) {
        self.include_recurrences = include;
    }

    /// The sort order in force, if any.
    pub fn sort_order(&self) -> Option<&SortOrderSet> {
        self.sort.as_ref()
    }

    /// `Items.Sort(Property, Descending)`: reorders this collection and resets `find_next`.
    pub fn sort(&mut self, field: &str, descending: bool) -> SessionResult<()> {
        let tag = field_tag(self.folder.store(), field)?;
        if tag.prop_type().is_some_and(|t| t.is_multi_valued()) {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "cannot sort by {field}: it is multi-valued (Outlook refuses to sort by \
                 Categories for the same reason)"
            ))));
        }
        let order = if descending { SortOrder::descending(tag) } else { SortOrder::ascending(tag) };
        self.sort = Some(SortOrderSet::new(vec![order]));
        *self.find.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.com.reset_cursor();
        Ok(())
    }

    /// `Items.Find(Filter)`: the first matching item, or `None`; `find_next` continues.
    /// As in Outlook, `ci_startswith` and `ci_phrasematch` are refused here (use `restrict`).
    pub fn find(&self, filter_text: &str) -> SessionResult<Option<Item>> {
        if filter::parse(filter_text).is_ok_and(|f| f.uses_content_indexer()) {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "filter {filter_text:?}: Items.Find does not accept ci_startswith or \
                 ci_phrasematch (Outlook raises an error too); use Restrict"
            ))));
        }
        let restriction = filter_restriction(self.folder.store(), filter_text)?;
        let table = self.restrict_with(restriction).table()?;
        table.set_columns(&[tags::PidTagEntryId])?;
        let mut find = self.find.lock().unwrap_or_else(|e| e.into_inner());
        *find = Some(table);
        self.next_found(find.as_deref())
    }

    /// `Items.FindNext()`: the next item matching the last `find`; `None` at the end.
    /// Without a preceding `find`: `MAPI_E_CALL_FAILED`, as Outlook raises.
    pub fn find_next(&self) -> SessionResult<Option<Item>> {
        let find = self.find.lock().unwrap_or_else(|e| e.into_inner());
        if find.is_none() {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::CallFailed,
                "find_next needs a preceding find",
            )));
        }
        self.next_found(find.as_deref())
    }

    fn next_found(&self, table: Option<&dyn Table>) -> SessionResult<Option<Item>> {
        let Some(table) = table else { return Ok(None) };
        for row in table.query_rows(1)? {
            if let Some(id) = row_entry_id(&row) {
                return Ok(Some(self.folder.store().get_item_from_id_bytes(&id)?));
            }
        }
        Ok(None)
    }

    /// The items, opened one at a time as the iteration reaches them; entry IDs are read from
    /// the contents table [`BATCH_SIZE`] rows at a time.
    pub fn iter(&self) -> SessionResult<ItemsIter> {
        let rows = self.rows(&[tags::PidTagEntryId])?;
        Ok(ItemsIter { store: self.folder.store().clone(), rows })
    }

    /// The rows of the contents table with these columns, streamed in batches: the fast way
    /// to list many items without opening each.
    pub fn rows(&self, columns: &[PropTag]) -> SessionResult<RowIter> {
        let table = self.table()?;
        table.set_columns(columns)?;
        Ok(RowIter { table, pending: VecDeque::new(), done: false })
    }
}

pub(crate) fn row_entry_id(row: &Row) -> Option<Vec<u8>> {
    row.iter().find(|v| v.tag.id() == tags::PidTagEntryId.id()).and_then(|v| match &v.value {
        PropValue::Binary(id) => Some(id.clone()),
        _ => None,
    })
}

/// Rows of a contents table, fetched [`BATCH_SIZE`] at a time.
#[derive(Debug)]
pub struct RowIter {
    table: Box<dyn Table>,
    pending: VecDeque<Row>,
    done: bool,
}

impl Iterator for RowIter {
    type Item = SessionResult<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pending.is_empty() && !self.done {
            match self.table.query_rows(BATCH_SIZE) {
                Ok(rows) if rows.is_empty() => self.done = true,
                Ok(rows) => self.pending.extend(rows),
                Err(err) => {
                    self.done = true;
                    return Some(Err(err.into()));
                }
            }
        }
        self.pending.pop_front().map(Ok)
    }
}

/// Items opened one by one from a [`RowIter`].
#[derive(Debug)]
pub struct ItemsIter {
    store: Store,
    rows: RowIter,
}

impl Iterator for ItemsIter {
    type Item = SessionResult<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let row = match self.rows.next()? {
                Ok(row) => row,
                Err(err) => return Some(Err(err)),
            };
            if let Some(id) = row_entry_id(&row) {
                return Some(self.store.get_item_from_id_bytes(&id));
            }
        }
    }
}
