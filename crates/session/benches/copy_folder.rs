//! Items per second of a folder copy across stores (`Folder::copy_to`): the largest folder of
//! the corpus PSTs into an embedded mailbox (20 times; also its reading and its saving apart),
//! and a 100,000-item mailbox folder (that folder's items, repeated) into another mailbox. The issue asks >= 10,000 items/s for a
//! 100,000-item PST folder; no PST that large exists yet, so both are measured.
//!
//! Run: `cargo bench -p outpost-session --bench copy_folder` (COPY_BENCH_ITEMS sets the size
//! of the big folder, 100000 by default).

use mapi::provider::MessageContent;
use session::copy::Copier;
use session::{AddStoreOptions, Application, Folder, OlDefaultFolders, OutpostPaths, Store};
use std::path::Path;
use std::time::Instant;

const CORPUS: &[(&str, Option<&str>)] = &[
    ("aspose-Outlook.pst", None),
    ("aspose-passwordprotectedPST.pst", Some("Password1")),
    ("go-pst-support.pst", None),
    ("java-libpst-dist-list.pst", None),
    ("pst-extractor-enron.pst", None),
    ("pst2john-2003_high-encryption_quickquick.pst", Some("quickquick")),
    ("pst2john-2003_no-encryption_quickquick.pst", Some("quickquick")),
    ("pst2john-97_outlook_pass12345.pst", Some("pass12345")),
    ("pstsdk-submessage.pst", None),
    ("ruby-msg-attachAndInline.pst", None),
];

fn every_folder(folder: &Folder, out: &mut Vec<Folder>) {
    out.push(folder.clone());
    for child in folder.folders().unwrap() {
        every_folder(&child, out);
    }
}

fn main() {
    let home = tempfile::tempdir().unwrap();
    let app = Application::new(OutpostPaths::under(home.path()));
    let ns = app.session();
    ns.logon(None, None, false, false).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pst");
    let mut folders = Vec::new();
    let mut psts: Vec<Store> = Vec::new();
    for &(name, password) in CORPUS {
        let options = AddStoreOptions {
            display_name: Some(name.to_owned()),
            password: password.map(str::to_owned),
        };
        let store = ns.add_store_with(&corpus.join(name), &options).unwrap();
        every_folder(&store.root_folder().unwrap(), &mut folders);
        psts.push(store);
    }
    let mailbox = |name: &str| -> Store {
        let path = home.path().join(format!("{name}.mailbox"));
        let options =
            store::CreateOptions { display_name: Some(name.into()), ..Default::default() };
        store::Mailbox::create(&path, &options).unwrap();
        ns.add_store(&path).unwrap()
    };

    // 1. The largest corpus folder, PST -> mailbox, copied repeatedly.
    let largest = folders.iter().max_by_key(|f| f.item_count().unwrap()).unwrap();
    let target = mailbox("FromPst");
    let into = target.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let rounds = 20;
    let started = Instant::now();
    let mut items = 0;
    for round in 0..rounds {
        let parent = into.create_folder(&format!("round {round}"), None).unwrap();
        items += largest.copy_to_counted(&parent).unwrap().1.items;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "PST -> mailbox: {} ({} items) x {rounds}: {items} items in {seconds:.2} s = {:.0} items/s",
        largest.folder_path().unwrap(),
        largest.item_count().unwrap(),
        items as f64 / seconds
    );
    // Where the time goes: reading the same items without saving them.
    let mut copier = Copier::new(largest.store().backend().clone(), target.backend().clone());
    let started = Instant::now();
    let mut read = 0usize;
    for _ in 0..rounds {
        for item in largest.items().iter().unwrap() {
            copier.read_message(item.unwrap().message().as_ref()).unwrap();
            read += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "  of which reading from the PST: {read} items in {seconds:.2} s = {:.0} items/s",
        read as f64 / seconds
    );
    let batch: Vec<MessageContent> = largest
        .items()
        .iter()
        .unwrap()
        .map(|item| copier.read_message(item.unwrap().message().as_ref()).unwrap())
        .collect();
    let folders: Vec<Folder> =
        (0..rounds).map(|r| into.create_folder(&format!("write {r}"), None).unwrap()).collect();
    let started = Instant::now();
    for folder in &folders {
        folder.handle().create_messages(&batch, false).unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let written = batch.len() * rounds;
    println!(
        "  and saving them (one transaction per {} items): {written} items in {seconds:.2} s = {:.0} items/s",
        batch.len(),
        written as f64 / seconds
    );

    // 2. A big mailbox folder: the largest corpus folder's items (plain mails), repeated.
    let wanted: usize =
        std::env::var("COPY_BENCH_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let source = mailbox("Big");
    let big = source
        .get_default_folder(OlDefaultFolders::Inbox)
        .unwrap()
        .create_folder("Big", None)
        .unwrap();
    let mut copier = Copier::new(largest.store().backend().clone(), source.backend().clone());
    let contents: Vec<MessageContent> = largest
        .items()
        .iter()
        .unwrap()
        .map(|item| copier.read_message(item.unwrap().message().as_ref()).unwrap())
        .collect();
    let mut filled = 0;
    while filled < wanted {
        let take = (wanted - filled).min(contents.len());
        big.handle().create_messages(&contents[..take], false).unwrap();
        filled += take;
    }
    let target = mailbox("Copy");
    let into = target.get_default_folder(OlDefaultFolders::Inbox).unwrap();
    let started = Instant::now();
    let (_, report) = big.copy_to_counted(&into).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "mailbox -> mailbox: {} items ({} distinct items of that folder repeated) in \
         {seconds:.2} s = {:.0} items/s",
        report.items,
        contents.len(),
        report.items as f64 / seconds
    );
}
