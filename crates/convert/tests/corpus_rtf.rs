//! Every compressed RTF body in the corpus PSTs (messages and embedded messages), checked
//! against an implementation that is not ours: the PyPI `compressed-rtf` package
//! (`python3 -m pip install compressed-rtf`, module `compressed_rtf`).
//!
//! - ours and theirs decompress each stored body to the same bytes;
//! - our `compress` of each decompressed body decompresses there (and here) to the original;
//! - de-encapsulation and the plain rendering read every body without an error.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).to_path_buf()
}

/// (where, PidTagRtfCompressed) for every message and embedded message of every corpus PST.
fn every_compressed_rtf() -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut names: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("the shared corpus at ../shared/corpus/pst")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pst"))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "corpus PSTs: {names:?}");
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = pst::PstFile::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = file.root_folder().unwrap();
        let mut folders = vec![root];
        while let Some(folder) = folders.pop() {
            for nid in folder.message_nids().unwrap() {
                let message = file.message(nid).unwrap();
                collect(&format!("{name} nid {:#x}", nid.0), &message, 0, &mut found);
            }
            folders.extend(folder.subfolders().unwrap());
        }
    }
    found
}

fn collect(place: &str, message: &pst::Message, depth: usize, found: &mut Vec<(String, Vec<u8>)>) {
    assert!(depth < 32, "{place}: embedded messages nested too deep");
    if let Some(data) = message.rtf_compressed() {
        found.push((place.to_owned(), data));
    }
    for (i, attachment) in message.attachments().unwrap().into_iter().enumerate() {
        if let Some(embedded) = attachment.embedded_message().unwrap() {
            collect(&format!("{place} / attachment {i}"), &embedded, depth + 1, found);
        }
    }
}

/// Runs `compressed_rtf.decompress` on each file of `dir` (named N.in), writing N.out (or
/// N.err with the exception). `None` when Python or the package is missing outside CI.
fn python_decompress_all(dir: &Path, count: usize) -> Option<()> {
    let script = r#"
import sys, os, compressed_rtf
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    data = open(os.path.join(d, f"{i}.in"), "rb").read()
    try:
        out = compressed_rtf.decompress(data)
        open(os.path.join(d, f"{i}.out"), "wb").write(out)
    except Exception as e:
        open(os.path.join(d, f"{i}.err"), "w").write(repr(e))
"#;
    let run =
        Command::new("python3").arg("-c").arg(script).arg(dir).arg(count.to_string()).output();
    let missing = match &run {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(String::from_utf8_lossy(&out.stderr).into_owned()),
        Err(e) => Some(e.to_string()),
    };
    if let Some(why) = missing {
        if std::env::var_os("CI").is_some() {
            panic!(
                "the compressed-rtf oracle is missing in CI (python3 -m pip install compressed-rtf): {why}"
            );
        }
        eprintln!("notice: skipping the compressed-rtf comparison: {why}");
        return None;
    }
    Some(())
}

#[test]
fn every_corpus_rtf_body_decompresses_as_the_pypi_package_does_and_compresses_for_it() {
    let bodies = every_compressed_rtf();
    // The corpus has RTF bodies in several PSTs (aspose, enron, pstsdk, ruby-msg ...).
    assert!(bodies.len() >= 20, "only {} compressed RTF bodies found", bodies.len());

    let dir = tempfile::tempdir().unwrap();
    let mut ours = Vec::new();
    for (i, (place, data)) in bodies.iter().enumerate() {
        let rtf = convert::rtf::decompress(data).unwrap_or_else(|e| panic!("{place}: {e}"));
        assert!(
            rtf.starts_with(b"{\\rtf"),
            "{place}: {:?}",
            String::from_utf8_lossy(&rtf[..rtf.len().min(20)])
        );
        // Our compression round-trips here, and is written out for theirs.
        let packed = convert::rtf::compress(&rtf).unwrap();
        assert_eq!(convert::rtf::decompress(&packed).unwrap(), rtf, "{place}: our round trip");
        fs::write(dir.path().join(format!("{i}.in")), data).unwrap();
        fs::write(dir.path().join(format!("{}.in", bodies.len() + i)), &packed).unwrap();
        // Reading text out never fails on real bodies.
        convert::rtf::to_plain_text(&rtf).unwrap_or_else(|e| panic!("{place}: plain text: {e}"));
        convert::rtf::extract_html(&rtf).unwrap_or_else(|e| panic!("{place}: html: {e}"));
        convert::rtf::extract_text(&rtf).unwrap_or_else(|e| panic!("{place}: text: {e}"));
        ours.push(rtf);
    }
    if python_decompress_all(dir.path(), 2 * bodies.len()).is_none() {
        return;
    }
    for (i, (place, _)) in bodies.iter().enumerate() {
        for (index, what) in [(i, "stored body"), (bodies.len() + i, "our compression of it")] {
            let theirs = fs::read(dir.path().join(format!("{index}.out"))).unwrap_or_else(|_| {
                let err =
                    fs::read_to_string(dir.path().join(format!("{index}.err"))).unwrap_or_default();
                panic!("{place}: compressed_rtf could not decompress the {what}: {err}")
            });
            assert!(
                theirs == ours[i],
                "{place}: {what}: compressed_rtf gives {} bytes, ours {}",
                theirs.len(),
                ours[i].len()
            );
        }
    }
}
