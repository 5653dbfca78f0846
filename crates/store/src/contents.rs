//! Contents tables. A table holds the message IDs of its view (a snapshot taken when it is
//! opened, restricted or sorted) and reads a row's columns only when `query_rows` reaches it.
//! Sorts on numeric and time columns without a restriction run in SQL; restrictions and the
//! other sorts read just the columns they name and go through the `mapi` evaluator, so both
//! paths order values the same way (missing values first when ascending).

use crate::error::StoreResult;
use crate::mailbox::Shared;
use crate::{codec, sql, tags};
use mapi::provider::{BookmarkOrigin, Row, SearchCriteria, Table, project_column, seek_from};
use mapi::restriction::{
    PropertyBag, PropertySource, Restriction, RowFilter, SortDirection, SortOrderSet, SubObject,
    sort_rows,
};
use mapi::{ErrorCode, MapiError, MapiResult, PropTag, PropType, PropValue, TaggedValue};
use rusqlite::{Connection, OptionalExtension};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug)]
pub struct ContentsTable {
    shared: Arc<Shared>,
    folder: i64,
    associated: bool,
    /// A search folder's criteria: its rows are the matching messages of the scope folders,
    /// evaluated whenever the view is computed (so a message saved into the scope shows up in
    /// the next table, or after the next restrict or sort).
    search: Option<SearchCriteria>,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Every row ID of the view, once read; `None` until something needs them all.
    view: Option<Vec<i64>>,
    /// The first rows, read with a LIMIT when only they are needed (the view a client opens
    /// first: the newest 50 messages).
    prefix: Vec<i64>,
    count: Option<usize>,
    columns: Vec<PropTag>,
    restriction: Option<Restriction>,
    order: SortOrderSet,
    cursor: usize,
    bookmarks: Vec<Option<usize>>,
}

const DEFAULT_COLUMNS: &[PropTag] = &[
    tags::ENTRY_ID,
    tags::INSTANCE_KEY,
    tags::MESSAGE_CLASS,
    tags::SUBJECT,
    tags::MESSAGE_DELIVERY_TIME,
    tags::MESSAGE_FLAGS,
    tags::MESSAGE_SIZE,
];

/// Types whose SQLite storage sorts the way `compare_values` does.
fn sorts_in_sql(tag: PropTag) -> bool {
    matches!(
        tag.prop_type(),
        Some(
            PropType::Integer16
                | PropType::Integer32
                | PropType::Integer64
                | PropType::Currency
                | PropType::Time
                | PropType::Boolean
                | PropType::Floating64
                | PropType::FloatingTime
        )
    )
}

/// True when SQL alone can produce the order.
fn plain_sort(order: &SortOrderSet) -> bool {
    order.category_count == 0
        && order.sorts.iter().all(|s| {
            sorts_in_sql(s.tag)
                && !tags::is_computed(s.tag)
                && matches!(s.direction, SortDirection::Ascending | SortDirection::Descending)
        })
}

struct Candidate {
    id: i64,
    bag: PropertyBag,
}

impl PropertySource for Candidate {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.bag.value(tag)
    }

    fn sub_objects(&self, subobject: SubObject) -> Vec<Box<dyn PropertySource + '_>> {
        self.bag.sub_objects(subobject)
    }
}

fn lock(m: &Mutex<State>) -> MapiResult<MutexGuard<'_, State>> {
    m.lock().map_err(|_| MapiError::new(ErrorCode::CallFailed, "a table lock is poisoned"))
}

impl ContentsTable {
    pub fn open(shared: Arc<Shared>, folder: i64, associated: bool) -> StoreResult<ContentsTable> {
        let search = if associated {
            None
        } else {
            shared.db.read(|conn| crate::folder::load_search_criteria(conn, &shared, folder))?
        };
        let table = ContentsTable {
            shared,
            folder,
            associated,
            search,
            state: Mutex::new(State {
                view: None,
                prefix: Vec::new(),
                count: None,
                columns: DEFAULT_COLUMNS.to_vec(),
                restriction: None,
                order: SortOrderSet::default(),
                cursor: 0,
                bookmarks: Vec::new(),
            }),
        };
        let exists =
            table.shared.db.read(|conn| Ok(sql::folder_parent(conn, folder)?.is_some()))?;
        if !exists {
            return Err(MapiError::not_found("the folder was deleted").into());
        }
        Ok(table)
    }

    fn compute_view(
        &self,
        conn: &Connection,
        restriction: Option<&Restriction>,
        order: &SortOrderSet,
    ) -> StoreResult<Vec<i64>> {
        if order.category_count > 0 {
            return Err(MapiError::new(
                ErrorCode::TooComplex,
                "categorised contents tables are not supported yet",
            )
            .into());
        }
        let combined;
        let restriction = match (&self.search, restriction) {
            (None, r) => r,
            (Some(search), None) => Some(&search.restriction),
            (Some(search), Some(r)) => {
                combined = Restriction::And(vec![search.restriction.clone(), r.clone()]);
                Some(&combined)
            }
        };
        if restriction.is_none() && plain_sort(order) {
            return self.sql_view(conn, order, None);
        }
        let mut ids = BTreeSet::new();
        let needs_sub_objects = restriction.is_some_and(|r| r.collect_property_ids(&mut ids));
        ids.extend(order.sorts.iter().map(|s| s.tag.id()));
        let computed = ids.iter().any(|&id| tags::is_computed(PropTag::new(id, PropType::Null)));
        let mut rows = self.load_candidates(conn, &ids, needs_sub_objects)?;
        if computed {
            // Computed columns (size, entry ID, attachments flag) come from the full row.
            for row in &mut rows {
                if let Some(full) = self.load_row(conn, row.id)? {
                    let sub = std::mem::take(&mut row.bag.sub_tables);
                    row.bag = full;
                    row.bag.sub_tables = sub;
                }
            }
        }
        if let Some(restriction) = restriction {
            let mut filter = RowFilter::new(restriction).map_err(MapiError::from)?;
            rows.retain(|row| filter.matches(row));
        }
        if !order.sorts.is_empty() {
            sort_rows(&mut rows, order);
        }
        Ok(rows.into_iter().map(|row| row.id).collect())
    }

    fn sql_view(
        &self,
        conn: &Connection,
        order: &SortOrderSet,
        limit: Option<usize>,
    ) -> StoreResult<Vec<i64>> {
        let limit = limit.map_or(String::new(), |n| format!(" LIMIT {n}"));
        if let [only] = &order.sorts[..]
            && only.tag == tags::MESSAGE_DELIVERY_TIME
        {
            // Served by the messages_by_folder index alone. Ties (same delivery time) follow the
            // direction of the sort, newest ID first when descending.
            let direction =
                if only.direction == SortDirection::Descending { "DESC" } else { "ASC" };
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id FROM messages WHERE folder_id = ?1 AND associated = ?2 \
                 ORDER BY delivery_time {direction}, id {direction}{limit}"
            ))?;
            let ids = stmt
                .query_map(rusqlite::params![self.folder, self.associated], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()?;
            return Ok(ids);
        }
        // One LEFT JOIN per key: a missing property is NULL, which SQLite sorts first when
        // ascending and last when descending, as the evaluator orders missing values.
        let mut joins = String::new();
        let mut keys = String::new();
        for (k, sort) in order.sorts.iter().enumerate() {
            let direction =
                if sort.direction == SortDirection::Descending { "DESC" } else { "ASC" };
            let _ = write!(
                joins,
                " LEFT JOIN properties p{k} ON p{k}.object_id = m.id AND p{k}.tag = {}",
                sort.tag.0
            );
            let _ = write!(keys, "p{k}.value {direction}, ");
        }
        let query = format!(
            "SELECT m.id FROM messages m{joins} WHERE m.folder_id = ?1 AND m.associated = ?2 \
             ORDER BY {keys}m.id{limit}"
        );
        let mut stmt = conn.prepare_cached(&query)?;
        let ids = stmt
            .query_map(rusqlite::params![self.folder, self.associated], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }

    /// The folders whose messages the view shows: the table's own folder, or a search
    /// folder's scope (with the subfolders of each, breadth first, each folder once, at most
    /// [`tags::MAX_SEARCH_DEPTH`] levels down, when the search is recursive).
    fn source_folders(&self, conn: &Connection) -> StoreResult<Vec<i64>> {
        let Some(search) = &self.search else { return Ok(vec![self.folder]) };
        let mut seen = BTreeSet::new();
        let mut order = Vec::new();
        let mut queue = std::collections::VecDeque::new();
        for entry_id in &search.folders {
            // A scope folder deleted since the search was saved simply contributes nothing.
            if let Ok(crate::ids::ObjectRef::Folder(id)) = self.shared.ids.parse(entry_id)
                && sql::folder_parent(conn, id)?.is_some()
            {
                queue.push_back((id, 0usize));
            }
        }
        while let Some((folder, depth)) = queue.pop_front() {
            if folder == self.folder || !seen.insert(folder) {
                continue;
            }
            order.push(folder);
            if search.recursive && depth < tags::MAX_SEARCH_DEPTH {
                queue.extend(sql::child_folders(conn, folder)?.into_iter().map(|c| (c, depth + 1)));
            }
        }
        Ok(order)
    }

    /// Every message of the view's folders with the properties whose IDs are in `ids`.
    fn load_candidates(
        &self,
        conn: &Connection,
        ids: &BTreeSet<u16>,
        sub_objects: bool,
    ) -> StoreResult<Vec<Candidate>> {
        let mut all = Vec::new();
        for folder in self.source_folders(conn)? {
            all.extend(self.load_folder_candidates(conn, folder, ids, sub_objects)?);
        }
        Ok(all)
    }

    fn load_folder_candidates(
        &self,
        conn: &Connection,
        folder: i64,
        ids: &BTreeSet<u16>,
        sub_objects: bool,
    ) -> StoreResult<Vec<Candidate>> {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM messages WHERE folder_id = ?1 AND associated = ?2 ORDER BY id",
        )?;
        let mut rows: Vec<Candidate> = stmt
            .query_map(rusqlite::params![folder, self.associated], |r| r.get(0))?
            .map(|id| id.map(|id| Candidate { id, bag: PropertyBag::new() }))
            .collect::<Result<_, _>>()?;
        if !ids.is_empty() {
            let list = ids.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
            let mut stmt = conn.prepare(&format!(
                "SELECT p.object_id, p.tag, p.value FROM messages m JOIN properties p \
                 ON p.object_id = m.id WHERE m.folder_id = ?1 AND m.associated = ?2 \
                 AND (p.tag >> 16) IN ({list}) ORDER BY p.object_id"
            ))?;
            let mut result = stmt.query(rusqlite::params![folder, self.associated])?;
            let mut at = 0;
            while let Some(row) = result.next()? {
                let id: i64 = row.get(0)?;
                while at < rows.len() && rows[at].id < id {
                    at += 1;
                }
                let Some(candidate) = rows.get_mut(at).filter(|c| c.id == id) else { continue };
                let tag = PropTag(u32::try_from(row.get::<_, i64>(1)?).unwrap_or(0));
                candidate.bag.set(tag, codec::from_sql(tag, row.get_ref(2)?)?);
            }
        }
        if sub_objects {
            for row in &mut rows {
                let message = crate::message::load_message(conn, row.id)?;
                let recipients = message
                    .recipients
                    .values()
                    .map(|r| r.values().cloned().collect::<PropertyBag>())
                    .collect();
                let attachments = message
                    .attachments
                    .values()
                    .map(|a| a.props.values().cloned().collect::<PropertyBag>())
                    .collect();
                let bag = std::mem::take(&mut row.bag);
                row.bag = bag
                    .with_sub_objects(SubObject::Recipients, recipients)
                    .with_sub_objects(SubObject::Attachments, attachments);
            }
        }
        Ok(rows)
    }

    fn load_row(&self, conn: &Connection, id: i64) -> StoreResult<Option<PropertyBag>> {
        let size: Option<i64> = conn
            .prepare_cached("SELECT size FROM messages WHERE id = ?1 AND folder_id IS NOT NULL")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(size) = size else {
            return Ok(None);
        };
        // A search folder's rows are messages of other folders: their IDs name their home.
        let home = if self.search.is_some() {
            match sql::message_home(conn, id)? {
                Some((home, _)) => home,
                None => return Ok(None),
            }
        } else {
            self.folder
        };
        let props = sql::load_props(conn, id)?;
        let has_attachments: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM attachments WHERE message_id = ?1)")?
            .query_row([id], |r| r.get(0))?;
        let ids = &self.shared.ids;
        let mut bag: PropertyBag = props.into_iter().collect();
        for value in [
            TaggedValue {
                tag: tags::ENTRY_ID,
                value: PropValue::Binary(ids.message_entry_id(home, id)),
            },
            TaggedValue {
                tag: tags::INSTANCE_KEY,
                value: PropValue::Binary(id.to_le_bytes().to_vec()),
            },
            TaggedValue {
                tag: tags::PARENT_ENTRY_ID,
                value: PropValue::Binary(ids.folder_entry_id(home)),
            },
            TaggedValue { tag: tags::OBJECT_TYPE, value: PropValue::Integer32(tags::MAPI_MESSAGE) },
            TaggedValue {
                tag: tags::MESSAGE_SIZE,
                value: PropValue::Integer32(i32::try_from(size).unwrap_or(i32::MAX)),
            },
            TaggedValue { tag: tags::HAS_ATTACHMENTS, value: PropValue::Boolean(has_attachments) },
        ] {
            bag.set(value.tag, value.value);
        }
        Ok(Some(bag))
    }

    fn rebuild(&self, restriction: Option<Restriction>, order: SortOrderSet) -> MapiResult<()> {
        if order.category_count > 0 {
            return Err(MapiError::new(
                ErrorCode::TooComplex,
                "categorised contents tables are not supported yet",
            ));
        }
        // What SQL alone answers is read when rows are asked for; the rest is evaluated now,
        // so a bad restriction fails here.
        let view = match &restriction {
            None if plain_sort(&order) && self.search.is_none() => None,
            _ => Some(
                self.shared
                    .db
                    .read(|conn| self.compute_view(conn, restriction.as_ref(), &order))?,
            ),
        };
        let mut state = lock(&self.state)?;
        state.view = view;
        state.prefix.clear();
        state.count = None;
        state.restriction = restriction;
        state.order = order;
        state.cursor = 0;
        Ok(())
    }

    /// Makes sure the first `needed` rows (all rows for `None`) are known.
    fn materialize(&self, state: &mut State, needed: Option<usize>) -> MapiResult<()> {
        if state.view.is_some() {
            return Ok(());
        }
        let restriction = state.restriction.clone();
        let order = state.order.clone();
        match needed {
            Some(n) if n <= state.prefix.len() => {}
            Some(n) if restriction.is_none() && plain_sort(&order) && self.search.is_none() => {
                let limit = n.max(256).max(state.prefix.len() * 2);
                let ids = self.shared.db.read(|conn| self.sql_view(conn, &order, Some(limit)))?;
                if ids.len() < limit {
                    state.view = Some(ids);
                    state.prefix.clear();
                } else {
                    state.prefix = ids;
                }
            }
            _ => {
                let ids = self
                    .shared
                    .db
                    .read(|conn| self.compute_view(conn, restriction.as_ref(), &order))?;
                state.view = Some(ids);
                state.prefix.clear();
            }
        }
        Ok(())
    }

    fn count(&self, state: &mut State) -> MapiResult<usize> {
        if let Some(view) = &state.view {
            return Ok(view.len());
        }
        if let Some(count) = state.count {
            return Ok(count);
        }
        if state.restriction.is_none() && self.search.is_none() {
            let count: i64 = self.shared.db.read(|conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT COUNT(*) FROM messages WHERE folder_id = ?1 AND associated = ?2",
                    )?
                    .query_row(rusqlite::params![self.folder, self.associated], |r| r.get(0))?)
            })?;
            let count = usize::try_from(count).unwrap_or(0);
            state.count = Some(count);
            return Ok(count);
        }
        self.materialize(state, None)?;
        Ok(state.view.as_ref().map_or(0, Vec::len))
    }
}

fn visible(state: &State) -> &[i64] {
    state.view.as_deref().unwrap_or(&state.prefix)
}

impl Table for ContentsTable {
    fn set_columns(&self, columns: &[PropTag]) -> MapiResult<()> {
        lock(&self.state)?.columns = columns.to_vec();
        Ok(())
    }

    fn columns(&self) -> MapiResult<Vec<PropTag>> {
        Ok(lock(&self.state)?.columns.clone())
    }

    fn restrict(&self, restriction: Option<&Restriction>) -> MapiResult<()> {
        let order = lock(&self.state)?.order.clone();
        self.rebuild(restriction.cloned(), order)
    }

    fn sort(&self, order: &SortOrderSet) -> MapiResult<()> {
        let restriction = lock(&self.state)?.restriction.clone();
        self.rebuild(restriction, order.clone())
    }

    fn row_count(&self) -> MapiResult<u32> {
        let mut state = lock(&self.state)?;
        Ok(u32::try_from(self.count(&mut state)?).unwrap_or(u32::MAX))
    }

    fn position(&self) -> MapiResult<u32> {
        Ok(u32::try_from(lock(&self.state)?.cursor).unwrap_or(u32::MAX))
    }

    fn query_rows(&self, count: usize) -> MapiResult<Vec<Row>> {
        let mut state = lock(&self.state)?;
        let needed = state.cursor.saturating_add(count);
        self.materialize(&mut state, Some(needed))?;
        let known = visible(&state);
        let start = state.cursor.min(known.len());
        let end = start.saturating_add(count).min(known.len());
        let ids = known[start..end].to_vec();
        let columns = state.columns.clone();
        let rows = self.shared.db.read(|conn| {
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                // A message deleted after the snapshot drops out of the rows.
                if let Some(bag) = self.load_row(conn, id)? {
                    rows.push(columns.iter().map(|&tag| project_column(&bag, tag)).collect());
                }
            }
            Ok(rows)
        })?;
        state.cursor = end;
        Ok(rows)
    }

    fn seek(&self, origin: BookmarkOrigin, offset: i64) -> MapiResult<i64> {
        let mut state = lock(&self.state)?;
        self.materialize(&mut state, None)?;
        let len = visible(&state).len();
        let base = match origin {
            BookmarkOrigin::Beginning => 0,
            BookmarkOrigin::Current => state.cursor,
            BookmarkOrigin::End => len,
            BookmarkOrigin::Bookmark(mark) => {
                state.bookmarks.get(mark as usize).copied().flatten().ok_or_else(|| {
                    MapiError::new(ErrorCode::InvalidBookmark, format!("no bookmark {mark}"))
                })?
            }
        };
        Ok(seek_from(&mut state.cursor, base, offset, len))
    }

    fn create_bookmark(&self) -> MapiResult<u32> {
        let mut state = lock(&self.state)?;
        let cursor = state.cursor;
        state.bookmarks.push(Some(cursor));
        Ok(u32::try_from(state.bookmarks.len() - 1).unwrap_or(u32::MAX))
    }

    fn free_bookmark(&self, bookmark: u32) -> MapiResult<()> {
        let mut state = lock(&self.state)?;
        match state.bookmarks.get_mut(bookmark as usize) {
            Some(slot @ Some(_)) => {
                *slot = None;
                Ok(())
            }
            _ => Err(MapiError::new(ErrorCode::InvalidBookmark, format!("no bookmark {bookmark}"))),
        }
    }

    fn find_row(&self, restriction: &Restriction) -> MapiResult<bool> {
        let mut state = lock(&self.state)?;
        let mut filter = RowFilter::new(restriction)?;
        self.materialize(&mut state, None)?;
        let known = visible(&state);
        let ids: Vec<i64> = known[state.cursor.min(known.len())..].to_vec();
        let found = self.shared.db.read(|conn| {
            for (offset, id) in ids.into_iter().enumerate() {
                if let Some(bag) = self.load_row(conn, id)?
                    && filter.matches(&bag)
                {
                    return Ok(Some(offset));
                }
            }
            Ok(None)
        })?;
        if let Some(offset) = found {
            state.cursor += offset;
        }
        Ok(found.is_some())
    }
}
