//! `outpost items FOLDER --start D --end D`: a calendar's occurrences in a time range, with
//! recurring series expanded (Outlook's `Items.IncludeRecurrences` with a sorted Start
//! restriction). `outpost items calendar --start ... --end ...` reads as the issue writes it:
//! FOLDER is the default-folder kind `calendar`, a folder path or an entry ID.

use crate::output::{CliError, Output};
use clap::Args;
use jiff::Timestamp;
use serde::Serialize;
use session::{AppointmentOccurrence, Folder};

/// `--start/--end` of `items`: with them, `items` lists occurrences instead of items.
#[derive(Debug, Clone, Args)]
pub struct RangeArgs {
    /// List the occurrences (recurring series expanded) that overlap [START, END): ISO 8601
    /// (`2024-03-01T09:00Z`), or `YYYY-MM-DD [HH:MM]` / `M/D/YYYY` in local time. Needs --end.
    #[arg(long, value_name = "START", requires = "end")]
    pub start: Option<String>,
    /// The end of the range (exclusive: a date alone means its midnight). Needs --start.
    #[arg(long, value_name = "END", requires = "start")]
    pub end: Option<String>,
}

impl RangeArgs {
    pub fn is_requested(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }
}

fn instant(flag: &str, text: &str) -> Result<Timestamp, CliError> {
    session::parse_instant(text).ok_or_else(|| {
        CliError::bad_input(format!(
            "{flag} {text:?} is not a date: write ISO 8601 (2024-03-01T09:00Z, \
             2024-03-01T09:00+01:00), 'YYYY-MM-DD [HH:MM]' or 'M/D/YYYY [h:mm AM|PM]' (local time)"
        ))
    })
}

#[derive(Debug, Serialize)]
struct Listing<'a> {
    folder: String,
    folder_entry_id: String,
    start: Timestamp,
    end: Timestamp,
    count: usize,
    occurrences: &'a [AppointmentOccurrence],
}

/// The occurrences of `folder`'s appointments in the range, by start.
pub fn run(
    folder: &Folder,
    range: &RangeArgs,
    limit: Option<usize>,
    out: Output,
) -> Result<(), CliError> {
    let (Some(start), Some(end)) = (&range.start, &range.end) else {
        return Err(CliError::bad_input("--start and --end go together"));
    };
    let start = instant("--start", start)?;
    let end = instant("--end", end)?;
    if start > end {
        return Err(CliError::bad_input(format!("--start {start} is after --end {end}")));
    }
    let mut occurrences =
        session::expand_folder(folder, start, end).map_err(|err| CliError::from(err.to_mapi()))?;
    occurrences.truncate(limit.unwrap_or(usize::MAX));
    let path = folder.folder_path().map_err(|err| CliError::from(err.to_mapi()))?;
    let listing = Listing {
        folder: path.clone(),
        folder_entry_id: folder.entry_id(),
        start,
        end,
        count: occurrences.len(),
        occurrences: &occurrences,
    };
    out.emit(&listing, |w| {
        writeln!(w, "{path}: {} occurrence(s) from {start} to {end}", occurrences.len())?;
        writeln!(w, "  folder entry ID: {}", listing.folder_entry_id)?;
        for o in &occurrences {
            let kind = match (o.is_recurring, o.is_exception) {
                (true, true) => "exception",
                (true, false) => "recurring",
                _ => "single",
            };
            writeln!(
                w,
                "  {} - {}  {:<9} {}",
                o.start,
                o.end,
                kind,
                o.subject.as_deref().unwrap_or("")
            )?;
            if let Some(location) = &o.location {
                writeln!(w, "    location: {location}")?;
            }
            writeln!(w, "    {}", o.entry_id.as_deref().unwrap_or(""))?;
        }
        Ok(())
    })
}
