//! The `Items` members COM scripts use most: `Item(i)`, `GetFirst`/`GetNext`/`GetLast`/
//! `GetPrevious`, `Remove(i)`, `SetColumns`/`ResetColumns`, and `Application.CreateItem`.
//!
//! The cursor belongs to the collection, as in Outlook: `get_first` and `get_last` place it,
//! `get_next`/`get_previous` move it and return `None` once they step off either end (a
//! further `get_next` stays at the end; `get_previous` from past the end returns the last
//! item again). `get_next` before any `get_first` starts at the first item. `sort` and
//! `restrict` (which returns a new collection) start over with no cursor. The cursor keeps the
//! contents table it was opened on, so items saved into the folder meanwhile do not shift it;
//! `remove` forgets it.
//!
//! `set_columns`: Outlook loads only the named properties into items read after SetColumns
//! (the others read as empty until the item is reopened). Outpost opens items lazily anyway,
//! so items stay whole; the column list narrows what [`Items::column_rows`] reads, the fast
//! path for scripts that only want a few properties. It survives `sort` and `restrict`, and
//! `reset_columns` clears it.

use crate::application::Application;
use crate::error::{SessionError, SessionResult};
use crate::events::EventKind;
use crate::item::Item;
use crate::items::{Items, RowIter, field_tag, row_entry_id};
use mapi::catalog::tags;
use mapi::provider::{BookmarkOrigin, Table};
use mapi::{ErrorCode, MapiError, OlDefaultFolders, OlItemType, PropTag};
use std::sync::Mutex;

/// Per-collection state of the COM members: the cursor and the SetColumns list.
#[derive(Debug, Default)]
pub struct ComState {
    cursor: Mutex<Option<Cursor>>,
    columns: Mutex<Option<Vec<PropTag>>>,
}

#[derive(Debug)]
struct Cursor {
    table: Box<dyn Table>,
    /// Row index of the last item returned; -1 before the first, `len` past the last.
    position: i64,
    len: i64,
}

impl ComState {
    /// State for a derived collection: the same columns, no cursor.
    pub(crate) fn fresh(&self) -> ComState {
        ComState { cursor: Mutex::new(None), columns: Mutex::new(self.columns_in_force()) }
    }

    pub(crate) fn reset_cursor(&self) {
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn columns_in_force(&self) -> Option<Vec<PropTag>> {
        self.columns.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Where a cursor move goes.
#[derive(Clone, Copy)]
enum Step {
    First,
    Last,
    Next,
    Previous,
}

impl Items {
    /// `Items.Item(Index)`: the item at a 1-based index in the collection's order. Outside
    /// `1..=Count` is `MAPI_E_NOT_FOUND`, naming the index and the count.
    pub fn item(&self, index: usize) -> SessionResult<Item> {
        let table = self.table()?;
        let count = table.row_count()? as usize;
        if index == 0 || index > count {
            return Err(SessionError::Mapi(MapiError::not_found(format!(
                "Items.Item({index}): out of range; the collection has {count} item(s) and \
                 indexes start at 1"
            ))));
        }
        table.set_columns(&[tags::PidTagEntryId])?;
        table.seek(BookmarkOrigin::Beginning, index as i64 - 1)?;
        self.open_next_row(table.as_ref())?.ok_or_else(|| {
            SessionError::Mapi(MapiError::not_found(format!(
                "Items.Item({index}): the item left the folder while it was being read"
            )))
        })
    }

    /// `Items.Item("subject")`: the first item (in the collection's order) whose subject
    /// equals the text, ignoring case, as Outlook's string index matches the default property.
    pub fn item_by_subject(&self, subject: &str) -> SessionResult<Option<Item>> {
        use mapi::restriction::{FuzzyLevel, FuzzyMatch, Restriction};
        let exact = Restriction::content(
            FuzzyLevel::new(FuzzyMatch::FullString).ignoring_case(),
            mapi::TaggedValue {
                tag: tags::PidTagSubject,
                value: mapi::PropValue::String(subject.to_owned()),
            },
        );
        let table = self.restrict_with(exact).table()?;
        table.set_columns(&[tags::PidTagEntryId])?;
        self.open_next_row(table.as_ref())
    }

    /// `Items.GetFirst`: the first item, or `None` when the collection is empty.
    pub fn get_first(&self) -> SessionResult<Option<Item>> {
        self.step(Step::First)
    }

    /// `Items.GetLast`.
    pub fn get_last(&self) -> SessionResult<Option<Item>> {
        self.step(Step::Last)
    }

    /// `Items.GetNext`: `None` past the last item.
    pub fn get_next(&self) -> SessionResult<Option<Item>> {
        self.step(Step::Next)
    }

    /// `Items.GetPrevious`: `None` before the first item.
    pub fn get_previous(&self) -> SessionResult<Option<Item>> {
        self.step(Step::Previous)
    }

    fn step(&self, step: Step) -> SessionResult<Option<Item>> {
        let mut guard = self.com.cursor.lock().unwrap_or_else(|e| e.into_inner());
        let restart = matches!(step, Step::First | Step::Last) || guard.is_none();
        if restart {
            let table = self.table()?;
            table.set_columns(&[tags::PidTagEntryId])?;
            let len = i64::from(table.row_count()?);
            *guard = Some(Cursor { table, position: -1, len });
        }
        let Some(cursor) = guard.as_mut() else { return Ok(None) };
        cursor.position = match step {
            Step::First => 0,
            Step::Last => cursor.len - 1,
            Step::Next => (cursor.position + 1).min(cursor.len),
            Step::Previous => (cursor.position - 1).max(-1),
        };
        if cursor.position < 0 || cursor.position >= cursor.len {
            // Off either end; an empty collection leaves the cursor before the start.
            cursor.position = cursor.position.clamp(-1, cursor.len);
            return Ok(None);
        }
        cursor.table.seek(BookmarkOrigin::Beginning, cursor.position)?;
        self.open_next_row(cursor.table.as_ref())
    }

    fn open_next_row(&self, table: &dyn Table) -> SessionResult<Option<Item>> {
        match table.query_rows(1)?.first().and_then(row_entry_id) {
            Some(id) => Ok(Some(self.folder().store().get_item_from_id_bytes(&id)?)),
            None => Ok(None),
        }
    }

    /// `Items.Remove(Index)`: deletes the item at a 1-based index for good (it does not go to
    /// Deleted Items; `Item::delete` does that) and raises `ItemRemove`. The cursor starts
    /// over.
    pub fn remove(&self, index: usize) -> SessionResult<()> {
        let store = self.folder().store();
        store.check_writable("remove an item")?;
        let item = self.item(index)?;
        let id = item.entry_id_bytes().ok_or_else(|| {
            SessionError::Mapi(MapiError::new(ErrorCode::CallFailed, "the item has no entry ID"))
        })?;
        let parent = item.parent()?;
        parent.handle().delete_messages(std::slice::from_ref(&id))?;
        store.publish(EventKind::ItemRemove, Some(&parent.entry_id_bytes()), &[&id]);
        self.com.reset_cursor();
        Ok(())
    }

    /// `Items.SetColumns(Columns)`: a comma-separated list of property names (Outlook names,
    /// DASL names or MAPI property paths), read by [`Items::column_rows`]. An unknown name is
    /// `MAPI_E_INVALID_PARAMETER` and leaves the previous list in force.
    pub fn set_columns(&self, columns: &str) -> SessionResult<()> {
        let mut tags = Vec::new();
        for name in columns.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            tags.push(field_tag(self.folder().store(), name)?);
        }
        if tags.is_empty() {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(
                "SetColumns needs at least one property name",
            )));
        }
        *self.com.columns.lock().unwrap_or_else(|e| e.into_inner()) = Some(tags);
        Ok(())
    }

    /// `Items.ResetColumns`.
    pub fn reset_columns(&self) {
        *self.com.columns.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The SetColumns list, if one is in force.
    pub fn columns(&self) -> Option<Vec<PropTag>> {
        self.com.columns_in_force()
    }

    /// Rows with the SetColumns properties (entry ID first, so each row can still be opened);
    /// without SetColumns, entry ID and subject.
    pub fn column_rows(&self) -> SessionResult<RowIter> {
        let mut columns = vec![tags::PidTagEntryId];
        match self.columns() {
            Some(chosen) => {
                columns.extend(chosen.into_iter().filter(|t| *t != tags::PidTagEntryId))
            }
            None => columns.push(tags::PidTagSubject),
        }
        self.rows(&columns)
    }
}

impl Application {
    /// `Application.CreateItem(ItemType)`: a new, unsaved item of the type's message class in
    /// the type's default folder of the default store (mail and post items: Drafts, as Outlook
    /// saves them; distribution lists: Contacts). It exists once [`Item::save`] returns.
    pub fn create_item(&self, item_type: OlItemType) -> SessionResult<Item> {
        let folder_kind = match item_type {
            OlItemType::MailItem | OlItemType::PostItem => OlDefaultFolders::Drafts,
            OlItemType::AppointmentItem => OlDefaultFolders::Calendar,
            OlItemType::ContactItem | OlItemType::DistributionListItem => {
                OlDefaultFolders::Contacts
            }
            OlItemType::TaskItem => OlDefaultFolders::Tasks,
            OlItemType::JournalItem => OlDefaultFolders::Journal,
            OlItemType::NoteItem => OlDefaultFolders::Notes,
        };
        let folder = self.session().get_default_folder(folder_kind)?;
        folder.create_item(Some(item_type.default_message_class()))
    }
}
