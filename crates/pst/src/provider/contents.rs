//! A PST folder's contents table. Its rows are the contents table context's (MS-PST 2.4.4.5),
//! which keeps only some columns (subject, sender, times, flags, size, ...), never bodies. A
//! restriction on those columns runs over the rows alone; one that names any other property
//! (a filter on the body, say) is evaluated on each message's property context, read one
//! message at a time for just the properties the restriction names, so filters mean the same
//! on a PST as on any store. Recipient and attachment sub-restrictions still see no rows.

use super::Shared;
use super::objects::PstMessage;
use crate::ndb::NodeId;
use mapi::provider::{BookmarkOrigin, MemoryTable, PropertyObject, Row, Table};
use mapi::restriction::{PropertyBag, Restriction, RowFilter, SortOrderSet};
use mapi::{ErrorCode, MapiError, MapiResult, PropTag, TaggedValue};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug)]
pub(crate) struct PstContentsTable {
    shared: Arc<Shared>,
    /// Every row of the table context with the NID of its message.
    rows: Vec<(NodeId, Vec<TaggedValue>)>,
    /// IDs of the properties the rows carry.
    row_ids: BTreeSet<u16>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// The view: all rows, or the rows a restriction kept after reading messages.
    view: MemoryTable,
    order: Option<SortOrderSet>,
    /// Whether `view` holds every row (false after a restriction that read messages).
    full: bool,
}

impl PstContentsTable {
    pub(crate) fn new(
        shared: Arc<Shared>,
        rows: Vec<(NodeId, Vec<TaggedValue>)>,
        columns: Vec<PropTag>,
    ) -> PstContentsTable {
        let row_ids = rows.iter().flat_map(|(_, r)| r.iter().map(|v| v.tag.id())).collect();
        let view = MemoryTable::new(rows.iter().map(|(_, r)| r.clone()).collect(), columns);
        PstContentsTable {
            shared,
            rows,
            row_ids,
            state: Mutex::new(State { view, order: None, full: true }),
        }
    }

    fn lock(&self) -> MapiResult<MutexGuard<'_, State>> {
        self.state
            .lock()
            .map_err(|_| MapiError::new(ErrorCode::CallFailed, "a table lock is poisoned"))
    }

    /// The rows whose messages match `restriction`, read from each message's properties.
    fn matching_rows(
        &self,
        restriction: &Restriction,
        ids: &BTreeSet<u16>,
    ) -> MapiResult<Vec<Vec<TaggedValue>>> {
        let mut filter = RowFilter::new(restriction)?;
        let mut kept = Vec::new();
        for (nid, row) in &self.rows {
            let message = PstMessage::open_top_level(Arc::clone(&self.shared), *nid)?;
            let mut bag: PropertyBag = row.iter().cloned().collect();
            for value in message.get_all_props()? {
                if ids.contains(&value.tag.id()) {
                    bag.set(value.tag, value.value);
                }
            }
            if filter.matches(&bag) {
                kept.push(row.clone());
            }
        }
        Ok(kept)
    }
}

impl Table for PstContentsTable {
    fn set_columns(&self, columns: &[PropTag]) -> MapiResult<()> {
        self.lock()?.view.set_columns(columns)
    }

    fn columns(&self) -> MapiResult<Vec<PropTag>> {
        self.lock()?.view.columns()
    }

    fn restrict(&self, restriction: Option<&Restriction>) -> MapiResult<()> {
        let mut ids = BTreeSet::new();
        let plain = restriction.is_none_or(|r| !r.collect_property_ids(&mut ids));
        let mut state = self.lock()?;
        let columns = state.view.columns()?;
        let needs_messages = restriction.is_some() && !(plain && ids.is_subset(&self.row_ids));
        let rows = match restriction {
            Some(r) if needs_messages => self.matching_rows(r, &ids)?,
            _ if state.full => return state.view.restrict(restriction),
            _ => self.rows.iter().map(|(_, r)| r.clone()).collect(),
        };
        let view = MemoryTable::new(rows, columns);
        if let Some(order) = &state.order {
            view.sort(order)?;
        }
        if !needs_messages {
            view.restrict(restriction)?;
        }
        state.view = view;
        state.full = !needs_messages;
        Ok(())
    }

    fn sort(&self, order: &SortOrderSet) -> MapiResult<()> {
        let mut state = self.lock()?;
        state.view.sort(order)?;
        state.order = Some(order.clone());
        Ok(())
    }

    fn row_count(&self) -> MapiResult<u32> {
        self.lock()?.view.row_count()
    }

    fn position(&self) -> MapiResult<u32> {
        self.lock()?.view.position()
    }

    fn query_rows(&self, count: usize) -> MapiResult<Vec<Row>> {
        self.lock()?.view.query_rows(count)
    }

    fn seek(&self, origin: BookmarkOrigin, offset: i64) -> MapiResult<i64> {
        self.lock()?.view.seek(origin, offset)
    }

    fn create_bookmark(&self) -> MapiResult<u32> {
        self.lock()?.view.create_bookmark()
    }

    fn free_bookmark(&self, bookmark: u32) -> MapiResult<()> {
        self.lock()?.view.free_bookmark(bookmark)
    }

    fn find_row(&self, restriction: &Restriction) -> MapiResult<bool> {
        self.lock()?.view.find_row(restriction)
    }
}
