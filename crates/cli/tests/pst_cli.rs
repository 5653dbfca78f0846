//! `outpost pst ...` end to end on corpus files.

use assert_cmd::Command;

fn corpus(rel: &str) -> String {
    format!("{}/../../../shared/corpus/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `outpost` with `args`, expects success, and parses its stdout as JSON.
fn json_output(args: &[&str]) -> serde_json::Value {
    let out = outpost().args(args).assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

fn outpost() -> Command {
    Command::cargo_bin("outpost").unwrap()
}

#[test]
fn info_reports_format_encryption_and_password_of_an_ansi_store() {
    let info = json_output(&["--json", "pst", "info", &corpus("pst/pstsdk-test_ansi.pst")]);
    assert_eq!(info["format"], "ANSI");
    assert_eq!(info["encryption"], "permute");
    assert_eq!(info["password_protected"], true);
    assert_eq!(info["password_crc"], "0xf93ba110");
    assert_eq!(info["folder_count"], 6);
    assert_eq!(info["message_count"], 1);
}

#[test]
fn info_reads_the_4k_page_ost() {
    let info =
        json_output(&["--json", "pst", "info", &corpus("ost/pst-extractor-outlookcom-2013.ost")]);
    assert_eq!(info["format"], "Unicode-4K");
    assert_eq!(info["kind"], "OST");
    assert_eq!(info["message_count"], 183);
}

#[test]
fn info_does_not_call_an_ost_password_protected() {
    for name in ["ost/pst-extractor-outlookcom-2013.ost", "ost/aspose-SampleOstFile.ost"] {
        let info = json_output(&["--json", "pst", "info", &corpus(name)]);
        // OSTs keep 0xFFFFFFFF in PidTagPstPassword and open without a password.
        assert_eq!(info["password_protected"], false, "{name}");
        assert_eq!(info["password_crc"], "0xffffffff", "{name}");
        // The store object's empty PidTagDisplayName is no name.
        assert_eq!(info["display_name"], serde_json::Value::Null, "{name}");
        let text = outpost().args(["pst", "info", &corpus(name)]).assert().success();
        let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
        assert!(text.contains("Password-protected: false (PidTagPstPassword 0xffffffff"), "{text}");
        assert!(text.contains("Display name:       -\n"), "{text}");
    }
}

#[test]
fn dump_json_equals_the_expected_dump() {
    let got = json_output(&["--json", "pst", "dump", &corpus("pst/pstsdk-submessage.pst")]);
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(corpus("pst/pstsdk-submessage.expected.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(got, expected);
}

#[test]
fn ls_lists_the_items_of_a_folder_by_path() {
    let items = json_output(&[
        "--json",
        "pst",
        "ls",
        &corpus("pst/pstsdk-submessage.pst"),
        "/Top of Outlook data file/submessage",
    ]);
    assert_eq!(items[0]["message_class"], "IPM.Note");
    assert_eq!(items[0]["attachment_count"], 1);
}

#[test]
fn check_passes_an_intact_file_and_exits_zero() {
    outpost()
        .args(["pst", "check", &corpus("pst/pst2john-2003_high-encryption_quickquick.pst")])
        .assert()
        .success()
        .stdout(predicates::str::contains("no problems found"));
}

#[test]
fn a_file_that_is_not_a_pst_is_bad_input() {
    outpost()
        .args(["pst", "info", &corpus("MANIFEST.md")])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("dwMagic"));
}

#[test]
fn check_of_a_damaged_copy_exits_one() {
    let mut bytes = std::fs::read(corpus("pst/pstsdk-submessage.pst")).unwrap();
    // Flip bytes well inside the file's blocks: some block or page CRC must now fail.
    for at in (0x4400..bytes.len()).step_by(4096) {
        bytes[at] ^= 0xFF;
    }
    let dir = std::env::temp_dir().join(format!("outpost-pst-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("damaged.pst");
    std::fs::write(&path, bytes).unwrap();
    outpost().args(["pst", "check", path.to_str().unwrap()]).assert().code(1);
    let _ = std::fs::remove_dir_all(&dir);
}
