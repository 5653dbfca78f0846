//! The mailbox schema. `PRAGMA application_id` marks the file as an Outpost mailbox,
//! `PRAGMA user_version` holds the schema version; `upgrade` brings older versions forward and
//! a newer version is refused before anything is written.

use crate::error::StoreResult;

/// 'OPMB': identifies an Outpost mailbox among SQLite files.
pub const APPLICATION_ID: i32 = 0x4F50_4D42;

/// Page size of new mailboxes. Bodies of a few KiB pack badly into 4 KiB pages (one 2 KiB body
/// per page leaves half of it empty); 16 KiB pages hold several.
pub const PAGE_SIZE: i64 = 16_384;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// Object ID of the message store object itself; folders, messages, attachments and recipients
/// take IDs from the global counter, which starts above it.
pub const STORE_OBJECT_ID: i64 = 1;
pub const FIRST_COUNTER_VALUE: i64 = 0x100;

/// The current schema (version 2), as a new mailbox gets it. Every object (store, folder, message, attachment, recipient) has one ID space so
/// that one `properties` table holds them all; folder and message IDs are the global counter
/// values of their entry IDs.
pub const SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value ANY
) STRICT;

CREATE TABLE folders (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
    kind      INTEGER NOT NULL
) STRICT;
CREATE INDEX folders_by_parent ON folders(parent_id);

CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    folder_id         INTEGER REFERENCES folders(id) ON DELETE CASCADE,
    associated        INTEGER NOT NULL DEFAULT 0,
    parent_attachment INTEGER REFERENCES attachments(id) ON DELETE CASCADE,
    -- A copy of PidTagMessageDeliveryTime for the view every client opens first (a folder by
    -- delivery time): the index answers it without touching the properties.
    delivery_time     INTEGER,
    -- PidTagMessageSize as of the last save (recipients and attachments included), so tables
    -- show it without reading the whole message.
    size              INTEGER NOT NULL DEFAULT 0,
    CHECK ((folder_id IS NULL) <> (parent_attachment IS NULL))
) STRICT;
CREATE INDEX messages_by_folder ON messages(folder_id, associated, delivery_time, id);
CREATE INDEX messages_by_attachment ON messages(parent_attachment);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE ON UPDATE CASCADE,
    attach_num INTEGER NOT NULL,
    UNIQUE (message_id, attach_num)
) STRICT;

CREATE TABLE recipients (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE ON UPDATE CASCADE,
    row_id     INTEGER NOT NULL,
    UNIQUE (message_id, row_id)
) STRICT;

-- A rowid table with the key in a separate index, not WITHOUT ROWID: index b-tree cells keep
-- only about a quarter page locally, which would push every 2 KiB body into a mostly empty
-- overflow page.
CREATE TABLE properties (
    object_id INTEGER NOT NULL,
    tag       INTEGER NOT NULL,
    value,
    PRIMARY KEY (object_id, tag)
);

CREATE TABLE named_properties (
    prop_id INTEGER PRIMARY KEY CHECK (prop_id BETWEEN 32768 AND 65534),
    guid    BLOB NOT NULL,
    kind    INTEGER NOT NULL CHECK (kind IN (0, 1)),
    lid     INTEGER NOT NULL DEFAULT 0,
    name    TEXT NOT NULL DEFAULT '',
    UNIQUE (guid, kind, lid, name)
) STRICT;

CREATE TABLE receive_folders (
    message_class TEXT PRIMARY KEY COLLATE NOCASE,
    folder_id     INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE
) STRICT;

CREATE TABLE special_folders (
    kind      TEXT PRIMARY KEY,
    folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE
) STRICT;

CREATE TABLE permissions (
    folder_id   INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL,
    member_name TEXT NOT NULL,
    rights      INTEGER NOT NULL,
    PRIMARY KEY (folder_id, member_id)
) STRICT;

CREATE TRIGGER folder_properties_go AFTER DELETE ON folders
    BEGIN DELETE FROM properties WHERE object_id = OLD.id; END;
CREATE TRIGGER message_properties_go AFTER DELETE ON messages
    BEGIN DELETE FROM properties WHERE object_id = OLD.id; END;
CREATE TRIGGER attachment_properties_go AFTER DELETE ON attachments
    BEGIN DELETE FROM properties WHERE object_id = OLD.id; END;
CREATE TRIGGER recipient_properties_go AFTER DELETE ON recipients
    BEGIN DELETE FROM properties WHERE object_id = OLD.id; END;
";

/// Upgrades from `from` to [`SCHEMA_VERSION`], one step per version, inside the caller's
/// transaction (the caller then sets `user_version`).
pub fn upgrade(tx: &rusqlite::Transaction<'_>, from: i64) -> StoreResult<()> {
    if from < 2 {
        v1_to_v2(tx)?;
    }
    Ok(())
}

/// Version 2 keeps a message's delivery time (indexed with its folder) and size in the
/// `messages` row, so the inbox view and the size column need no property reads.
fn v1_to_v2(tx: &rusqlite::Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(
        "ALTER TABLE messages ADD COLUMN delivery_time INTEGER;
         ALTER TABLE messages ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
         DROP INDEX IF EXISTS messages_by_folder;
         CREATE INDEX messages_by_folder ON messages(folder_id, associated, delivery_time, id);",
    )?;
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM messages WHERE folder_id IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        let size = crate::message::load_message(tx, id)?.size();
        crate::sql::refresh_sort_columns(tx, id, size)?;
    }
    Ok(())
}
