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
fn dump_text_lists_every_folder_with_the_item_count_of_the_json_dump() {
    // The text summary is built from the same streamed walk as `--json`: each folder's path and
    // item count, in tree order, then the total.
    let file = corpus("pst/aspose-Outlook.pst");
    let json = json_output(&["--json", "pst", "dump", &file]);
    fn expect(folder: &serde_json::Value, parent: Option<&str>, lines: &mut Vec<String>) {
        let here = match parent {
            None => String::new(),
            Some(p) => format!("{p}/{}", folder["name"].as_str().unwrap_or("")),
        };
        let count = folder["messages"].as_array().unwrap().len();
        lines.push(format!("{}\t{count}", if here.is_empty() { "/" } else { &here }));
        for sub in folder["subfolders"].as_array().unwrap() {
            expect(sub, Some(&here), lines);
        }
    }
    let mut expected = Vec::new();
    expect(&json["root"], None, &mut expected);
    let total: usize =
        expected.iter().map(|l| l.rsplit('\t').next().unwrap().parse::<usize>().unwrap()).sum();
    assert!(total > 0 && expected.len() > 3, "the file has folders and items");
    expected.push(format!("TOTAL\t{total}"));
    let out = outpost().args(["pst", "dump", &file]).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().collect::<Vec<_>>(), expected);
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

/// The PST crate's test-only writer of small Unicode PSTs.
#[path = "../../pst/tests/common/builder.rs"]
mod builder;

/// A built PST with a 700-item folder (contents table over several blocks), written to a
/// temporary directory, after `patch` had its way with the bytes.
fn large_folder_file(patch: impl FnOnce(&mut Vec<u8>)) -> (tempfile::TempDir, String) {
    let mut bytes = builder::large_folder_pst(700, 300, 300).bytes;
    patch(&mut bytes);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.pst");
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

/// Runs `outpost` with `args` (plus `--json` first when `json`), returning exit code and stdout.
fn run(json: bool, args: &[&str]) -> (i32, String) {
    let mut command = outpost();
    if json {
        command.arg("--json");
    }
    let out = command.args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn ls_counts_every_row_of_a_contents_table_spanning_several_blocks() {
    let (_dir, path) = large_folder_file(|_| {});
    let tree = json_output(&["--json", "pst", "ls", &path]);
    let top = &tree["subfolders"][0];
    assert_eq!(top["name"], builder::TOP_NAME);
    let folder = &top["subfolders"][0];
    assert_eq!(folder["name"], builder::FOLDER_NAME);
    assert_eq!(folder["item_count"], 700);
    assert!(folder.get("error").is_none(), "{folder}");
    let (code, text) = run(false, &["pst", "ls", &path]);
    assert_eq!(code, 0);
    assert!(text.contains(&format!("{}  [700]\n", builder::FOLDER_NAME)), "{text}");

    let folder_path = "/Top of Personal Folders/Many items";
    let items = json_output(&["--json", "pst", "ls", &path, folder_path]);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 700);
    assert_eq!(items[699]["subject"], builder::subject(699));
    let (code, text) = run(false, &["pst", "ls", &path, folder_path]);
    assert_eq!(code, 0);
    assert_eq!(text.lines().count(), 700);
}

#[test]
fn check_of_a_file_with_multi_block_tables_finds_no_problem() {
    let (_dir, path) = large_folder_file(|_| {});
    let report = json_output(&["--json", "pst", "check", &path]);
    assert_eq!(report["messages"], 700);
    assert_eq!(report["attachments"], 300);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["problems"], serde_json::json!([]));
    let (code, text) = run(false, &["pst", "check", &path]);
    assert_eq!(code, 0);
    assert!(text.contains("no problems found"), "{text}");
}

#[test]
fn check_reports_a_wrong_heap_signature_once_as_a_warning_of_its_folder() {
    // HNHDR bSig (byte 2) of the large folder's property context; the heap reads fine.
    let (_dir, path) = large_folder_file(|bytes| {
        builder::patch_node_data(bytes, builder::LARGE_FOLDER, true, |data| data[2] = 0xAB);
    });
    let (code, out) = run(true, &["pst", "check", &path]);
    assert_eq!(code, 0, "warnings alone lose no data: {out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((report["errors"].as_u64(), report["warnings"].as_u64()), (Some(0), Some(1)));
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["severity"], "warning");
    assert_eq!(problems[0]["unreadable"], false);
    let object = problems[0]["object"].as_str().unwrap();
    assert!(object.starts_with("folder /Top of Personal Folders/Many items"), "{object}");
    assert!(problems[0]["message"].as_str().unwrap().contains("bSig is 0xab"));

    let (code, text) = run(false, &["pst", "check", &path]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].contains(object) && lines[0].contains("bSig is 0xab"), "{text}");
    assert!(text.contains("1 warning(s), no data lost"), "{text}");
    // The folder still lists.
    let tree = json_output(&["--json", "pst", "ls", &path]);
    assert_eq!(tree["subfolders"][0]["subfolders"][0]["item_count"], 700);
}

#[test]
fn check_names_the_unreadable_message_and_reports_its_problem_once() {
    let nid = 0x0001_0003 << 5 | 0x04; // message 3 of the large folder
    // bClientSig 0x7C: the message's heap no longer holds a property context.
    let (_dir, path) = large_folder_file(|bytes| {
        builder::patch_node_data(bytes, nid, true, |data| data[3] = 0x7C);
    });
    let (code, out) = run(true, &["pst", "check", &path]);
    assert_eq!(code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["severity"], "error");
    assert_eq!(problems[0]["unreadable"], true);
    assert_eq!(report["unreadable"], 1);
    let object = problems[0]["object"].as_str().unwrap();
    assert_eq!(object, format!("message NID {nid:#x} in /Top of Personal Folders/Many items"));

    let (code, text) = run(false, &["pst", "check", &path]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(lines[0].starts_with(&format!("error: {object} [unreadable]: ")), "{text}");
}

#[test]
fn check_lists_a_crc_mismatch_once_under_the_message_that_holds_the_block() {
    let nid = 0x0001_0005 << 5 | 0x04; // message 5 of the large folder
    // Change a character of the stored subject without fixing the CRC: the block B-tree walk
    // and every read of the message meet the same mismatch.
    let (_dir, path) = large_folder_file(|bytes| {
        builder::patch_node_data(bytes, nid, false, |data| {
            let digits: Vec<u8> = "0005".encode_utf16().flat_map(u16::to_le_bytes).collect();
            let at = data.windows(digits.len()).position(|w| w == digits).unwrap();
            data[at + 6] = b'4';
        });
    });
    let (code, out) = run(true, &["pst", "check", &path]);
    assert_eq!(code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["severity"], "error");
    let object = problems[0]["object"].as_str().unwrap();
    assert!(
        object.contains(&format!("(NID {nid:#x}) in /Top of Personal Folders/Many items")),
        "{object}"
    );
}
