//! Crafted hostile PSTs (crates/pst/tests/common/craft.rs) through every command that reads
//! one: each must end with exit 0, 1 or 2 within 15 s and under 512 MiB (scripts/hostile/
//! run-all.sh, the maintainers' runner for their own crafted files, does the checking), and a
//! crafted file mounted through the instance must fail its command, not the instance.

#[path = "../../pst/tests/common/builder.rs"]
mod builder;
mod common;
#[path = "../../pst/tests/common/craft.rs"]
mod craft;

use assert_cmd::Command;
use common::Home;
use std::path::{Path, PathBuf};

fn corpus_pst() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst"))
        .join("java-libpst-dist-list.pst")
}

fn write_cases(dir: &Path) -> Vec<PathBuf> {
    craft::cases(&corpus_pst())
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

#[test]
fn every_command_ends_within_the_limits_on_every_crafted_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_cases(dir.path());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/hostile/run-all.sh");
    let output = std::process::Command::new("bash")
        .arg(script)
        .arg(dir.path())
        .arg(env!("CARGO_BIN_EXE_outpost"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    for file in &files {
        assert!(stdout.contains(&format!("PASS {}", file.display())), "{stdout}");
    }
}

/// `outpost ARGS` in `home`, given at most the 15 s every command has on a crafted file.
fn command(home: &Home, args: &[&str]) -> Command {
    let mut command = home.command(args);
    command.timeout(std::time::Duration::from_secs(15));
    command
}

fn instance_pid(home: &Home) -> u64 {
    let output = command(home, &["instance", "status", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    status["pid"].as_u64().expect("a running instance has a pid")
}

#[test]
fn crafted_files_mounted_through_the_instance_fail_their_command_not_the_instance() {
    let home = Home::new();
    let files = tempfile::tempdir().unwrap();
    let cases = write_cases(files.path());
    assert!(command(&home, &["stores"]).output().unwrap().status.success());
    let pid = instance_pid(&home);
    let store = files.path().join("bth-shared-index-store.pst");
    let mount = command(&home, &["store", "add", store.to_str().unwrap()]).output().unwrap();
    // A damaged file is bad input (exit 2), as for every command that is given one.
    assert_eq!(mount.status.code(), Some(2), "{}", String::from_utf8_lossy(&mount.stderr));
    let stderr = String::from_utf8_lossy(&mount.stderr);
    assert!(stderr.contains("a second time"), "the error says what is wrong: {stderr}");
    // The rest mount or fail; then the session commands walk them through the instance.
    for case in &cases {
        let code = command(&home, &["store", "add", case.to_str().unwrap()]).output().unwrap();
        assert!(matches!(code.status.code(), Some(0..=2)), "store add {}", case.display());
    }
    for args in [vec!["folders"], vec!["stores"], vec!["items", "inbox"]] {
        let output = command(&home, &args).output().unwrap();
        assert!(matches!(output.status.code(), Some(0..=2)), "{args:?}");
    }
    // The instance that took all this still serves, and it is the same one.
    let stores = command(&home, &["stores", "--json"]).output().unwrap();
    assert!(stores.status.success(), "{}", String::from_utf8_lossy(&stores.stderr));
    assert_eq!(instance_pid(&home), pid, "the instance survived the crafted files");
}
