//! Bodies through the session: Body/HTMLBody/RTFBody/BodyFormat kept consistent by the
//! setters in the embedded mailbox, and every corpus PST's bodies against libpff's hashes
//! (the corpus's NAME.expected.json).

mod common;

use common::Fixture;
use mapi::catalog::tags;
use mapi::{PropTag, PropType, PropValue};
use serde_json::Value;
use session::{AddStoreOptions, Folder, Item, OlBodyFormat, OlDefaultFolders};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const ENCAPSULATED: &[u8] = br"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}
{\*\htmltag19 <html>}{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0 {\*\htmltag64 <p>}Caf\'e9 &amp; co\htmlrtf \par\htmlrtf0 {\*\htmltag72 </p>}{\*\htmltag58 </body>}{\*\htmltag27 </html>}\htmlrtf }\htmlrtf0 }";

const ORDINARY: &[u8] = br"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red255\green0\blue0;}\pard\f0 Hello {\b bold}\par world\par}";

fn draft(fx: &Fixture) -> (session::NameSpace, Folder) {
    let ns = fx.logged_on();
    let drafts = ns.get_default_folder(OlDefaultFolders::Drafts).unwrap();
    (ns, drafts)
}

#[test]
fn html_body_sets_the_plain_body_and_drops_rtf() {
    let fx = Fixture::new();
    let (_ns, drafts) = draft(&fx);
    let item = drafts.create_item(None).unwrap();
    item.set_rtf_body(ORDINARY).unwrap();
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::RichText);
    item.set_html_body("<html><body><p>Hi &amp; bye</p><p>2nd</p></body></html>").unwrap();
    assert_eq!(item.body().unwrap().as_deref(), Some("Hi & bye\r\n2nd\r\n"));
    assert_eq!(item.rtf_body().unwrap(), None, "a stale RTF body stays behind");
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::Html);
    item.save().unwrap();
    let again = drafts.items().iter().unwrap().next().unwrap().unwrap();
    assert_eq!(
        again.html_body().unwrap().as_deref(),
        Some("<html><body><p>Hi &amp; bye</p><p>2nd</p></body></html>")
    );
    assert_eq!(again.body_format().unwrap(), OlBodyFormat::Html);
}

#[test]
fn body_clears_html_and_rtf() {
    let fx = Fixture::new();
    let (_ns, drafts) = draft(&fx);
    let item = drafts.create_item(None).unwrap();
    item.set_rtf_body(ENCAPSULATED).unwrap();
    item.set_body("just text").unwrap();
    assert_eq!(item.body().unwrap().as_deref(), Some("just text"));
    assert_eq!(item.rtf_body().unwrap(), None);
    assert_eq!(item.get(PropTag::new(0x1013, PropType::Unspecified)).unwrap(), None);
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::Plain);
    // HTMLBody of a plain item is its text as HTML.
    assert_eq!(
        item.html_body().unwrap().as_deref(),
        Some("<html><body>\r\njust text\r\n</body></html>\r\n")
    );
}

#[test]
fn rtf_body_is_stored_compressed_in_sync_and_answers_body_and_html() {
    let fx = Fixture::new();
    let (_ns, drafts) = draft(&fx);
    let item = drafts.create_item(None).unwrap();
    item.set_rtf_body(ENCAPSULATED).unwrap();
    assert_eq!(item.get(tags::PidTagRtfInSync).unwrap(), Some(PropValue::Boolean(true)));
    let Some(PropValue::Binary(stored)) = item.get(tags::PidTagRtfCompressed).unwrap() else {
        panic!("no PidTagRtfCompressed")
    };
    assert_eq!(&stored[8..12], b"LZFu");
    assert_eq!(convert::rtf::decompress(&stored).unwrap(), ENCAPSULATED);
    assert_eq!(item.rtf_body().unwrap().as_deref(), Some(ENCAPSULATED));
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::Html);
    assert_eq!(
        item.html_body().unwrap().as_deref(),
        Some("<html><body><p>Café &amp; co</p></body></html>")
    );
    assert_eq!(item.body().unwrap().as_deref(), Some("Café &amp; co\r\n"));

    // Ordinary RTF replaces the encapsulated HTML: the old HTML goes.
    item.set_rtf_body(ORDINARY).unwrap();
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::RichText);
    assert_eq!(item.body().unwrap().as_deref(), Some("Hello bold\r\nworld\r\n"));
    assert_eq!(
        item.html_body().unwrap().as_deref(),
        Some("<html><body>\r\nHello bold<br>\r\nworld<br>\r\n\r\n</body></html>\r\n")
    );
}

#[test]
fn an_item_with_only_rtf_derives_body_and_html_and_native_body_decides_the_format() {
    let fx = Fixture::new();
    let (_ns, drafts) = draft(&fx);
    let item = drafts.create_item(None).unwrap();
    // Stored the raw way a PST or another client would: no Body, no HTML, no in-sync flag.
    let packed = convert::rtf::compress(ENCAPSULATED).unwrap();
    item.set(tags::PidTagRtfCompressed, PropValue::Binary(packed)).unwrap();
    assert_eq!(item.body().unwrap().as_deref(), Some("Café &amp; co\r\n"));
    assert!(item.html_body().unwrap().unwrap().contains("<p>Café &amp; co</p>"));
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::Html);
    item.set(tags::PidTagBody, PropValue::String("x".into())).unwrap();
    item.set(tags::PidTagNativeBody, PropValue::Integer32(1)).unwrap();
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::Plain);
    // A damaged RTF stream is corrupt data, named.
    item.set(tags::PidTagRtfCompressed, PropValue::Binary(b"short".to_vec())).unwrap();
    let err = item.rtf_body().unwrap_err();
    assert_eq!(err.to_mapi().code, mapi::ErrorCode::CorruptData);
    assert!(err.to_string().contains("PidTagRtfCompressed"), "{err}");
}

#[test]
fn an_empty_item_has_no_body_format() {
    let fx = Fixture::new();
    let (_ns, drafts) = draft(&fx);
    let item = drafts.create_item(None).unwrap();
    assert_eq!(item.body_format().unwrap(), OlBodyFormat::Unspecified);
    assert_eq!(item.body().unwrap(), None);
    assert_eq!(item.html_body().unwrap(), None);
}

// --- the corpus against libpff ------------------------------------------------------------

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

const MOUNTABLE: &[(&str, Option<&str>)] = &[
    ("aspose-Outlook.pst", None),
    ("go-pst-support.pst", None),
    ("java-libpst-dist-list.pst", None),
    ("outlook-pst-Empty.pst", None),
    ("pst-extractor-enron.pst", None),
    ("pstsdk-submessage.pst", None),
    ("ruby-msg-attachAndInline.pst", None),
    ("pst2john-97_outlook_pass12345.pst", Some("pass12345")),
];

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
struct Tally {
    plain: usize,
    html: usize,
    /// HTML whose stored bytes are not UTF-8: libpff hashes the stored bytes, HTMLBody is
    /// the text decoded through PidTagInternetCodepage.
    html_decoded: usize,
}

/// libpff's dump is in its table order, the session's items in theirs: each expected hash is
/// matched to a distinct item of the same folder and message class whose body hashes the same.
fn check_folder(items: &[Item], expected: &[Value], place: &str, tally: &mut Tally) {
    let mut plain_used = vec![false; items.len()];
    let mut html_used = vec![false; items.len()];
    let hashes: Vec<(Option<String>, Option<String>)> = items
        .iter()
        .map(|item| {
            let plain = item.body().unwrap().map(|b| sha256(b.as_bytes()));
            let html = item.html_body().unwrap().map(|h| sha256(h.as_bytes()));
            (plain, html)
        })
        .collect();
    for (i, want) in expected.iter().enumerate() {
        if want.get("error").is_some() {
            continue;
        }
        let class = want["message_class"].as_str();
        let here = format!("{place} #{i} {:?}", want["subject"].as_str());
        let same_class = |j: usize| class.is_none_or(|c| items[j].message_class() == c);
        if let Some(h) = want["plain_text_body_sha256"].as_str() {
            let found = (0..items.len())
                .find(|&j| !plain_used[j] && same_class(j) && hashes[j].0.as_deref() == Some(h));
            let j =
                found.unwrap_or_else(|| panic!("{here}: no item's Body hashes to libpff's {h}"));
            plain_used[j] = true;
            tally.plain += 1;
        }
        if let Some(h) = want["html_body_sha256"].as_str() {
            if let Some(j) = (0..items.len())
                .find(|&j| !html_used[j] && same_class(j) && hashes[j].1.as_deref() == Some(h))
            {
                html_used[j] = true;
                tally.html += 1;
                continue;
            }
            // The one explained difference: libpff hashes the stored bytes, HTMLBody is the
            // text decoded through PidTagInternetCodepage; for stored bytes that are not
            // UTF-8 the two differ. Find the item by its stored bytes and check the decoding.
            let j = (0..items.len())
                .find(|&j| {
                    !html_used[j]
                        && matches!(items[j].get(tags::PidTagHtml).unwrap(),
                            Some(PropValue::Binary(raw)) if sha256(&raw) == h)
                })
                .unwrap_or_else(|| panic!("{here}: no item's HTML hashes to libpff's {h}"));
            let Some(PropValue::Binary(raw)) = items[j].get(tags::PidTagHtml).unwrap() else {
                unreachable!()
            };
            assert!(std::str::from_utf8(&raw).is_err(), "{here}: UTF-8 HTML decoded differently");
            let cp = match items[j].get(tags::PidTagInternetCodepage).unwrap() {
                Some(PropValue::Integer32(cp)) => cp as u32,
                _ => 1252,
            };
            assert_eq!(items[j].html_body().unwrap().unwrap(), convert::decode_code_page(&raw, cp));
            html_used[j] = true;
            tally.html_decoded += 1;
        }
    }
}

fn walk(folder: &Folder, expected: &Value, place: &str, tally: &mut Tally) {
    let messages = expected["messages"].as_array().unwrap();
    let items: Vec<Item> = folder.items().iter().unwrap().map(|i| i.unwrap()).collect();
    assert_eq!(items.len(), messages.len(), "{place}");
    check_folder(&items, messages, place, tally);
    for sub in expected["subfolders"].as_array().unwrap() {
        let Some(name) = sub["name"].as_str() else { continue };
        let child = folder.folder_named(name).unwrap().unwrap();
        walk(&child, sub, &format!("{place}/{name}"), tally);
    }
}

#[test]
fn corpus_bodies_hash_as_libpff_reads_them() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let mut tally = Tally::default();
    for &(name, password) in MOUNTABLE {
        let options = AddStoreOptions {
            display_name: Some(name.to_owned()),
            password: password.map(str::to_owned),
        };
        let store = ns.add_store_with(&corpus(name), &options).unwrap();
        let top = store.root_folder().unwrap();
        let text = std::fs::read_to_string(corpus(name).with_extension("expected.json")).unwrap();
        let dump: Value = serde_json::from_str(&text).unwrap();
        let top_name = top.name().unwrap();
        let expected = dump["root"]["subfolders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"].as_str() == Some(top_name.as_str()))
            .unwrap();
        walk(&top, expected, name, &mut tally);
    }
    eprintln!(
        "bodies checked: {} plain, {} HTML equal, {} HTML decoded from a code page",
        tally.plain, tally.html, tally.html_decoded
    );
    assert!(tally.plain >= 50, "only {} plain bodies checked", tally.plain);
    assert!(tally.html + tally.html_decoded >= 10, "HTML bodies checked: {}", tally.html);
}
