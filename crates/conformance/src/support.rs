//! Helpers the cases share.

use mapi::catalog::tags as t;
use mapi::provider::{Folder, FolderKind, Message, MessageStore, Table};
use mapi::{ErrorCode, MapiResult, PropTag, PropValue, TaggedValue};

pub const SUBJECT: PropTag = t::PidTagSubject;
pub const MESSAGE_CLASS: PropTag = t::PidTagMessageClass;
pub const DISPLAY_NAME: PropTag = t::PidTagDisplayName;
pub const ENTRY_ID: PropTag = t::PidTagEntryId;
pub const BODY: PropTag = t::PidTagBody;
pub const IMPORTANCE: PropTag = t::PidTagImportance;
pub const DELIVERY_TIME: PropTag = t::PidTagMessageDeliveryTime;
pub const ATTACH_METHOD: PropTag = t::PidTagAttachMethod;
pub const ATTACH_DATA_BINARY: PropTag = t::PidTagAttachDataBinary;
pub const ATTACH_LONG_FILENAME: PropTag = t::PidTagAttachLongFilename;
pub const ATTACH_LONG_PATHNAME: PropTag = t::PidTagAttachLongPathname;
pub const RECIPIENT_TYPE: PropTag = t::PidTagRecipientType;
pub const EMAIL_ADDRESS: PropTag = t::PidTagEmailAddress;
pub const ROW_ID: PropTag = t::PidTagRowid;
pub const ATTACH_NUMBER: PropTag = t::PidTagAttachNumber;

pub fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

pub fn text(tag: PropTag, value: &str) -> TaggedValue {
    tv(tag, PropValue::String(value.to_owned()))
}

pub fn ok<T>(result: MapiResult<T>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(err) => panic!("{what}: {err}"),
    }
}

pub fn expect_error<T: std::fmt::Debug>(result: MapiResult<T>, code: ErrorCode, what: &str) {
    match result {
        Ok(value) => panic!("{what}: expected {code}, got success {value:?}"),
        Err(err) => assert_eq!(err.code, code, "{what}: {err}"),
    }
}

/// A fresh folder for one case, under the root, so cases never see each other's data.
pub fn scratch_folder(store: &dyn MessageStore, name: &str) -> Box<dyn Folder> {
    let root = ok(store.root_folder(), "opening the root folder");
    ok(root.create_folder(name, FolderKind::Generic, false), "creating a scratch folder")
}

/// Saves a new message with `props` and returns its entry ID.
pub fn save_message(folder: &dyn Folder, props: &[TaggedValue]) -> Vec<u8> {
    let message = ok(folder.create_message(false), "creating a message");
    ok(message.set_props(props), "setting message properties");
    ok(message.save_changes(), "saving a message");
    message.entry_id().expect("a saved message has an entry ID")
}

pub fn prop(object: &dyn mapi::provider::PropertyObject, tag: PropTag) -> Option<PropValue> {
    ok(object.get_prop(tag), "reading a property")
}

pub fn subject_of(message: &dyn Message) -> Option<String> {
    prop(message, SUBJECT).and_then(|v| v.as_str().map(str::to_owned))
}

/// Every row of a table, read in batches of `batch`.
pub fn all_rows(table: &dyn Table, batch: usize) -> Vec<Vec<TaggedValue>> {
    let mut rows = Vec::new();
    loop {
        let chunk = ok(table.query_rows(batch), "querying rows");
        if chunk.is_empty() {
            return rows;
        }
        rows.extend(chunk);
    }
}

/// The value of `tag` in a row (a PT_ERROR column counts as absent).
pub fn column(row: &[TaggedValue], tag: PropTag) -> Option<&PropValue> {
    row.iter().find(|v| v.tag == tag).map(|v| &v.value)
}

pub fn entry_ids_of(folder: &dyn Folder, associated: bool) -> Vec<Vec<u8>> {
    let table = ok(folder.contents_table(associated), "opening the contents table");
    ok(table.set_columns(&[ENTRY_ID]), "setting columns");
    all_rows(table.as_ref(), 100)
        .iter()
        .filter_map(|row| column(row, ENTRY_ID).and_then(|v| v.as_binary()).map(<[u8]>::to_vec))
        .collect()
}

pub fn child_folder_names(folder: &dyn Folder) -> Vec<String> {
    let table = ok(folder.hierarchy_table(false), "opening the hierarchy table");
    ok(table.set_columns(&[DISPLAY_NAME]), "setting columns");
    all_rows(table.as_ref(), 50)
        .iter()
        .filter_map(|row| column(row, DISPLAY_NAME).and_then(|v| v.as_str()).map(str::to_owned))
        .collect()
}

pub fn child_folder_id(folder: &dyn Folder, name: &str) -> Vec<u8> {
    let table = ok(folder.hierarchy_table(false), "opening the hierarchy table");
    ok(table.set_columns(&[DISPLAY_NAME, ENTRY_ID]), "setting columns");
    all_rows(table.as_ref(), 50)
        .iter()
        .find(|row| column(row, DISPLAY_NAME).and_then(|v| v.as_str()) == Some(name))
        .and_then(|row| column(row, ENTRY_ID).and_then(|v| v.as_binary()).map(<[u8]>::to_vec))
        .unwrap_or_else(|| panic!("no child folder named {name:?}"))
}
