//! The folders of a new mailbox (MS-OXOSFLD 2.2.1) and the properties through which clients
//! find them (MS-OXOSFLD 2.2.2 - 2.2.5).

use crate::error::StoreResult;
use crate::ids::IdContext;
use crate::mailbox::CreateOptions;
use crate::{schema, sql, tags};
use mapi::catalog::tags as t;
use mapi::provider::{FolderKind, PersistId, SpecialFolder, ren_entry_ids_ex_encode};
use mapi::{OneOffEntryId, PropTag, PropValue, TaggedValue};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

/// The key of a special folder in the `special_folders` table.
pub fn special_key(which: SpecialFolder) -> String {
    format!("{which:?}")
}

fn binary(tag: PropTag, bytes: Vec<u8>) -> TaggedValue {
    TaggedValue { tag, value: PropValue::Binary(bytes) }
}

fn text(tag: PropTag, value: &str) -> TaggedValue {
    TaggedValue { tag, value: PropValue::String(value.to_owned()) }
}

/// Folders hidden from the IPM view (MS-OXOSFLD: configuration folders carry
/// `PidTagAttributeHidden`).
fn is_hidden(which: SpecialFolder) -> bool {
    matches!(which, SpecialFolder::ConversationActionSettings | SpecialFolder::QuickStepSettings)
}

pub fn create_standard_folders(
    tx: &Connection,
    ids: IdContext,
    options: &CreateOptions,
) -> StoreResult<()> {
    let mut made: BTreeMap<SpecialFolder, i64> = BTreeMap::new();
    // `SpecialFolder::ALL` lists every parent before its children.
    for &which in SpecialFolder::ALL {
        let parent = which.parent().and_then(|p| made.get(&p).copied());
        let kind = match which {
            SpecialFolder::Root => FolderKind::Root,
            w if w.is_search_folder() => FolderKind::Search,
            _ => FolderKind::Generic,
        };
        let id = sql::next_id(tx)?;
        tx.execute(
            "INSERT INTO folders (id, parent_id, kind) VALUES (?1, ?2, ?3)",
            params![id, parent, kind.code()],
        )?;
        let mut props = vec![text(tags::DISPLAY_NAME, which.english_name())];
        if let Some(class) = which.container_class() {
            props.push(text(tags::CONTAINER_CLASS, class));
        }
        if is_hidden(which) {
            props
                .push(TaggedValue { tag: tags::ATTRIBUTE_HIDDEN, value: PropValue::Boolean(true) });
        }
        sql::write_props(tx, id, &props)?;
        tx.execute(
            "INSERT INTO special_folders (kind, folder_id) VALUES (?1, ?2)",
            params![special_key(which), id],
        )?;
        made.insert(which, id);
    }
    let entry_id = |which: SpecialFolder| ids.folder_entry_id(made[&which]);

    // Store object (MS-OXOSFLD 2.2.2, MS-OXCSTOR 2.2.2.1).
    let owner_name = options.owner_name.clone().or_else(|| options.owner_address.clone());
    let display_name = options.display_name.clone().unwrap_or_else(|| match &owner_name {
        Some(owner) => format!("Mailbox - {owner}"),
        None => "Mailbox".to_owned(),
    });
    let mut store = vec![
        text(tags::DISPLAY_NAME, &display_name),
        TaggedValue {
            tag: tags::STORE_SUPPORT_MASK,
            value: PropValue::Integer32(tags::STORE_SUPPORT),
        },
        // Every FOLDER_*_VALID bit: subtree, inbox, outbox, wastebasket, sent mail, views,
        // common views, finder.
        TaggedValue { tag: tags::VALID_FOLDER_MASK, value: PropValue::Integer32(0xFF) },
        binary(t::PidTagIpmSubtreeEntryId, entry_id(SpecialFolder::IpmSubtree)),
        binary(t::PidTagIpmOutboxEntryId, entry_id(SpecialFolder::Outbox)),
        binary(t::PidTagIpmWastebasketEntryId, entry_id(SpecialFolder::DeletedItems)),
        binary(t::PidTagIpmSentMailEntryId, entry_id(SpecialFolder::SentItems)),
        binary(t::PidTagViewsEntryId, entry_id(SpecialFolder::Views)),
        binary(t::PidTagCommonViewsEntryId, entry_id(SpecialFolder::CommonViews)),
        binary(t::PidTagFinderEntryId, entry_id(SpecialFolder::Finder)),
    ];
    if let Some(owner) = &owner_name {
        store.push(text(tags::MAILBOX_OWNER_NAME, owner));
    }
    if let Some(address) = &options.owner_address {
        // MAPI names the owner by an address-book entry ID; without a directory, a one-off
        // entry ID (MS-OXCDATA 2.2.5.1) carries name and SMTP address.
        let name = owner_name.as_deref().unwrap_or(address);
        let owner = OneOffEntryId::new(name, "SMTP", address).encode();
        store.push(binary(tags::MAILBOX_OWNER_ENTRY_ID, owner));
        tx.execute("INSERT INTO meta (key, value) VALUES ('owner_address', ?1)", [address])?;
    }
    sql::write_props(tx, schema::STORE_OBJECT_ID, &store)?;

    // Inbox and root (MS-OXOSFLD 2.2.3, 2.2.4): the owner's client reads the Inbox, a
    // delegate's the root, so both carry the same values.
    let ren_ex = ren_entry_ids_ex_encode(&[
        (PersistId::RssSubscriptions, entry_id(SpecialFolder::RssFeeds)),
        (PersistId::ToDoSearch, entry_id(SpecialFolder::ToDoSearch)),
        (PersistId::ConversationActions, entry_id(SpecialFolder::ConversationActionSettings)),
    ])?;
    let lookup = vec![
        binary(t::PidTagIpmAppointmentEntryId, entry_id(SpecialFolder::Calendar)),
        binary(t::PidTagIpmContactEntryId, entry_id(SpecialFolder::Contacts)),
        binary(t::PidTagIpmJournalEntryId, entry_id(SpecialFolder::Journal)),
        binary(t::PidTagIpmNoteEntryId, entry_id(SpecialFolder::Notes)),
        binary(t::PidTagIpmTaskEntryId, entry_id(SpecialFolder::Tasks)),
        binary(t::PidTagRemindersOnlineEntryId, entry_id(SpecialFolder::Reminders)),
        binary(t::PidTagIpmDraftsEntryId, entry_id(SpecialFolder::Drafts)),
        TaggedValue {
            tag: t::PidTagAdditionalRenEntryIds,
            value: PropValue::MultipleBinary(vec![
                entry_id(SpecialFolder::Conflicts),
                entry_id(SpecialFolder::SyncIssues),
                entry_id(SpecialFolder::LocalFailures),
                entry_id(SpecialFolder::ServerFailures),
                entry_id(SpecialFolder::JunkEmail),
            ]),
        },
        binary(t::PidTagAdditionalRenEntryIdsEx, ren_ex),
    ];
    sql::write_props(tx, made[&SpecialFolder::Root], &lookup)?;
    sql::write_props(tx, made[&SpecialFolder::Inbox], &lookup)?;

    // Receive folders (MS-OXCSTOR 3.2.5.2): the default class and IPM go to the Inbox, IPC
    // (system messages) to the root, as a new Exchange mailbox has them.
    for (class, which) in [
        ("", SpecialFolder::Inbox),
        ("IPM", SpecialFolder::Inbox),
        ("REPORT.IPM", SpecialFolder::Inbox),
        ("IPC", SpecialFolder::Root),
    ] {
        tx.execute(
            "INSERT INTO receive_folders (message_class, folder_id) VALUES (?1, ?2)",
            params![class, made[&which]],
        )?;
    }
    Ok(())
}
