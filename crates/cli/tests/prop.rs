//! `outpost prop`: catalog lookups from the command line.

use assert_cmd::Command;

fn prop_json(query: &str) -> serde_json::Value {
    let output =
        Command::cargo_bin("outpost").unwrap().args(["prop", query, "--json"]).output().unwrap();
    assert!(output.status.success(), "{query}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn subject_by_name_gives_tag_and_type() {
    let json = prop_json("PidTagSubject");
    assert_eq!(json["name"], "PidTagSubject");
    assert_eq!(json["tag"], "0x0037001F");
    assert_eq!(json["type"], "PtypString");
}

#[test]
fn display_name_by_tag() {
    assert_eq!(prop_json("0x3001001F")["name"], "PidTagDisplayName");
}

#[test]
fn named_property_shows_its_set_and_lid() {
    let json = prop_json("PidLidAppointmentStartWhole");
    assert_eq!(json["property_set"], "PSETID_Appointment");
    assert_eq!(json["lid"], "0x820D");
    assert_eq!(json["type"], "PtypTime");
}

#[test]
fn unknown_property_exits_2_with_a_suggestion() {
    let output =
        Command::cargo_bin("outpost").unwrap().args(["prop", "PidTagSubjekt"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("PidTagSubject"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn text_output_is_readable() {
    let output = Command::cargo_bin("outpost").unwrap().args(["prop", "0x0037"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("PidTagSubject")
            && text.contains("0x0037001F")
            && text.contains("PtypString"),
        "{text}"
    );
}
