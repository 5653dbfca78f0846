//! `outpost entryid decode`.

use assert_cmd::Command;

/// A Unicode one-off entry ID built field by field (MS-OXCDATA 2.2.5.1).
fn one_off_hex() -> String {
    let utf16z =
        |s: &str| s.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let mut bytes = vec![0u8; 4];
    bytes.extend([
        0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54,
        0x02,
    ]);
    bytes.extend([0x00, 0x00, 0x00, 0x80]); // version 0, flags MAPI_ONE_OFF_UNICODE
    bytes.extend(utf16z("Jane Doe"));
    bytes.extend(utf16z("SMTP"));
    bytes.extend(utf16z("jane@example.org"));
    mapi::hex::encode(&bytes)
}

#[test]
fn one_off_shows_name_type_and_address() {
    let output = Command::cargo_bin("outpost")
        .unwrap()
        .args(["entryid", "decode", &one_off_hex(), "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["kind"], "one_off");
    assert_eq!(json["display_name"], "Jane Doe");
    assert_eq!(json["address_type"], "SMTP");
    assert_eq!(json["email_address"], "jane@example.org");
}

#[test]
fn three_bytes_is_an_error_with_exit_2() {
    let output = Command::cargo_bin("outpost")
        .unwrap()
        .args(["entryid", "decode", "000102"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3 bytes") && stderr.contains("at least 20"), "{stderr}");
}

#[test]
fn bad_hex_says_where() {
    let output = Command::cargo_bin("outpost")
        .unwrap()
        .args(["entryid", "decode", "00zz"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("position 2"), "{stderr}");
}
