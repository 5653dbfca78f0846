//! Tables (`IMAPITable`, MS-OXCTABL): a column set, a restriction, a sort order and a cursor.

use crate::restriction::{
    PropertyBag, PropertySource, Restriction, RowFilter, SortOrderSet, SubObject, sort_rows,
};
use crate::{ErrorCode, MapiError, MapiResult, PropTag, PropValue, TaggedValue};
use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

/// One table row: a value per column, in column order; a column the row lacks holds a PT_ERROR
/// `MAPI_E_NOT_FOUND` value (see [`super::missing`]).
pub type Row = Vec<TaggedValue>;

/// Where `seek` counts from (`BOOKMARK_BEGINNING`, `BOOKMARK_CURRENT`, `BOOKMARK_END`, or a
/// bookmark made by `create_bookmark`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookmarkOrigin {
    Beginning,
    Current,
    End,
    Bookmark(u32),
}

/// A table (`IMAPITable`). The cursor starts at the beginning. Which rows a table shows is
/// fixed when it is opened, restricted or sorted, or, for a backend that reads rows lazily,
/// when they are first needed; changes saved after that may or may not show (as in MAPI, a
/// table is not a transaction), but a row never shows half a save.
pub trait Table: Send + Sync + fmt::Debug {
    /// Chooses the columns of the rows `query_rows` returns (`SetColumns`).
    fn set_columns(&self, columns: &[PropTag]) -> MapiResult<()>;

    /// The current columns (`QueryColumns`).
    fn columns(&self) -> MapiResult<Vec<PropTag>>;

    /// Keeps only the rows that match (`Restrict`); `None` removes the restriction. Moves the
    /// cursor to the beginning.
    fn restrict(&self, restriction: Option<&Restriction>) -> MapiResult<()>;

    /// Orders the rows (`SortTable`); ties keep the table's natural order. Moves the cursor to
    /// the beginning. Categorised sorts are `MAPI_E_TOO_COMPLEX` where a backend lacks them.
    fn sort(&self, order: &SortOrderSet) -> MapiResult<()>;

    /// Number of rows after the restriction (`GetRowCount`).
    fn row_count(&self) -> MapiResult<u32>;

    /// The cursor's row index (`QueryPosition`).
    fn position(&self) -> MapiResult<u32>;

    /// Up to `count` rows from the cursor, which moves past them (`QueryRows`). An empty result
    /// means the cursor is at the end.
    fn query_rows(&self, count: usize) -> MapiResult<Vec<Row>>;

    /// Moves the cursor by `offset` rows from `origin` (`SeekRow`/`SeekRowBookmark`), clamped to
    /// the table; returns how many rows it actually moved (negative backwards).
    fn seek(&self, origin: BookmarkOrigin, offset: i64) -> MapiResult<i64>;

    /// Remembers the cursor (`CreateBookmark`).
    fn create_bookmark(&self) -> MapiResult<u32>;

    /// Forgets a bookmark (`FreeBookmark`); an unknown one is `MAPI_E_INVALID_BOOKMARK`.
    fn free_bookmark(&self, bookmark: u32) -> MapiResult<()>;

    /// Moves the cursor to the first row at or after it that matches (`FindRow`); returns
    /// whether one was found (the cursor stays where it was if not).
    fn find_row(&self, restriction: &Restriction) -> MapiResult<bool>;
}

/// A table over rows held in memory: recipients, attachments, hierarchy tables, and any
/// backend that reads a whole folder at once. Each row carries every property of its object
/// (and, for restrictions on sub-objects, its recipient and attachment rows); the column set
/// picks from them. Restrictions and sorts run through the `mapi` evaluator.
#[derive(Debug)]
pub struct MemoryTable {
    state: Mutex<MemoryState>,
}

#[derive(Debug)]
struct MemoryState {
    all: Vec<PropertyBag>,
    view: Vec<usize>,
    columns: Vec<PropTag>,
    restriction: Option<Restriction>,
    order: SortOrderSet,
    cursor: usize,
    bookmarks: Vec<Option<usize>>,
}

/// A row with its index, so a sort can say where each row came from.
struct Indexed<'a>(usize, &'a PropertyBag);

impl PropertySource for Indexed<'_> {
    fn value(&self, tag: PropTag) -> Option<Cow<'_, PropValue>> {
        self.1.value(tag)
    }

    fn sub_objects(&self, subobject: SubObject) -> Vec<Box<dyn PropertySource + '_>> {
        self.1.sub_objects(subobject)
    }
}

impl MemoryTable {
    /// A table over rows given as property lists, with `columns` as its default column set.
    pub fn new(rows: Vec<Vec<TaggedValue>>, columns: Vec<PropTag>) -> MemoryTable {
        MemoryTable::from_bags(rows.into_iter().map(PropertyBag::from_iter).collect(), columns)
    }

    /// A table over rows that may carry sub-object tables (for `RES_SUBRESTRICTION`).
    pub fn from_bags(rows: Vec<PropertyBag>, columns: Vec<PropTag>) -> MemoryTable {
        let view = (0..rows.len()).collect();
        MemoryTable {
            state: Mutex::new(MemoryState {
                all: rows,
                view,
                columns,
                restriction: None,
                order: SortOrderSet::default(),
                cursor: 0,
                bookmarks: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MapiResult<std::sync::MutexGuard<'_, MemoryState>> {
        self.state
            .lock()
            .map_err(|_| MapiError::new(ErrorCode::CallFailed, "the table's lock is poisoned"))
    }
}

/// The value of a row that answers a column: exact tag first, then by ID (see
/// [`super::requested_value`]); PT_ERROR `MAPI_E_NOT_FOUND` if none.
pub fn project_column(row: &PropertyBag, tag: PropTag) -> TaggedValue {
    if let Some(value) = row.props.get(&tag) {
        return TaggedValue { tag, value: value.clone() };
    }
    row.props
        .iter()
        .filter(|(t, _)| t.id() == tag.id())
        .find_map(|(&t, v)| super::requested_value(&TaggedValue { tag: t, value: v.clone() }, tag))
        .unwrap_or_else(|| super::missing(tag))
}

impl MemoryState {
    fn rebuild(&mut self) -> MapiResult<()> {
        if self.order.category_count > 0 {
            return Err(MapiError::new(
                ErrorCode::TooComplex,
                "categorised sorts are not supported by this table",
            ));
        }
        let mut rows: Vec<Indexed<'_>> =
            self.all.iter().enumerate().map(|(i, row)| Indexed(i, row)).collect();
        if let Some(restriction) = &self.restriction {
            let mut filter = RowFilter::new(restriction)?;
            rows.retain(|row| filter.matches(row));
        }
        if !self.order.sorts.is_empty() {
            sort_rows(&mut rows, &self.order);
        }
        self.view = rows.iter().map(|row| row.0).collect();
        self.cursor = 0;
        Ok(())
    }

    fn project(&self, index: usize) -> Row {
        let row = &self.all[index];
        self.columns.iter().map(|&tag| project_column(row, tag)).collect()
    }
}

impl Table for MemoryTable {
    fn set_columns(&self, columns: &[PropTag]) -> MapiResult<()> {
        self.lock()?.columns = columns.to_vec();
        Ok(())
    }

    fn columns(&self) -> MapiResult<Vec<PropTag>> {
        Ok(self.lock()?.columns.clone())
    }

    fn restrict(&self, restriction: Option<&Restriction>) -> MapiResult<()> {
        let mut state = self.lock()?;
        state.restriction = restriction.cloned();
        state.rebuild()
    }

    fn sort(&self, order: &SortOrderSet) -> MapiResult<()> {
        let mut state = self.lock()?;
        state.order = order.clone();
        state.rebuild()
    }

    fn row_count(&self) -> MapiResult<u32> {
        Ok(u32::try_from(self.lock()?.view.len()).unwrap_or(u32::MAX))
    }

    fn position(&self) -> MapiResult<u32> {
        Ok(u32::try_from(self.lock()?.cursor).unwrap_or(u32::MAX))
    }

    fn query_rows(&self, count: usize) -> MapiResult<Vec<Row>> {
        let mut state = self.lock()?;
        let start = state.cursor.min(state.view.len());
        let end = start.saturating_add(count).min(state.view.len());
        let rows = state.view[start..end].iter().map(|&i| state.project(i)).collect();
        state.cursor = end;
        Ok(rows)
    }

    fn seek(&self, origin: BookmarkOrigin, offset: i64) -> MapiResult<i64> {
        let mut state = self.lock()?;
        let base = match origin {
            BookmarkOrigin::Beginning => 0,
            BookmarkOrigin::Current => state.cursor,
            BookmarkOrigin::End => state.view.len(),
            BookmarkOrigin::Bookmark(mark) => {
                state.bookmarks.get(mark as usize).copied().flatten().ok_or_else(|| {
                    MapiError::new(ErrorCode::InvalidBookmark, format!("no bookmark {mark}"))
                })?
            }
        };
        let len = state.view.len();
        Ok(seek_from(&mut state.cursor, base, offset, len))
    }

    fn create_bookmark(&self) -> MapiResult<u32> {
        let mut state = self.lock()?;
        let cursor = state.cursor;
        state.bookmarks.push(Some(cursor));
        Ok(u32::try_from(state.bookmarks.len() - 1).unwrap_or(u32::MAX))
    }

    fn free_bookmark(&self, bookmark: u32) -> MapiResult<()> {
        let mut state = self.lock()?;
        match state.bookmarks.get_mut(bookmark as usize) {
            Some(slot @ Some(_)) => {
                *slot = None;
                Ok(())
            }
            _ => Err(MapiError::new(ErrorCode::InvalidBookmark, format!("no bookmark {bookmark}"))),
        }
    }

    fn find_row(&self, restriction: &Restriction) -> MapiResult<bool> {
        let mut state = self.lock()?;
        let mut filter = RowFilter::new(restriction)?;
        let found = (state.cursor..state.view.len())
            .find(|&pos| filter.matches(&state.all[state.view[pos]]));
        if let Some(pos) = found {
            state.cursor = pos;
        }
        Ok(found.is_some())
    }
}

/// Moves `cursor` to `base + offset` clamped to `0..=len`; returns the rows moved from `base`
/// (MAPI's `lpRowsSought`).
pub fn seek_from(cursor: &mut usize, base: usize, offset: i64, len: usize) -> i64 {
    let target = i64::try_from(base).unwrap_or(i64::MAX).saturating_add(offset);
    let clamped = target.clamp(0, i64::try_from(len).unwrap_or(i64::MAX));
    *cursor = usize::try_from(clamped).unwrap_or(0);
    clamped - i64::try_from(base).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::restriction::{RelOp, SortOrder};
    use crate::{PropType, PropValue};

    const RANK: PropTag = PropTag::new(0x6601, PropType::Integer32);
    const NAME: PropTag = PropTag::new(0x3001, PropType::String);

    fn table() -> MemoryTable {
        let rows = [(3, "c"), (1, "a"), (2, "b"), (5, "e"), (4, "d")]
            .iter()
            .map(|&(rank, name)| {
                vec![
                    TaggedValue { tag: RANK, value: PropValue::Integer32(rank) },
                    TaggedValue { tag: NAME, value: PropValue::String(name.into()) },
                ]
            })
            .collect();
        MemoryTable::new(rows, vec![NAME])
    }

    fn names(rows: &[Row]) -> Vec<&str> {
        rows.iter().filter_map(|r| r[0].value.as_str()).collect()
    }

    #[test]
    fn sorting_and_restricting_reset_the_cursor_and_keep_the_order() {
        let table = table();
        table.sort(&SortOrderSet::new(vec![SortOrder::descending(RANK)])).unwrap();
        assert_eq!(names(&table.query_rows(2).unwrap()), ["e", "d"]);
        let above_one = Restriction::property(
            RelOp::GreaterThan,
            TaggedValue { tag: RANK, value: PropValue::Integer32(2) },
        );
        table.restrict(Some(&above_one)).unwrap();
        assert_eq!(table.position().unwrap(), 0);
        assert_eq!(table.row_count().unwrap(), 3);
        assert_eq!(names(&table.query_rows(10).unwrap()), ["e", "d", "c"]);
    }

    #[test]
    fn a_missing_column_is_a_not_found_error_value() {
        let table = table();
        let absent = PropTag::new(0x6602, PropType::Binary);
        table.set_columns(&[absent]).unwrap();
        let row = table.query_rows(1).unwrap().remove(0);
        assert_eq!(row[0], crate::provider::missing(absent));
    }

    #[test]
    fn seeking_clamps_and_reports_the_rows_moved() {
        let table = table();
        assert_eq!(table.seek(BookmarkOrigin::End, 10).unwrap(), 0);
        assert_eq!(table.position().unwrap(), 5);
        assert_eq!(table.seek(BookmarkOrigin::Current, -7).unwrap(), -5);
        let mark = table.create_bookmark().unwrap();
        table.free_bookmark(mark).unwrap();
        assert_eq!(table.free_bookmark(mark).unwrap_err().code, ErrorCode::InvalidBookmark);
    }
}
