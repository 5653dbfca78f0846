//! Property tests for entry IDs: every kind round-trips through its bytes and hex text, decoding
//! arbitrary bytes never panics and, when it succeeds, encodes back to the very same bytes.

use mapi::Guid;
use mapi::entry_id::{
    AddressBookEntryId, ContactAddressEntryId, EntryId, EntryIdError, ExchangeFolderType,
    ExchangeMessageType, ExchangeStoreData, FolderEntryId, Gid, GlobalCounter, MessageEntryId,
    OneOffEntryId, ProviderEntryId, ProviderUid, StoreObjectEntryId, StoreProviderData,
};
use proptest::prelude::*;

const WELL_KNOWN: [ProviderUid; 4] = [
    ProviderUid::STORE_WRAP,
    ProviderUid::ONE_OFF,
    ProviderUid::ADDRESS_BOOK,
    ProviderUid::CONTACT_ADDRESS_BOOK,
];

fn flags() -> impl Strategy<Value = [u8; 4]> {
    any::<[u8; 4]>()
}

/// A provider UID of some provider that has no fixed layout here.
fn store_provider_uid() -> impl Strategy<Value = ProviderUid> {
    any::<[u8; 16]>()
        .prop_map(ProviderUid)
        .prop_filter("not a well-known UID", |uid| !WELL_KNOWN.contains(uid))
}

fn gid() -> impl Strategy<Value = Gid> {
    (any::<[u8; 16]>(), 0..=GlobalCounter::MAX).prop_map(|(guid, counter)| Gid {
        database_guid: Guid::from_le_bytes(guid),
        global_counter: GlobalCounter::new(counter).unwrap(),
    })
}

/// 8-bit text as entry IDs hold it: any byte but NUL, read as Latin-1.
fn latin1(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(1u8..=255, 0..max)
        .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
}

fn unicode(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("no NUL", |c| *c != '\0'), 0..max)
        .prop_map(|chars| chars.into_iter().collect())
}

fn folder() -> impl Strategy<Value = EntryId> {
    let folder_type = prop_oneof![
        Just(ExchangeFolderType::Private),
        Just(ExchangeFolderType::Public),
        Just(ExchangeFolderType::MappedPublic),
    ];
    (flags(), store_provider_uid(), folder_type, gid()).prop_map(|(flags, uid, kind, folder)| {
        EntryId::Folder(FolderEntryId { flags, provider_uid: uid, folder_type: kind, folder })
    })
}

fn message() -> impl Strategy<Value = EntryId> {
    let message_type = prop_oneof![
        Just(ExchangeMessageType::Private),
        Just(ExchangeMessageType::Public),
        Just(ExchangeMessageType::MappedPublic),
    ];
    (flags(), store_provider_uid(), message_type, gid(), gid()).prop_map(
        |(flags, uid, kind, folder, message)| {
            EntryId::Message(MessageEntryId {
                flags,
                provider_uid: uid,
                message_type: kind,
                folder,
                message,
            })
        },
    )
}

fn provider() -> impl Strategy<Value = EntryId> {
    // 26 and 50 data bytes are the sizes of folder and message IDs; those are tested above.
    let data = proptest::collection::vec(any::<u8>(), 0..80)
        .prop_filter("not a folder or message size", |d| d.len() != 26 && d.len() != 50);
    (flags(), store_provider_uid(), data).prop_map(|(flags, provider_uid, data)| {
        EntryId::Provider(ProviderEntryId { flags, provider_uid, data })
    })
}

fn exchange_store_data() -> impl Strategy<Value = StoreProviderData> {
    (
        flags(),
        any::<[u8; 16]>(),
        any::<u32>(),
        latin1(16),
        proptest::option::of((latin1(60), proptest::collection::vec(any::<u8>(), 0..20))),
    )
        .prop_map(|(wrapped_flags, uid, wrapped_type, server, mailbox)| {
            let (mailbox_dn, extension) = match mailbox {
                Some((dn, extension)) => (Some(dn), extension),
                None => (None, Vec::new()),
            };
            StoreProviderData::Exchange(ExchangeStoreData {
                wrapped_flags,
                wrapped_provider_uid: ProviderUid(uid),
                wrapped_type,
                server_short_name: server,
                mailbox_dn,
                extension,
            })
        })
}

fn store_object() -> impl Strategy<Value = EntryId> {
    let exchange = (Just("emsmdb.dll".to_owned()), exchange_store_data());
    let other = (
        latin1(14).prop_filter("not the Exchange DLL", |name| {
            !name.eq_ignore_ascii_case(StoreObjectEntryId::EXCHANGE_DLL)
        }),
        proptest::collection::vec(any::<u8>(), 0..60)
            .prop_map(|data| StoreProviderData::Other { data }),
    );
    (flags(), any::<u8>(), any::<u8>(), prop_oneof![exchange, other]).prop_map(
        |(flags, version, flag, (dll_name, provider))| {
            EntryId::StoreObject(StoreObjectEntryId { flags, version, flag, dll_name, provider })
        },
    )
}

fn one_off() -> impl Strategy<Value = EntryId> {
    let unicode_strings = (unicode(20), unicode(8), unicode(30));
    let ansi_strings = (latin1(20), latin1(8), latin1(30));
    let with_unicode = (any::<u16>().prop_map(|f| f | OneOffEntryId::UNICODE), unicode_strings);
    let with_ansi = (any::<u16>().prop_map(|f| f & !OneOffEntryId::UNICODE), ansi_strings);
    (flags(), any::<u16>(), prop_oneof![with_unicode, with_ansi]).prop_map(
        |(flags, version, (one_off_flags, (display_name, address_type, email_address)))| {
            EntryId::OneOff(OneOffEntryId {
                flags,
                version,
                one_off_flags,
                display_name,
                address_type,
                email_address,
            })
        },
    )
}

fn address_book() -> impl Strategy<Value = EntryId> {
    (flags(), any::<u32>(), any::<u32>(), latin1(80)).prop_map(
        |(flags, version, object_type, x500_dn)| {
            EntryId::AddressBook(AddressBookEntryId { flags, version, object_type, x500_dn })
        },
    )
}

fn contact_address() -> impl Strategy<Value = EntryId> {
    (
        flags(),
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        proptest::collection::vec(any::<u8>(), 0..80),
    )
        .prop_map(|(flags, version, object_type, index, entry_id)| {
            EntryId::ContactAddress(ContactAddressEntryId {
                flags,
                version,
                object_type,
                index,
                entry_id,
            })
        })
}

fn any_entry_id() -> impl Strategy<Value = EntryId> {
    prop_oneof![
        folder(),
        message(),
        provider(),
        store_object(),
        one_off(),
        address_book(),
        contact_address(),
    ]
}

/// Bytes that start like one of the parsed kinds, so the parsers see mostly-wrong input.
fn bytes_behind_a_known_uid() -> impl Strategy<Value = Vec<u8>> {
    (
        flags(),
        proptest::sample::select(WELL_KNOWN.to_vec()),
        proptest::collection::vec(any::<u8>(), 0..120),
    )
        .prop_map(|(flags, uid, tail)| {
            let mut bytes = flags.to_vec();
            bytes.extend_from_slice(&uid.0);
            bytes.extend_from_slice(&tail);
            bytes
        })
}

proptest! {
    #[test]
    fn every_kind_round_trips_through_its_bytes(id in any_entry_id()) {
        let bytes = id.encode();
        prop_assert_eq!(EntryId::decode(&bytes), Ok(id.clone()));
        prop_assert_eq!(EntryId::from_hex(&id.to_hex()), Ok(id.clone()));
        prop_assert!(id.to_hex().chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
    }

    #[test]
    fn every_kind_round_trips_through_its_json_view(id in any_entry_id()) {
        let json = serde_json::to_string(&id).unwrap();
        prop_assert_eq!(serde_json::from_str::<EntryId>(&json).unwrap(), id);
    }

    #[test]
    fn decoding_random_bytes_never_panics_and_success_is_byte_exact(
        bytes in proptest::collection::vec(any::<u8>(), 0..200)
    ) {
        if let Ok(id) = EntryId::decode(&bytes) {
            prop_assert_eq!(id.encode(), bytes);
        }
    }

    #[test]
    fn decoding_damaged_known_kinds_never_panics_and_success_is_byte_exact(
        bytes in bytes_behind_a_known_uid()
    ) {
        match EntryId::decode(&bytes) {
            Ok(id) => prop_assert_eq!(id.encode(), bytes),
            Err(error) => {
                let offset = error.offset();
                prop_assert!(offset.is_some_and(|o| o <= bytes.len()), "{error}");
            }
        }
    }

    #[test]
    fn a_cut_off_recipient_id_is_an_error_pointing_inside_it(
        id in prop_oneof![one_off(), address_book(), contact_address()],
        cut in any::<prop::sample::Index>(),
    ) {
        let bytes = id.encode();
        let length = 20 + cut.index(bytes.len() - 20);
        let error = EntryId::decode(&bytes[..length]).unwrap_err();
        let offset = error.offset();
        prop_assert!(offset.is_some_and(|o| o <= length), "{error}");
        prop_assert!(error.to_string().contains("offset"));
    }

    #[test]
    fn flags_never_change_which_object_an_id_names(id in any_entry_id(), other in flags()) {
        prop_assert!(EntryId::same_object(&id, &id.clone().with_flags(other)));
        prop_assert_eq!(id.clone().with_flags([0; 4]).is_long_term(), true);
    }
}

#[test]
fn fewer_than_twenty_bytes_are_too_short_whatever_they_hold() {
    for length in 0..20 {
        assert_eq!(EntryId::decode(&vec![0xAA; length]), Err(EntryIdError::TooShort { length }));
    }
}

// Real IDs: the recipient entry IDs inside corpus .msg files (read in place, never copied).

fn corpus(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/msg/");
    std::fs::read(format!("{path}{name}")).unwrap()
}

/// Every entry ID of provider `uid` stored contiguously in `file`: the shortest run of bytes
/// from each occurrence of the UID that decodes (the decoders reject trailing bytes).
fn ids_with_uid(file: &[u8], uid: ProviderUid) -> Vec<EntryId> {
    let mut found = Vec::new();
    for start in 4..file.len().saturating_sub(16) {
        if file[start..start + 16] != uid.0 {
            continue;
        }
        let begin = start - 4;
        let longest = (file.len() - begin).min(1024);
        if let Some(id) =
            (24..=longest).find_map(|len| EntryId::decode(&file[begin..begin + len]).ok())
        {
            found.push(id);
        }
    }
    found
}

#[test]
fn one_off_recipient_ids_in_a_real_msg_decode_to_its_recipients() {
    // hiraoka-test1.msg: To to@example.com, Cc cc@example.com (see its expected.json).
    let ids = ids_with_uid(&corpus("hiraoka-test1.msg"), ProviderUid::ONE_OFF);
    assert_eq!(ids.len(), 6);
    let mut addresses = Vec::new();
    for id in &ids {
        let EntryId::OneOff(one_off) = id else { panic!("{id:?} is not a one-off") };
        assert!(one_off.is_unicode());
        assert_eq!(one_off.address_type, "SMTP");
        assert_eq!(one_off.display_name, one_off.email_address);
        addresses.push(one_off.email_address.clone());
    }
    addresses.sort();
    addresses.dedup();
    assert_eq!(addresses, ["cc@example.com", "to@example.com"]);
    assert!(EntryId::same_object(&ids[0], &ids[1]));
}

#[test]
fn address_book_ids_in_a_real_msg_carry_exchange_dns() {
    let ids = ids_with_uid(&corpus("msgreader-HtmlSampleEmail.msg"), ProviderUid::ADDRESS_BOOK);
    assert!(ids.len() >= 5, "found {}", ids.len());
    for id in &ids {
        let EntryId::AddressBook(address_book) = id else { panic!("{id:?} is not an AB ID") };
        assert_eq!(address_book.version, 1);
        assert_eq!(address_book.type_name(), Some("local mail user"));
        assert!(address_book.x500_dn.to_ascii_lowercase().starts_with("/o=exchange/ou="));
        assert!(address_book.x500_dn.to_ascii_lowercase().ends_with("/cn=chris.wilson"));
    }
    // The same user written in upper and in mixed case is one address book object.
    assert!(ids.windows(2).all(|pair| EntryId::same_object(&pair[0], &pair[1])));
}
