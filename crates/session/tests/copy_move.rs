//! Copy and move within and across stores: every corpus PST copied into a fresh mailbox and
//! compared item by item (every property, named ones by name, recipients, attachments,
//! embedded messages), moves across stores (new ID, old ID gone, read-only sources refused
//! before anything is copied), named-property remapping and the embedding depth limit.

mod common;

use common::{Fixture, saved_item};
use mapi::ErrorCode;
use mapi::catalog::tags;
use mapi::provider::{Message, MessageContent, MessageStore};
use mapi::{NamedProperty, PropTag, PropType, PropValue, TaggedValue};
use session::copy::{MAX_EMBEDDING_DEPTH, is_store_assigned};
use session::{AddStoreOptions, EventKind, Folder, NameSpace, OlDefaultFolders, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

/// Every corpus PST with the password it needs. The protected ones are public
/// password-cracker samples; PidTagPstPassword is a CRC of the password (MS-PST 2.4.3.1), and
/// these are the plain words whose CRC each file holds.
/// The last column is the number of readable items libpff (pypff) finds in the file's IPM
/// subtree (MANIFEST.md "totals"): the copy must carry that many normal items.
const CORPUS: &[(&str, Option<&str>, usize)] = &[
    ("aspose-Outlook.pst", None, 16),
    ("aspose-passwordprotectedPST.pst", Some("Password1"), 18),
    ("go-pst-support.pst", None, 17),
    ("java-libpst-dist-list.pst", None, 3),
    ("outlook-pst-Empty.pst", None, 0),
    ("pst-extractor-enron.pst", None, 71),
    ("pst2john-2003_high-encryption_quickquick.pst", Some("quickquick"), 36),
    ("pst2john-2003_no-encryption_quickquick.pst", Some("quickquick"), 20),
    ("pst2john-97_outlook_pass12345.pst", Some("pass12345"), 294),
    ("pstsdk-submessage.pst", None, 1),
    ("pstsdk-test_ansi.pst", Some("test"), 1),
    ("pstsdk-test_unicode.pst", Some("test"), 2),
    ("ruby-msg-attachAndInline.pst", None, 1),
];

fn mount(ns: &NameSpace, name: &str, password: Option<&str>) -> Store {
    let options = AddStoreOptions {
        display_name: Some(name.to_owned()),
        password: password.map(str::to_owned),
    };
    ns.add_store_with(&corpus(name), &options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn mailbox(fx: &Fixture, ns: &NameSpace, name: &str) -> Store {
    ns.add_store(&fx.extra_mailbox(name)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The dump both sides are compared by.

/// A property key that means the same in every store: a tag, or a named property's name.
fn key(store: &dyn MessageStore, tag: PropTag) -> String {
    if tag.id() >= 0x8000 {
        let name = store.get_names_from_ids(&[tag.id()]).unwrap().pop().flatten();
        return format!("{name:?}:{:04X}", tag.type_code());
    }
    format!("{:08X}", tag.0)
}

fn dump_values(
    store: &dyn MessageStore,
    values: Vec<TaggedValue>,
    skip: &dyn Fn(PropTag) -> bool,
) -> BTreeMap<String, String> {
    values
        .into_iter()
        .filter(|v| !is_store_assigned(v.tag) && !skip(v.tag))
        .filter(|v| v.tag.prop_type() != Some(PropType::ErrorCode))
        .map(|v| (key(store, v.tag), format!("{:?}", v.value)))
        .collect()
}

/// Properties the copy's store sets at its save (MS-OXCPRPT: the last modification time of
/// every save; a creation time and message flags only where the source has none).
fn saved_by_target(tag: PropTag) -> bool {
    tag.id() == tags::PidTagLastModificationTime.id()
}

fn dump_message(store: &dyn MessageStore, message: &dyn Message, depth: usize) -> String {
    assert!(depth <= MAX_EMBEDDING_DEPTH);
    let props = dump_values(store, message.get_all_props().unwrap(), &saved_by_target);
    let mut out = format!("{props:#?}\n");
    let table = message.recipient_table().unwrap();
    let mut recipients = Vec::new();
    loop {
        let rows = table.query_rows(64).unwrap();
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let row = dump_values(store, row, &|t| {
                t.id() == tags::PidTagRowid.id() || t.id() == tags::PidTagInstanceKey.id()
            });
            recipients.push(format!("{row:?}"));
        }
    }
    out.push_str(&format!("recipients {recipients:#?}\n"));
    let table = message.attachment_table().unwrap();
    table.set_columns(&[tags::PidTagAttachNumber]).unwrap();
    let mut numbers = Vec::new();
    loop {
        let rows = table.query_rows(64).unwrap();
        if rows.is_empty() {
            break;
        }
        numbers.extend(rows.iter().map(|r| r[0].value.as_i32().unwrap() as u32));
    }
    for number in numbers {
        let attachment = message.open_attachment(number).unwrap();
        let props = dump_values(store, attachment.get_all_props().unwrap(), &|_| false);
        out.push_str(&format!("attachment {props:#?}\n"));
        if let Ok(inner) = attachment.open_embedded_message(false) {
            out.push_str(&format!("embedded {{\n{}}}\n", dump_message(store, &*inner, depth + 1)));
        }
    }
    out
}

/// Every item (normal and associated) of a folder tree, by folder path below `top`.
fn dump_tree(folder: &Folder, path: &str, out: &mut BTreeMap<String, Vec<String>>) {
    let backend = folder.store().backend().clone();
    for associated in [false, true] {
        let table = folder.handle().contents_table(associated).unwrap();
        table.set_columns(&[tags::PidTagEntryId]).unwrap();
        let mut items = Vec::new();
        loop {
            let rows = table.query_rows(256).unwrap();
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let PropValue::Binary(id) = &row[0].value else { panic!("no entry ID") };
                let message = backend.open_message(id).unwrap();
                items.push(dump_message(&*backend, &*message, 0));
            }
        }
        items.sort();
        out.insert(format!("{path} associated={associated}"), items);
    }
    for child in folder.folders().unwrap() {
        if child.get_prop(tags::PidTagFolderType).unwrap().and_then(|v| v.as_i32()) == Some(2) {
            continue; // search folders are not copied
        }
        dump_tree(&child, &format!("{path}\\{}", child.name().unwrap()), out);
    }
}

/// The source dump as the copy should show it: where the source lacks a creation time or
/// message flags, the target's first save supplies them.
fn comparable(source: &str, copy: &str) -> String {
    let mut copy = copy.to_owned();
    for (tag, label) in
        [(tags::PidTagCreationTime, "creation time"), (tags::PidTagMessageFlags, "flags")]
    {
        let needle = format!("\"{:08X}\"", tag.0);
        if !source.contains(&needle) && copy.contains(&needle) {
            // Drop the line the target added (the dump has one value per line).
            copy = copy.lines().filter(|l| !l.contains(&needle)).collect::<Vec<_>>().join("\n");
            copy.push('\n');
            let _ = label;
        }
    }
    copy
}

#[test]
fn every_corpus_pst_copied_into_a_mailbox_has_every_property_recipient_and_attachment() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let target = mailbox(&fx, &ns, "Copies");
    let into = target.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    for &(name, password, pypff_items) in CORPUS {
        let store = mount(&ns, name, password);
        let top = store.root_folder().unwrap();
        let parent = into.create_folder(name, None).unwrap();
        let (copy, report) = top.copy_to_counted(&parent).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(copy.name().unwrap(), top.name().unwrap(), "{name}");
        let mut want = BTreeMap::new();
        dump_tree(&top, "", &mut want);
        let mut got = BTreeMap::new();
        dump_tree(&copy, "", &mut got);
        assert_eq!(want.keys().collect::<Vec<_>>(), got.keys().collect::<Vec<_>>(), "{name}");
        let mut items = 0;
        let mut normal_items = 0;
        for (path, source_items) in &want {
            let copied = &got[path];
            assert_eq!(source_items.len(), copied.len(), "{name} {path}: item count");
            // Items compare as a sorted list: the two contents tables need not share an order.
            let mut copied: Vec<String> = copied.clone();
            copied.sort();
            for (i, source) in source_items.iter().enumerate() {
                let matched = copied.iter().position(|c| &comparable(source, c) == source);
                assert!(
                    matched.is_some(),
                    "{name} {path}: item {i} has no equal copy.\nsource:\n{source}\nnearest \
                     copy:\n{}",
                    copied.get(i).map(|c| comparable(source, c)).unwrap_or_default()
                );
                copied.remove(matched.unwrap());
            }
            items += source_items.len();
            if path.ends_with("associated=false") {
                normal_items += source_items.len();
            }
        }
        assert_eq!(report.items, items, "{name}: reported item count");
        assert_eq!(normal_items, pypff_items, "{name}: items compared vs libpff's count");
    }
}

// ---------------------------------------------------------------------------------------------
// Items across stores.

#[test]
fn a_move_across_stores_gives_a_new_entry_id_and_the_old_one_is_not_found() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let other = mailbox(&fx, &ns, "Other");
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let target = other.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let id = saved_item(&inbox, None, "travelling");
    let item = ns.get_item_from_id(&id, None).unwrap();
    let events = ns.subscribe(None, 16);
    let moved = item.move_to(&target).unwrap();
    assert_ne!(moved.entry_id().unwrap(), id);
    assert_eq!(moved.subject().unwrap().as_deref(), Some("travelling"));
    assert_eq!(moved.store().store_id(), other.store_id());
    assert_eq!(moved.parent().unwrap().entry_id(), target.entry_id());
    let err = ns.get_item_from_id(&id, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    assert_eq!(inbox.item_count().unwrap(), 0);
    assert_eq!(target.item_count().unwrap(), 1);
    let kinds: Vec<EventKind> = events.drain().iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&EventKind::ItemAdd) && kinds.contains(&EventKind::ItemRemove));
}

#[test]
fn moving_out_of_a_read_only_pst_fails_before_anything_is_copied() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let pst = mount(&ns, "aspose-Outlook.pst", None);
    let source = pst.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let target = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let item = source.items().iter().unwrap().next().unwrap().unwrap();
    let err = item.move_to(&target).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoAccess, "{err}");
    assert_eq!(target.item_count().unwrap(), 0);
    let err = source.move_to(&target).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoAccess, "{err}");
    assert!(target.folders().unwrap().is_empty());
    // Copying out of it is fine.
    let copy = item.copy_to(&target).unwrap();
    assert_eq!(copy.subject().unwrap(), item.subject().unwrap());
    assert_eq!(target.item_count().unwrap(), 1);
    // And copying into it is refused.
    let err = copy.copy_to(&source).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoAccess, "{err}");
}

#[test]
fn copy_makes_a_saved_duplicate_in_the_same_folder() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let id = saved_item(&inbox, None, "twice");
    let item = ns.get_item_from_id(&id, None).unwrap();
    let events = ns.subscribe(None, 16);
    let copy = item.copy().unwrap();
    assert_ne!(copy.entry_id().unwrap(), id);
    assert_eq!(copy.subject().unwrap().as_deref(), Some("twice"));
    assert_eq!(inbox.item_count().unwrap(), 2);
    let got = events.drain();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].kind, EventKind::ItemAdd);
    assert_eq!(got[0].entry_ids, [copy.entry_id().unwrap()]);
    // An unsaved item has nothing to copy.
    let fresh = inbox.create_item(None).unwrap();
    assert_eq!(fresh.copy().unwrap_err().code(), ErrorCode::InvalidParameter);
}

#[test]
fn named_properties_are_remapped_by_name_and_nameless_ones_are_dropped() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let other = mailbox(&fx, &ns, "Other");
    let set: mapi::Guid = "{00020329-0000-0000-C000-000000000046}".parse().unwrap();
    // Give the target a different name-to-ID map: these names take its first IDs.
    let filler: Vec<NamedProperty> =
        (0..5).map(|i| NamedProperty::name(set, format!("filler{i}"))).collect();
    other.backend().get_ids_from_names(&filler, true).unwrap();
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let item = inbox.create_item(None).unwrap();
    let colour = NamedProperty::name(set, "Colour");
    item.set_named(&colour, PropValue::String("teal".into())).unwrap();
    let source_id = ns
        .default_store()
        .unwrap()
        .backend()
        .get_ids_from_names(std::slice::from_ref(&colour), false);
    let source_id = source_id.unwrap()[0].unwrap();
    // An ID in the named range that no name maps to: meaningless in any other store.
    let nameless = PropTag::new(0xF000, PropType::Integer32);
    item.message()
        .set_props(&[TaggedValue { tag: nameless, value: PropValue::Integer32(7) }])
        .unwrap();
    item.save().unwrap();
    let target = other.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let copy = item.copy_to(&target).unwrap();
    assert_eq!(
        copy.get_named(&colour, PropType::String).unwrap(),
        Some(PropValue::String("teal".into()))
    );
    let target_id =
        other.backend().get_ids_from_names(std::slice::from_ref(&colour), false).unwrap()[0]
            .unwrap();
    assert_ne!(target_id, source_id, "the test needs the two maps to differ");
    assert!(copy.get(PropTag::new(source_id, PropType::String)).unwrap().is_none());
    assert!(copy.all_properties().unwrap().iter().all(|v| v.tag.id() != 0xF000));
}

#[test]
fn recipients_and_embedded_attachments_cross_stores() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let other = mailbox(&fx, &ns, "Other");
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let item = inbox.create_item(None).unwrap();
    item.set_subject("outer").unwrap();
    let message = item.message();
    let recipient = vec![
        TaggedValue { tag: tags::PidTagDisplayName, value: PropValue::String("Ann".into()) },
        TaggedValue { tag: tags::PidTagRecipientType, value: PropValue::Integer32(1) },
        TaggedValue { tag: tags::PidTagEntryId, value: PropValue::Binary(vec![1, 2, 3]) },
    ];
    message.modify_recipients(&[mapi::provider::RecipientChange::Add(recipient)]).unwrap();
    build_chain(message.as_ref(), 2);
    item.save().unwrap();
    let target = other.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let copy = item.copy_to(&target).unwrap();
    let source_dump = dump_message(&**ns.default_store().unwrap().backend(), &**message, 0);
    let copy_dump = dump_message(&**other.backend(), &**copy.message(), 0);
    assert_eq!(comparable(&source_dump, &copy_dump), source_dump);
    assert!(source_dump.contains("Ann") && source_dump.matches("embedded").count() == 2);
}

/// Adds to `message` a chain of `levels` embedded messages, each with a subject naming its
/// depth and the next one attached.
fn build_chain(message: &dyn Message, levels: usize) {
    if levels == 0 {
        return;
    }
    let attachment = message.create_attachment().unwrap();
    let inner = attachment.open_embedded_message(true).unwrap();
    inner
        .set_props(&[TaggedValue {
            tag: tags::PidTagSubject,
            value: PropValue::String(format!("level {levels}")),
        }])
        .unwrap();
    build_chain(inner.as_ref(), levels - 1);
    inner.save_changes().unwrap();
    attachment.save_changes().unwrap();
}

#[test]
fn an_embedded_chain_deeper_than_32_is_refused_naming_the_depth() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let other = mailbox(&fx, &ns, "Other");
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let target = other.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let deepest_allowed = inbox.create_item(None).unwrap();
    build_chain(deepest_allowed.message().as_ref(), MAX_EMBEDDING_DEPTH);
    deepest_allowed.save().unwrap();
    deepest_allowed.copy_to(&target).unwrap();
    let too_deep = inbox.create_item(None).unwrap();
    build_chain(too_deep.message().as_ref(), MAX_EMBEDDING_DEPTH + 1);
    too_deep.save().unwrap();
    let err = too_deep.copy_to(&target).unwrap_err();
    assert!(err.to_string().contains("depth 33"), "{err}");
    assert_eq!(target.item_count().unwrap(), 1, "nothing of the refused item was saved");
}

// ---------------------------------------------------------------------------------------------
// Folders across stores.

#[test]
fn a_folder_moves_to_another_store_with_its_subfolders_and_items() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let other = mailbox(&fx, &ns, "Other");
    let inbox = ns.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let projects = inbox.create_folder("Projects", None).unwrap();
    let sub = projects.create_folder("Alpha", None).unwrap();
    for i in 0..3 {
        saved_item(&projects, None, &format!("p{i}"));
    }
    saved_item(&sub, None, "a");
    let old_id = projects.entry_id();
    let target = other.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let moved = projects.move_to(&target).unwrap();
    assert_eq!(moved.name().unwrap(), "Projects");
    assert_eq!(moved.store().store_id(), other.store_id());
    assert_eq!(moved.item_count().unwrap(), 3);
    let alpha = moved.folder_named("Alpha").unwrap().unwrap();
    assert_eq!(alpha.item_count().unwrap(), 1);
    assert_eq!(ns.get_folder_from_id(&old_id, None).unwrap_err().code(), ErrorCode::NotFound);
    assert!(inbox.folder_named("Projects").unwrap().is_none());
    // Copying it back leaves the moved one in place.
    let back = moved.copy_to(&inbox).unwrap();
    assert_eq!(back.item_count().unwrap(), 3);
    assert_eq!(moved.item_count().unwrap(), 3);
    // A second copy to the same place collides, as a same-named sibling does.
    assert_eq!(moved.copy_to(&inbox).unwrap_err().code(), ErrorCode::Collision);
}

#[test]
fn a_batch_is_saved_whole_or_not_at_all() {
    let fx = Fixture::new();
    let path = fx.extra_mailbox("Batch");
    let mailbox: Arc<dyn MessageStore> = Arc::new(store::Mailbox::open(&path).unwrap());
    let root = mailbox.root_folder().unwrap();
    let folder = root.create_folder("Batch", mapi::provider::FolderKind::Generic, false).unwrap();
    let good = |subject: &str| MessageContent {
        properties: vec![TaggedValue {
            tag: tags::PidTagSubject,
            value: PropValue::String(subject.into()),
        }],
        ..Default::default()
    };
    let mut bad = good("bad");
    bad.properties
        .push(TaggedValue { tag: tags::PidTagMessageSize, value: PropValue::Integer32(1) });
    let err = folder.create_messages(&[good("a"), bad, good("b")], false).unwrap_err();
    assert_eq!(err.code, ErrorCode::Computed, "{err}");
    assert_eq!(folder.contents_table(false).unwrap().row_count().unwrap(), 0);
    let ids = folder.create_messages(&[good("a"), good("b")], false).unwrap();
    assert_eq!(ids.len(), 2);
    let second = mailbox.open_message(&ids[1]).unwrap();
    assert_eq!(second.get_prop(tags::PidTagSubject).unwrap(), Some(PropValue::String("b".into())));
}
