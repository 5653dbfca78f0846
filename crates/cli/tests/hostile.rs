//! Crafted hostile PSTs (crates/pst/tests/common/craft.rs) through every command that reads
//! one: each must end with exit 0, 1 or 2 within 15 s and under 512 MiB (scripts/hostile/
//! run-all.sh, the maintainers' runner for their own crafted files, does the checking), and a
//! crafted file mounted through the instance must fail its command, not the instance.

#[path = "../../pst/tests/common/craft.rs"]
mod craft;

use assert_cmd::Command;
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

struct Home(tempfile::TempDir);

impl Home {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("outpost").unwrap();
        command
            .env("OUTPOST_HOME", self.0.path())
            .env("USER", "robin")
            .env("OUTPOST_INSTANCE_IDLE_SECONDS", "5")
            .env_remove("OUTPOST_NO_INSTANCE")
            .timeout(std::time::Duration::from_secs(15))
            .args(args);
        command
    }

    fn instance_pid(&self) -> u64 {
        let output = self.command(&["instance", "status", "--json"]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        status["pid"].as_u64().expect("a running instance has a pid")
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = self.command(&["instance", "stop"]).output();
    }
}

#[test]
fn crafted_files_mounted_through_the_instance_fail_their_command_not_the_instance() {
    let home = Home(tempfile::tempdir().unwrap());
    let files = tempfile::tempdir().unwrap();
    let cases = write_cases(files.path());
    assert!(home.command(&["stores"]).output().unwrap().status.success());
    let pid = home.instance_pid();
    let store = files.path().join("bth-shared-index-store.pst");
    let mount = home.command(&["store", "add", store.to_str().unwrap()]).output().unwrap();
    // A damaged file is bad input (exit 2), as for every command that is given one.
    assert_eq!(mount.status.code(), Some(2), "{}", String::from_utf8_lossy(&mount.stderr));
    let stderr = String::from_utf8_lossy(&mount.stderr);
    assert!(stderr.contains("a second time"), "the error says what is wrong: {stderr}");
    // The rest mount or fail; then the session commands walk them through the instance.
    for case in &cases {
        let code = home.command(&["store", "add", case.to_str().unwrap()]).output().unwrap();
        assert!(matches!(code.status.code(), Some(0..=2)), "store add {}", case.display());
    }
    for args in [vec!["folders"], vec!["stores"], vec!["items", "inbox"]] {
        let output = home.command(&args).output().unwrap();
        assert!(matches!(output.status.code(), Some(0..=2)), "{args:?}");
    }
    // The instance that took all this still serves, and it is the same one.
    let stores = home.command(&["stores", "--json"]).output().unwrap();
    assert!(stores.status.success(), "{}", String::from_utf8_lossy(&stores.stderr));
    assert_eq!(home.instance_pid(), pid, "the instance survived the crafted files");
}
