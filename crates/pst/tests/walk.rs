//! Walking whole files: every corpus file is intact, and two threads can walk one handle.

mod common;

use pst::{OpenOptions, PstFile};

#[test]
fn every_corpus_file_walks_without_problems() {
    for path in common::corpus_files() {
        let file = PstFile::open_with(&path, OpenOptions { lenient: true }).unwrap();
        let report = pst::check::check(&file);
        assert!(
            report.problems.is_empty(),
            "{}: {:#?}",
            path.display(),
            &report.problems[..report.problems.len().min(5)]
        );
        assert!(report.nodes > 0 && report.blocks > 0 && report.folders > 0);
    }
}

#[test]
fn two_threads_walk_one_file_and_see_the_same_thing() {
    let file =
        PstFile::open(common::corpus_file("pst2john-2003_high-encryption_quickquick.pst")).unwrap();
    let (a, b) = std::thread::scope(|s| {
        let one = s.spawn(|| pst::check::check(&file));
        let two = s.spawn(|| pst::check::check(&file));
        (one.join().unwrap(), two.join().unwrap())
    });
    // 36 mails (MANIFEST.md), plus any associated messages.
    assert!(a.messages >= 36, "{a:?}");
    assert_eq!(
        (a.messages, a.attachments, a.attachment_bytes),
        (b.messages, b.attachments, b.attachment_bytes)
    );
    assert!(a.attachment_bytes > 0);
}

#[test]
fn handles_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PstFile>();
    assert_send_sync::<pst::Folder>();
    assert_send_sync::<pst::Message>();
    assert_send_sync::<pst::Attachment>();
    assert_send_sync::<pst::TableContext>();
    assert_send_sync::<pst::PropertyContext>();
    assert_send_sync::<pst::PstError>();
}
