//! What the CLI's integration tests share: an isolated OUTPOST_HOME whose instance is stopped
//! when the test ends, and the outcome of one `outpost` run.

// Each test file uses its own part of these helpers.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

/// An OUTPOST_HOME of its own for user `dana`; commands go through its instance (the
/// default), which is stopped when the home is dropped.
pub struct Home(tempfile::TempDir);

/// Exit code and output of one `outpost` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// The one JSON error document on stderr.
    pub fn error(&self) -> Value {
        serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is not one JSON document ({e}): {}", self.stderr))
    }

    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }
}

impl Home {
    pub fn new() -> Home {
        Home(tempfile::tempdir().unwrap())
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// `outpost ARGS` in this home, through the instance even where the caller's environment
    /// says otherwise; the instance exits soon after its last command.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::cargo_bin("outpost").unwrap();
        command
            .env("OUTPOST_HOME", self.path())
            .env("USER", "dana")
            .env("OUTPOST_INSTANCE_IDLE_SECONDS", "5")
            .env_remove("OUTPOST_NO_INSTANCE")
            .args(args);
        command
    }

    /// Runs `outpost ARGS` as typed (no `--json` added).
    pub fn raw(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs `outpost ARGS --json`.
    pub fn json(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.push("--json");
        self.raw(&all)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = self.command(&["instance", "stop"]).output();
    }
}
