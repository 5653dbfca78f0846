//! Crash safety: a child process saves messages and prints each entry ID after `save_changes`
//! returned; the parent kills it with SIGKILL at a random moment, a few times. After each kill
//! the mailbox must pass `check` and hold every message whose save returned.
//!
//! The child is this same test binary started with `--child PATH` (the target has no libtest
//! harness, so `main` decides which side to run).

use mapi::provider::{MessageStore, SpecialFolder};
use mapi::{PropTag, PropType, PropValue, TaggedValue};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use store::{CreateOptions, Mailbox, check};

const SUBJECT: PropTag = PropTag::new(0x0037, PropType::String);
const BODY: PropTag = PropTag::new(0x1000, PropType::String);
const ROUNDS: usize = 4;

fn child(path: &Path) {
    let mailbox = Mailbox::open(path).expect("child: open");
    let inbox_id = mailbox.special_folder_entry_id(SpecialFolder::Inbox).expect("child: inbox");
    let inbox = mailbox.open_folder(&inbox_id).expect("child: open inbox");
    let body = "crash-safe body text. ".repeat(100);
    let mut stdout = std::io::stdout().lock();
    for i in 0..10_000 {
        let message = inbox.create_message(false).expect("child: create");
        message
            .set_props(&[
                TaggedValue { tag: SUBJECT, value: PropValue::String(format!("message {i}")) },
                TaggedValue { tag: BODY, value: PropValue::String(body.clone()) },
            ])
            .expect("child: props");
        message.save_changes().expect("child: save");
        let id = message.entry_id().expect("child: entry id");
        writeln!(stdout, "{} {i}", mapi::hex::encode(&id)).expect("child: print");
        stdout.flush().expect("child: flush");
    }
}

/// A small xorshift generator seeded from the clock: the kill moments differ between runs.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn parent() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("crash.db");
    Mailbox::create(&path, &CreateOptions::default()).map_err(|e| e.to_string())?;
    let seed =
        SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
            | 1;
    let mut random = Random(seed);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut confirmed: Vec<(Vec<u8>, String)> = Vec::new();
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .arg("--child")
            .arg(&path)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("spawning the child: {e}"))?;
        let stdout = child.stdout.take().ok_or("no child stdout")?;
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<String>>()
        });
        let wait = Duration::from_millis(100 + random.below(600));
        let started = Instant::now();
        std::thread::sleep(wait);
        child.kill().map_err(|e| format!("killing the child: {e}"))?;
        let status = child.wait().map_err(|e| e.to_string())?;
        let lines = reader.join().map_err(|_| "reader thread panicked")?;
        // A line is printed only after its save returned; a torn last line is not a claim.
        let saved: Vec<(Vec<u8>, String)> = lines
            .iter()
            .filter_map(|line| {
                let (hex, n) = line.split_once(' ')?;
                Some((mapi::hex::decode(hex).ok()?, format!("message {n}")))
            })
            .collect();
        println!(
            "round {round}: killed after {:?} ({status}); {} saves confirmed",
            started.elapsed(),
            saved.len()
        );
        confirmed.extend(saved);

        let report =
            check(&path).map_err(|e| format!("round {round}: check failed to run: {e}"))?;
        if !report.is_ok() {
            return Err(format!("round {round}: check found damage: {:?}", report.problems));
        }
        let mailbox = Mailbox::open(&path).map_err(|e| format!("round {round}: reopen: {e}"))?;
        for (id, subject) in &confirmed {
            let message = mailbox.open_message(id).map_err(|e| {
                format!("round {round}: a confirmed save is missing ({subject}): {e}")
            })?;
            let got = message.get_prop(SUBJECT).map_err(|e| e.to_string())?;
            if got.as_ref().and_then(|v| v.as_str()) != Some(subject) {
                return Err(format!("round {round}: {subject} reads back as {got:?}"));
            }
        }
    }
    if confirmed.is_empty() {
        return Err("no child ever confirmed a save; the test proved nothing".into());
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = &args[..]
        && flag == "--child"
    {
        child(Path::new(path));
        return;
    }
    // libtest-style filters: run unless a filter names another test. Values of libtest's
    // options (`--test-threads 2`, `--skip NAME`) are not filters.
    const NAME: &str = "killed_writer_loses_no_saved_message";
    let mut filters = Vec::new();
    let mut skips = Vec::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--skip" => skips.extend(rest.next()),
            "--test-threads" | "--format" | "--color" | "--logfile" | "-Z" => {
                rest.next();
            }
            flag if flag.starts_with('-') => {}
            filter => filters.push(filter),
        }
    }
    let selected = (filters.is_empty() || filters.iter().any(|f| NAME.contains(*f)))
        && !skips.iter().any(|s| NAME.contains(s.as_str()));
    if !selected {
        println!("0 passed, 0 failed");
        return;
    }
    match parent() {
        Ok(()) => {
            println!("test {NAME} ... ok");
            println!("1 passed, 0 failed");
        }
        Err(err) => {
            println!("test {NAME} ... FAILED: {err}");
            println!("0 passed, 1 failed");
            std::process::exit(1);
        }
    }
}
