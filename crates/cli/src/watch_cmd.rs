//! `outpost watch FOLDER`: prints the folder's events as the instance raises them (Outlook's
//! `Items.ItemAdd` / `ItemChange` / `ItemRemove` and `NewMailEx`), until Ctrl-C.

use crate::instance_cmd;
use crate::output::CliError;
use mapi::ErrorCode;
use serde_json::{Value, json};
use service::Notification;
use std::io::Write;

/// `watch` with `--no-instance`: refused. Events are raised by the process that makes a
/// change; a watcher in its own process would see only its own changes, which are none, and
/// print nothing for ever. Only the instance sees what every command does.
pub fn no_instance_refusal() -> CliError {
    CliError::bad_input(
        "watch needs the instance: events come from the process that makes a change, and only \
         the instance runs every command's changes; a watcher of its own (--no-instance or \
         OUTPOST_NO_INSTANCE) would never see another process's writes. Run it without \
         --no-instance (changes made with --no-instance are not seen either)",
    )
}

/// Subscribes through the instance (starting it if needed) and prints one line per event.
/// The first line says what is watched (`{"subscribed": ...}` with `--json`), so a script
/// knows when events start to count. Exits 0 on SIGINT or SIGTERM, 1 when the instance goes
/// away.
pub fn run(folder: &str, profile: Option<&str>, json: bool) -> Result<(), CliError> {
    // The signal handlers go in before anything is printed: a script that stops the watch as
    // soon as it has said it is subscribed must get a clean exit.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| CliError::failed(format!("cannot wait for signals: {err}")))?;
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        let _context = runtime.enter();
        let catch = |kind: SignalKind, name: &str| {
            signal(kind).map_err(|err| CliError::failed(format!("cannot catch {name}: {err}")))
        };
        (catch(SignalKind::interrupt(), "SIGINT")?, catch(SignalKind::terminate(), "SIGTERM")?)
    };
    let mut client = instance_cmd::get_or_start()?;
    let mut params = json!({ "folder": folder });
    if let Some(profile) = profile {
        params["profile"] = profile.into();
    }
    let subscribed = client.call("subscribe", params).map_err(|err| {
        // Subscribing only resolves what the user typed (the profile and the folder): an
        // answer that it is malformed or names nothing is bad input.
        let err = err.to_mapi();
        match err.code {
            ErrorCode::InvalidParameter
            | ErrorCode::InvalidEntryId
            | ErrorCode::NotFound
            | ErrorCode::LogonFailed => CliError::bad_input_from(err),
            _ => CliError::from(err),
        }
    })?;
    let folder_path = subscribed["folder"]["folder_path"].as_str().unwrap_or(folder).to_owned();
    let first = if json {
        json!({ "subscribed": subscribed }).to_string()
    } else {
        format!("watching {folder_path} (Ctrl-C to stop)")
    };
    if !print_line(&first) {
        return Ok(());
    }

    // Events are read on their own thread; this one waits for the signals that end the watch.
    let reader = std::thread::spawn(move || {
        loop {
            match client.next_notification() {
                Ok(notification) => {
                    if !print_line(&render(&notification, json)) {
                        // Nobody reads our output any more: stop quietly.
                        std::process::exit(0);
                    }
                }
                Err(err) if err.is_connection_lost() => {
                    eprintln!("outpost watch: the instance went away; stopping");
                    std::process::exit(1);
                }
                Err(err) => {
                    eprintln!("outpost watch: {err}");
                    std::process::exit(1);
                }
            }
        }
    });
    let (mut interrupt, mut terminate) = signals;
    runtime.block_on(async {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    });
    drop(reader);
    Ok(())
}

/// Writes one line and flushes it (a watcher's output is read as it comes); `false` when
/// stdout is closed.
fn print_line(line: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_ok()
}

fn render(notification: &Notification, json: bool) -> String {
    let data = &notification.data;
    if json {
        let mut line =
            json!({ "event": notification.event, "subscription": notification.subscription });
        if let (Some(line), Some(data)) = (line.as_object_mut(), data.as_object()) {
            for (key, value) in data {
                if key != "kind" {
                    line.insert(key.clone(), value.clone());
                }
            }
        }
        return line.to_string();
    }
    if notification.event == "dropped" {
        return format!("dropped {} event(s): this watcher did not keep up", data["count"]);
    }
    let ids: Vec<&str> =
        data["entry_ids"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let folder = data["folder_entry_id"].as_str().unwrap_or("-");
    format!(
        "{:<12} {}  folder {folder}  {}",
        notification.event,
        data["store"].as_str().unwrap_or(""),
        ids.join(" ")
    )
}
