//! Recipients and attachments edited through the session in the embedded mailbox: what Outlook
//! scripts do with `Recipients.Add`, `To = ...`, `Attachments.Add`, `SaveAsFile`.

mod common;

use common::Fixture;
use mapi::catalog::tags;
use mapi::provider::AttachMethod;
use mapi::{
    ErrorCode, OlAttachmentType, OlDefaultFolders, OlMailRecipientType, PropValue, TaggedValue,
};
use session::{AddAttachmentOptions, AttachmentSource, Recipient, TypedItem};

fn draft(fx: &Fixture) -> (session::NameSpace, session::Item) {
    let ns = fx.logged_on();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    let item = drafts.create_item(None).unwrap();
    item.set_subject("parts").unwrap();
    (ns, item)
}

fn mail(item: &session::Item) -> session::item::MailItem {
    match item.clone().typed() {
        TypedItem::Mail(mail) => mail,
        other => panic!("not mail: {}", other.type_name()),
    }
}

#[test]
fn setting_to_replaces_the_to_recipients_and_keeps_the_display_lists_in_step() {
    let fx = Fixture::new();
    let (ns, item) = draft(&fx);
    let mail = mail(&item);
    mail.set_to("alice@example.com; Bob Smith <bob@example.com>; Carol").unwrap();
    mail.set_cc("dave@example.com").unwrap();
    assert_eq!(mail.to().unwrap().as_deref(), Some("alice@example.com; Bob Smith; Carol"));
    let rows = item.recipients().list().unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].resolved && rows[1].resolved && !rows[2].resolved);
    assert_eq!(rows[1].address.as_deref(), Some("bob@example.com"));
    assert_eq!(rows[1].smtp_address.as_deref(), Some("bob@example.com"));
    assert_eq!(rows[3].recipient_type, OlMailRecipientType::Cc.value());

    // Setting To again replaces only the To rows.
    mail.set_to("erin@example.com").unwrap();
    assert_eq!(mail.to().unwrap().as_deref(), Some("erin@example.com"));
    assert_eq!(mail.cc().unwrap().as_deref(), Some("dave@example.com"));
    assert_eq!(item.recipients().count().unwrap(), 2);

    item.save().unwrap();
    let again = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
    assert_eq!(
        again.get(tags::PidTagDisplayTo).unwrap(),
        Some(PropValue::String("erin@example.com".into()))
    );
    assert_eq!(
        again.get(tags::PidTagDisplayCc).unwrap(),
        Some(PropValue::String("dave@example.com".into()))
    );
    let rows = again.recipients().list().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].entry_id.as_deref().map(|id| id.len() > 40), Some(true));
}

#[test]
fn recipients_add_remove_and_resolve_all_work_like_outlook() {
    let fx = Fixture::new();
    let (ns, item) = draft(&fx);
    // A contact makes a display name resolvable.
    let contacts = ns.get_default_folder(OlDefaultFolders::Contacts).unwrap();
    let contact = contacts.create_item(Some("IPM.Contact")).unwrap();
    contact.set(tags::PidTagDisplayName, PropValue::String("Jane Roe".into())).unwrap();
    if let TypedItem::Contact(c) = contact.clone().typed() {
        c.set_email1_address("jane@example.org").unwrap();
    }
    contact.save().unwrap();

    let recipients = item.recipients();
    let added = recipients.add("Jane Roe").unwrap();
    assert!(!added.resolved);
    assert_eq!(added.recipient_type, OlMailRecipientType::To.value());
    recipients.add("Nobody Known").unwrap();
    recipients
        .add_recipient(&Recipient::smtp("Boss", "boss@example.org"), OlMailRecipientType::Bcc)
        .unwrap();
    assert_eq!(recipients.count().unwrap(), 3);
    // One name is unknown: ResolveAll resolves what it can and says not all.
    assert!(!recipients.resolve_all(&ns).unwrap());
    let jane = recipients.item(1).unwrap();
    assert!(jane.resolved);
    assert_eq!(jane.address.as_deref(), Some("jane@example.org"));
    assert_eq!(recipients.item(3).unwrap().recipient_type, OlMailRecipientType::Bcc.value());

    recipients.remove(2).unwrap();
    assert!(recipients.resolve_all(&ns).unwrap());
    assert_eq!(recipients.count().unwrap(), 2);
    assert_eq!(mail(&item).bcc().unwrap().as_deref(), Some("Boss"));

    for bad in [0, 3] {
        let err = recipients.item(bad).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidParameter, "{err}");
        assert!(err.to_string().contains("numbered from 1"), "{err}");
    }
    assert_eq!(recipients.add("  ").unwrap_err().code(), ErrorCode::InvalidParameter);
}

#[test]
fn attachments_added_saved_and_reopened_keep_their_bytes_and_members() {
    let fx = Fixture::new();
    let (ns, item) = draft(&fx);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &data).unwrap();

    let attachments = item.attachments();
    let first = attachments
        .add(AttachmentSource::File(file.clone()), &AddAttachmentOptions::default())
        .unwrap();
    assert_eq!(first.index(), 1);
    let inline = attachments
        .add(
            AttachmentSource::Bytes {
                file_name: "logo.png".into(),
                data: b"\x89PNG fake".to_vec(),
            },
            &AddAttachmentOptions {
                content_id: Some("logo@x".into()),
                position: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(inline.index(), 2);
    attachments
        .add(
            AttachmentSource::Reference(file.clone()),
            &AddAttachmentOptions { display_name: Some("the report".into()), ..Default::default() },
        )
        .unwrap();
    item.save().unwrap();

    let again = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
    let list = again.attachments().list().unwrap();
    assert_eq!(list.len(), 3);
    let info = list[0].info().unwrap();
    assert_eq!(info.attachment_type, OlAttachmentType::ByValue);
    assert_eq!(info.file_name.as_deref(), Some("report.pdf"));
    assert_eq!(info.mime_tag.as_deref(), Some("application/pdf"));
    assert_eq!(info.position, -1);
    assert!(!info.hidden);
    let logo = list[1].info().unwrap();
    assert_eq!(logo.content_id.as_deref(), Some("logo@x"));
    assert!(logo.hidden);
    let link = list[2].info().unwrap();
    assert_eq!(link.attachment_type, OlAttachmentType::ByReference);
    assert_eq!(link.display_name.as_deref(), Some("the report"));
    assert_eq!(link.path_name.as_deref(), Some(file.to_str().unwrap()));

    // SaveAsFile writes the stored bytes, replacing a file the caller named.
    let out = dir.path().join("copy.bin");
    std::fs::write(&out, b"old").unwrap();
    assert_eq!(list[0].save_as_file(&out).unwrap(), data.len() as u64);
    assert_eq!(std::fs::read(&out).unwrap(), data);
    // A by-reference attachment saves the linked file.
    list[2].save_as_file(&dir.path().join("linked.bin")).unwrap();
    assert_eq!(std::fs::read(dir.path().join("linked.bin")).unwrap(), data);

    // Remove, then save: the item keeps two.
    again.attachments().remove(2).unwrap();
    again.save().unwrap();
    let third = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
    assert_eq!(third.attachments().count().unwrap(), 2);
    let err = third.attachments().item(3).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidParameter);
    assert!(err.to_string().contains("has 2 attachment(s)"), "{err}");
}

#[test]
fn an_attachment_named_to_escape_the_directory_is_saved_inside_it() {
    let fx = Fixture::new();
    let (_ns, item) = draft(&fx);
    for name in ["../../x", "../x", "/etc/x", "..", "a/../../b", "con"] {
        item.attachments()
            .add(
                AttachmentSource::Bytes { file_name: name.into(), data: name.as_bytes().to_vec() },
                &AddAttachmentOptions::default(),
            )
            .unwrap();
    }
    let root = tempfile::tempdir().unwrap();
    let target = root.path().join("a").join("b");
    std::fs::create_dir_all(&target).unwrap();
    for attachment in item.attachments().list().unwrap() {
        let path = attachment.save_into(&target).unwrap();
        assert_eq!(path.parent().unwrap(), target);
        let name = attachment.file_name().unwrap().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), name.as_bytes());
    }
    // Nothing was written anywhere but a/b.
    let mut everything = Vec::new();
    let mut pending = vec![root.path().to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { pending.push(path) } else { everything.push(path) }
        }
    }
    assert_eq!(everything.len(), 6);
    assert!(everything.iter().all(|p| p.parent() == Some(target.as_path())), "{everything:?}");
    // Saving the same attachments again numbers them instead of overwriting.
    let again = item.attachments().item(1).unwrap().save_into(&target).unwrap();
    assert_eq!(again.file_name().unwrap().to_string_lossy(), "_.._x (2)");
}

/// Builds `levels` embedded messages, each inside an attachment of the previous one.
fn nest(item: &session::Item, levels: usize) {
    let mut messages = vec![item.message().clone()];
    let mut attachments = Vec::new();
    for level in 0..levels {
        let parent = messages.last().unwrap();
        let attachment = parent.create_attachment().unwrap();
        attachment
            .set_props(&[TaggedValue {
                tag: tags::PidTagAttachMethod,
                value: PropValue::Integer32(AttachMethod::EmbeddedMessage.code()),
            }])
            .unwrap();
        let embedded = attachment.open_embedded_message(true).unwrap();
        embedded
            .set_props(&[TaggedValue {
                tag: tags::PidTagSubject,
                value: PropValue::String(format!("level {}", level + 1)),
            }])
            .unwrap();
        messages.push(std::sync::Arc::from(embedded));
        attachments.push(attachment);
    }
    // Commit from the innermost out: each embedded message into its attachment, each
    // attachment into its parent.
    for (message, attachment) in messages[1..].iter().rev().zip(attachments.iter().rev()) {
        message.save_changes().unwrap();
        attachment.save_changes().unwrap();
    }
}

#[test]
fn embedded_items_open_32_levels_deep_and_no_deeper() {
    let fx = Fixture::new();
    let (ns, item) = draft(&fx);
    nest(&item, 33);
    item.save().unwrap();
    let mut current = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
    for level in 1..=32 {
        let attachment = current.attachments().item(1).unwrap();
        assert_eq!(attachment.attachment_type().unwrap(), OlAttachmentType::EmbeddedItem);
        current = attachment.embedded_item().unwrap();
        assert_eq!(current.nesting(), level);
        assert_eq!(current.subject().unwrap(), Some(format!("level {level}")));
    }
    let err = current.attachments().item(1).unwrap().embedded_item().unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooBig);
    assert!(err.to_string().contains("33 levels"), "{err}");
    // Saving an embedded item as a file waits for the .msg writer, and says so.
    let first = ns.get_item_from_id(&item.entry_id().unwrap(), None).unwrap();
    let err = first
        .attachments()
        .item(1)
        .unwrap()
        .save_as_file(&std::env::temp_dir().join("x.msg"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSupport);
}

#[test]
fn read_only_stores_refuse_recipient_and_attachment_changes_before_touching_anything() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let pst = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/pst/go-pst-support.pst"
    ));
    let store = ns.add_store(pst).unwrap();
    let inbox_items = store.root_folder().unwrap();
    let mut found = None;
    let mut pending = vec![inbox_items];
    while let (None, Some(folder)) = (&found, pending.pop()) {
        if let Some(item) = folder.items().iter().unwrap().next() {
            found = Some(item.unwrap());
        }
        pending.extend(folder.folders().unwrap());
    }
    let item = found.expect("an item in go-pst-support.pst");
    let before = item.recipients().count().unwrap();
    assert_eq!(item.recipients().add("x@y.z").unwrap_err().code(), ErrorCode::NoAccess);
    assert_eq!(mail(&item).set_to("x@y.z").unwrap_err().code(), ErrorCode::NoAccess);
    let err = item
        .attachments()
        .add(
            AttachmentSource::Bytes { file_name: "a".into(), data: vec![1] },
            &AddAttachmentOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoAccess);
    assert_eq!(item.recipients().count().unwrap(), before);
}

#[test]
fn sender_email_address_is_the_smtp_address_for_exchange_senders() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let pst = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/pst/pstsdk-submessage.pst"
    ));
    let store = ns.add_store(pst).unwrap();
    let mut exchange_senders = 0;
    let mut pending = vec![store.root_folder().unwrap()];
    while let Some(folder) = pending.pop() {
        for item in folder.items().iter().unwrap() {
            let item = item.unwrap();
            if item.sender_email_type().unwrap().as_deref() != Some("EX") {
                continue;
            }
            let dn = item.get(tags::PidTagSenderEmailAddress).unwrap();
            assert!(
                matches!(&dn, Some(PropValue::String(s)) if s.starts_with("/O=") || s.starts_with("/o=")),
                "{dn:?}"
            );
            // libpff reads PidTagSenderSmtpAddress of this message as terrymah@microsoft.com.
            let smtp = item.sender_email_address().unwrap().unwrap();
            assert_eq!(smtp, "terrymah@microsoft.com");
            assert_eq!(item.sender_name().unwrap().as_deref(), Some("Terry Mahaffey"));
            exchange_senders += 1;
        }
        pending.extend(folder.folders().unwrap());
    }
    assert_eq!(exchange_senders, 1, "pstsdk-submessage.pst has one Exchange sender");
}

#[test]
fn an_item_of_another_store_attaches_as_an_embedded_item_with_its_parts() {
    let fx = Fixture::new();
    let (ns, draft) = draft(&fx);
    let pst = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/pst/pstsdk-submessage.pst"
    ));
    let store = ns.add_store(pst).unwrap();
    let mut source = None;
    let mut pending = vec![store.root_folder().unwrap()];
    while let (None, Some(folder)) = (&source, pending.pop()) {
        source = folder.items().iter().unwrap().next().map(Result::unwrap);
        pending.extend(folder.folders().unwrap());
    }
    let source = source.expect("the PST's one message");
    let attached = draft
        .attachments()
        .add(AttachmentSource::Item(source.clone()), &AddAttachmentOptions::default())
        .unwrap();
    assert_eq!(attached.attachment_type().unwrap(), OlAttachmentType::EmbeddedItem);
    draft.save().unwrap();

    let again = ns.get_item_from_id(&draft.entry_id().unwrap(), None).unwrap();
    let attachment = again.attachments().item(1).unwrap();
    assert_eq!(attachment.display_name().unwrap(), source.subject().unwrap());
    let embedded = attachment.embedded_item().unwrap();
    assert_eq!(embedded.subject().unwrap(), source.subject().unwrap());
    assert_eq!(embedded.sender_email_address().unwrap(), source.sender_email_address().unwrap());
    assert_eq!(embedded.recipients().list().unwrap(), source.recipients().list().unwrap());
    // The source's own embedded message came along, one level deeper.
    let inner_source = source.attachments().item(1).unwrap().embedded_item().unwrap();
    let inner = embedded.attachments().item(1).unwrap().embedded_item().unwrap();
    assert_eq!(inner.nesting(), 2);
    assert_eq!(inner.subject().unwrap(), inner_source.subject().unwrap());
}
