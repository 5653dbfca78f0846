//! Shared helpers: where the corpus is and which files it holds.

#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/corpus` relative to the workspace root.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus"))
}

/// Every PST and OST of the corpus, sorted by name.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in ["pst", "ost"] {
        let Ok(entries) = std::fs::read_dir(corpus_dir().join(sub)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext.eq_ignore_ascii_case("pst") || ext.eq_ignore_ascii_case("ost") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

pub fn corpus_file(name: &str) -> PathBuf {
    let sub = if name.ends_with(".ost") { "ost" } else { "pst" };
    corpus_dir().join(sub).join(name)
}
pub mod builder;
