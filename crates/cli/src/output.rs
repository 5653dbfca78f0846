//! How commands print: text for people, one JSON document with `--json`; errors on stderr.

use serde::Serialize;
use std::cell::RefCell;
use std::io::Write;

thread_local! {
    /// When set, `emit` writes here instead of stdout: the instance runs a command for a
    /// client on one of its threads and sends the client exactly what it would have printed.
    static CAPTURE: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// Runs `command` with everything it emits captured; returns its result and the bytes.
pub fn capture_output<T>(command: impl FnOnce() -> T) -> (T, Vec<u8>) {
    CAPTURE.with(|slot| *slot.borrow_mut() = Some(Vec::new()));
    let result = command();
    let bytes = CAPTURE.with(|slot| slot.borrow_mut().take()).unwrap_or_default();
    (result, bytes)
}

/// Where a command's result goes.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    pub fn is_json(self) -> bool {
        self.json
    }

    /// Prints `value` as JSON, or calls `text` to print it for people.
    pub fn emit<T: Serialize>(
        self,
        value: &T,
        text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), CliError> {
        let capturing = CAPTURE.with(|slot| slot.borrow().is_some());
        let result = if capturing {
            let mut buffer = Vec::new();
            let result = self.render(value, text, &mut buffer);
            CAPTURE.with(|slot| {
                if let Some(captured) = slot.borrow_mut().as_mut() {
                    captured.extend_from_slice(&buffer);
                }
            });
            result
        } else {
            self.render(value, text, &mut std::io::stdout().lock())
        };
        match result {
            Ok(()) => Ok(()),
            // A closed pipe (`outpost ... | head`) is not a failure of the command.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(err) => Err(CliError::failed(format!("cannot write output: {err}"))),
        }
    }

    fn render<T: Serialize>(
        self,
        value: &T,
        text: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
        lock: &mut dyn Write,
    ) -> std::io::Result<()> {
        if self.json {
            // Serialise first, so a write error keeps its io::ErrorKind (BrokenPipe).
            let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
            writeln!(lock, "{text}")
        } else {
            text(lock)
        }
    }
}

/// A command's failure: what to tell the user and which exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or usage: exit 2. Carries the MAPI code where there is one (an entry ID
    /// that names nothing is still `MAPI_E_NOT_FOUND` to a script).
    #[error("{message}")]
    BadInput { message: String, code: Option<mapi::ErrorCode> },
    /// The operation failed: exit 1. Carries the MAPI code where there is one.
    #[error("{message}")]
    Failed { message: String, code: Option<mapi::ErrorCode> },
}

impl CliError {
    pub fn bad_input(message: impl Into<String>) -> CliError {
        CliError::BadInput { message: message.into(), code: None }
    }

    /// Bad input reported by a lower layer with its MAPI code.
    pub fn bad_input_from(err: mapi::MapiError) -> CliError {
        CliError::BadInput { message: err.to_string(), code: Some(err.code) }
    }

    pub fn failed(message: impl Into<String>) -> CliError {
        CliError::Failed { message: message.into(), code: None }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::BadInput { .. } => 2,
            CliError::Failed { .. } => 1,
        }
    }

    /// The MAPI code behind the error, if any.
    pub fn code(&self) -> Option<mapi::ErrorCode> {
        match self {
            CliError::BadInput { code, .. } | CliError::Failed { code, .. } => *code,
        }
    }

    /// The `--json` error document: what went wrong, the MAPI code, the exit code.
    pub fn json_document(&self) -> serde_json::Value {
        serde_json::json!({
            "error": self.to_string(),
            "code": self.code().map(|code| code.name()),
            "exit_code": self.exit_code(),
        })
    }

    /// Prints the error to stderr; with `--json` as a JSON object so scripts can parse it.
    pub fn report(&self, json: bool) {
        let mut stderr = std::io::stderr().lock();
        if json {
            let _ = writeln!(stderr, "{}", self.json_document());
        } else {
            let _ = writeln!(stderr, "outpost: error: {self}");
        }
    }
}

impl From<mapi::MapiError> for CliError {
    fn from(err: mapi::MapiError) -> CliError {
        CliError::Failed { message: err.to_string(), code: Some(err.code) }
    }
}
