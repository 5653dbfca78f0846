//! `outpost item body`: each format, --out (relative to the caller's directory, though the
//! command runs in the instance), text output showing what --json shows, and exit codes.

mod common;

use common::Home;

#[test]
fn item_body_prints_or_writes_each_format() {
    let home = Home::new();
    let created = home
        .json(&["item", "create", "inbox", "--subject", "b", "--body", "a < b\r\nline 2"])
        .ok()
        .json();
    let id = created["entry_id"].as_str().unwrap().to_owned();

    let got = home.json(&["item", "get", &id]).ok().json();
    assert_eq!(got["body_format"], "olFormatPlain");

    let plain = home.json(&["item", "body", &id]).ok().json();
    assert_eq!(plain["format"], "plain");
    assert_eq!(plain["body_format"], "olFormatPlain");
    assert_eq!(plain["content"], "a < b\r\nline 2");
    assert_eq!(plain["bytes"], 13);
    let text = home.raw(&["item", "body", &id]).ok();
    assert_eq!(text.stdout, "a < b\r\nline 2\n");

    let html = home.json(&["item", "body", &id, "--format", "html"]).ok().json();
    assert_eq!(html["content"], "<html><body>\r\na &lt; b<br>\r\nline 2\r\n</body></html>\r\n");

    // A plain item has no RTF: the operation fails (exit 1) and says so.
    let rtf = home.json(&["item", "body", &id, "--format", "rtf"]);
    assert_eq!(rtf.code, 1, "{}", rtf.stderr);
    assert!(rtf.error()["error"].as_str().unwrap().contains("no rtf body"), "{}", rtf.stderr);

    // --out is relative to where the command was typed, not to the instance's directory.
    let work = tempfile::tempdir().unwrap();
    let run = home
        .command(&["item", "body", &id, "--format", "html", "--out", "body.html", "--json"])
        .current_dir(work.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let written = std::fs::read_to_string(work.path().join("body.html")).unwrap();
    assert_eq!(written, html["content"].as_str().unwrap());
    assert_eq!(doc["out"], work.path().join("body.html").display().to_string());
    assert!(doc.get("content").is_none());
}

#[test]
fn item_body_bad_input_exits_2() {
    let home = Home::new();
    for args in [
        &["item", "body", "XYZ"][..],
        &["item", "body", "000102"],
        &["item", "body", "00", "--format", "pdf"],
    ] {
        let run = home.json(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
}
