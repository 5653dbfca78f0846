//! Recurring appointments through the session: the corpus PSTs' recurring items against
//! readpst's `-e` .ics export (an implementation that is not ours, expanded by
//! python-dateutil), and patterns written to the embedded mailbox and read back.

mod common;

use common::Fixture;
use jiff::Timestamp;
use jiff::civil::date;
use mapi::ErrorCode;
use mapi::catalog::lids;
use mapi::recurrence::{SystemTime, TimeZoneRule};
use mapi::{OlDefaultFolders, PropValue};
use session::{
    AddStoreOptions, AppointmentItem, Folder, OlRecurrenceType, RecurrencePattern, TypedItem,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

/// The corpus PSTs that open without a password.
const OPEN_PSTS: &[&str] = &[
    "aspose-Outlook.pst",
    "go-pst-support.pst",
    "java-libpst-dist-list.pst",
    "outlook-pst-Empty.pst",
    "pst-extractor-enron.pst",
    "pstsdk-submessage.pst",
    "ruby-msg-attachAndInline.pst",
];

fn tool_missing(what: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is required in CI (.ci/run installs it)");
    }
    eprintln!("notice: {what} is missing; skipping this oracle outside CI");
    true
}

/// Every recurring VEVENT readpst exports: SUMMARY → (DTSTART, RRULE, EXDATEs).
/// DTSTART, RRULE and EXDATEs of one exported event.
type Exported = (String, String, Vec<String>);

fn readpst_events(pst: &Path) -> Option<BTreeMap<String, Exported>> {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("readpst")
        .args(["-e", "-q", "-o"])
        .arg(out.path())
        .arg(pst)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("readpst failed on {}: {s}", pst.display()),
        Err(_) => {
            tool_missing("readpst (pst-utils)");
            return None;
        }
    }
    let mut events = BTreeMap::new();
    let mut stack = vec![out.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for event in text.split("BEGIN:VEVENT").skip(1) {
                let field = |name: &str| {
                    event.lines().find_map(|l| {
                        let (key, value) = l.split_once(':')?;
                        (key.split(';').next() == Some(name)).then(|| value.trim().to_owned())
                    })
                };
                let (Some(summary), Some(start), Some(rule)) =
                    (field("SUMMARY"), field("DTSTART"), field("RRULE"))
                else {
                    continue;
                };
                let exdates = event
                    .lines()
                    .filter(|l| l.starts_with("EXDATE"))
                    .filter_map(|l| l.split_once(':').map(|(_, v)| v.trim().to_owned()))
                    .collect();
                events.insert(summary, (start, rule, exdates));
            }
        }
    }
    Some(events)
}

/// The UTC dates (YYYY-MM-DD) of an RRULE from DTSTART until `until`, by dateutil.
fn rrule_dates(start: &str, rule: &str, exdates: &[String], until: &str) -> Option<Vec<String>> {
    let script = r#"
import sys
from dateutil import rrule, parser
start, rule, until = sys.argv[1], sys.argv[2], parser.parse(sys.argv[3])
exdates = {parser.parse(d).date() for d in sys.argv[4:]}
for moment in rrule.rrulestr(rule, dtstart=parser.parse(start)):
    if moment >= until:
        break
    if moment.date() not in exdates:
        print(moment.date().isoformat())
"#;
    let output =
        Command::new("python3").args(["-c", script, start, rule, until]).args(exdates).output();
    let output = match output {
        Ok(o) => o,
        Err(_) => {
            tool_missing("python3");
            return None;
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("No module named 'dateutil'") {
            tool_missing("python-dateutil");
            return None;
        }
        panic!("dateutil failed: {stderr}");
    }
    Some(String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect())
}

fn all_folders(folder: &Folder, out: &mut Vec<Folder>) {
    out.push(folder.clone());
    for child in folder.folders().unwrap() {
        all_folders(&child, out);
    }
}

fn recurring_appointments(folder: &Folder) -> Vec<AppointmentItem> {
    let mut found = Vec::new();
    for item in folder.items().iter().unwrap() {
        if let TypedItem::Appointment(appointment) = item.unwrap().typed()
            && appointment.is_recurring().unwrap()
        {
            found.push(appointment);
        }
    }
    found
}

#[test]
fn every_recurring_corpus_appointment_expands_as_readpst_exports_it() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let mut compared = 0;
    for name in OPEN_PSTS {
        let path = corpus(name);
        let Some(events) = readpst_events(&path) else { return };
        let options = AddStoreOptions { display_name: Some(name.to_string()), password: None };
        let store = ns.add_store_with(&path, &options).unwrap();
        let mut folders = Vec::new();
        all_folders(&store.root_folder().unwrap(), &mut folders);
        let mut ours = Vec::new();
        for folder in &folders {
            ours.extend(recurring_appointments(folder));
        }
        assert_eq!(ours.len(), events.len(), "{name}: recurring items vs readpst's RRULEs");
        for appointment in ours {
            let subject = appointment.subject().unwrap().unwrap_or_default();
            let (start, rule, exdates) = &events[&subject];
            let recurrence = appointment.recurrence().unwrap().unwrap();
            let zone = appointment.series_time_zone(&recurrence).unwrap();
            let first = zone
                .to_timestamp(
                    i64::from(recurrence.pattern.start_date)
                        + i64::from(recurrence.start_time_offset),
                )
                .unwrap();
            let until = first.checked_add(jiff::SignedDuration::from_hours(24 * 730)).unwrap();
            let Some(expected) = rrule_dates(start, rule, exdates, &until.to_string()) else {
                return;
            };
            // readpst writes the pattern without the exceptions: compare the pattern's own
            // instances (deleted and modified ones included) in UTC.
            let pattern_days: Vec<String> = recurrence
                .pattern
                .instances()
                .unwrap()
                .map(|(_, day)| day * 1440 + i64::from(recurrence.start_time_offset))
                .map(|local| zone.to_timestamp(local).unwrap())
                .take_while(|moment| *moment < until)
                .map(|moment| moment.strftime("%Y-%m-%d").to_string())
                .collect();
            assert!(pattern_days.len() > 10, "{subject}: {pattern_days:?}");
            assert_eq!(pattern_days, expected, "{name}: {subject}");
            // The expansion applies the exceptions: as many occurrences as instances minus
            // the deleted ones plus the moved ones, and each exception flagged.
            let occurrences = appointment.occurrences_between(first, until).unwrap();
            let deleted = recurrence.pattern.deleted_instance_dates.len();
            let moved = recurrence.exceptions.len();
            assert_eq!(occurrences.len(), pattern_days.len() - deleted + moved, "{subject}");
            assert_eq!(occurrences.iter().filter(|o| o.is_exception).count(), moved);
            assert!(occurrences.windows(2).all(|w| w[0].start <= w[1].start));
            let pattern = appointment.get_recurrence_pattern().unwrap();
            assert_eq!(pattern.exceptions.len(), deleted.max(moved));
            compared += 1;
        }
    }
    assert!(compared >= 1, "the corpus has a recurring appointment (java-libpst-dist-list.pst)");
}

fn eastern() -> TimeZoneRule {
    TimeZoneRule {
        bias: 300,
        standard_bias: 0,
        daylight_bias: -60,
        standard_date: SystemTime { month: 11, day: 1, hour: 2, ..Default::default() },
        daylight_date: SystemTime { month: 3, day: 2, hour: 2, ..Default::default() },
    }
}

fn new_appointment(calendar: &Folder, subject: &str) -> AppointmentItem {
    let item = calendar.create_item(Some("IPM.Appointment")).unwrap();
    item.set_subject(subject).unwrap();
    match item.typed() {
        TypedItem::Appointment(a) => a,
        other => panic!("{}", other.type_name()),
    }
}

fn reopen(appointment: &AppointmentItem) -> AppointmentItem {
    let item =
        appointment.store().get_item_from_id_bytes(&appointment.entry_id_bytes().unwrap()).unwrap();
    match item.typed() {
        TypedItem::Appointment(a) => a,
        other => panic!("{}", other.type_name()),
    }
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_weekly_pattern_written_to_the_mailbox_reads_back_and_expands_in_its_zone() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let calendar = ns.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    let appointment = new_appointment(&calendar, "Standup");
    appointment.set_location("Room 1").unwrap();
    let mut pattern =
        RecurrencePattern::new(OlRecurrenceType::Weekly, date(2024, 3, 5).at(9, 30, 0, 0), 45);
    pattern.day_of_week_mask = 0b0001_0100; // Tuesday, Thursday
    pattern.no_end_date = false;
    pattern.occurrences = 6;
    pattern.exceptions.push(session::RecurrenceException {
        original_date: date(2024, 3, 12).at(9, 30, 0, 0),
        deleted: true,
        start: None,
        end: None,
        subject: None,
        location: None,
    });
    appointment.set_recurrence_pattern_in(&pattern, &eastern()).unwrap();
    appointment.save().unwrap();

    let back = reopen(&appointment);
    assert!(back.is_recurring().unwrap());
    let read = back.get_recurrence_pattern().unwrap();
    assert_eq!(read.recurrence_type, OlRecurrenceType::Weekly);
    assert_eq!(read.day_of_week_mask, 0b0001_0100);
    assert_eq!(read.occurrences, 6);
    assert_eq!(read.pattern_end_date, Some(date(2024, 3, 21)));
    assert_eq!(read.start_time, jiff::civil::time(9, 30, 0, 0));
    assert_eq!(read.duration, 45);
    assert_eq!(read.exceptions.len(), 1);
    assert!(read.exceptions[0].deleted);
    // Start moved to the first occurrence; 9:30 EST is 14:30 UTC.
    assert_eq!(back.start().unwrap(), Some(ts("2024-03-05T14:30:00Z")));
    let named = back.get_named(
        &lids::PidLidRecurrenceType.named_property().unwrap(),
        mapi::PropType::Integer32,
    );
    assert_eq!(named.unwrap(), Some(PropValue::Integer32(2)));

    let all =
        back.occurrences_between(ts("2024-01-01T00:00:00Z"), ts("2025-01-01T00:00:00Z")).unwrap();
    let starts: Vec<String> = all.iter().map(|o| o.start.to_string()).collect();
    // 5, 7, (12 deleted), 14, then DST from 10 March: 9:30 EDT is 13:30 UTC.
    assert_eq!(
        starts,
        [
            "2024-03-05T14:30:00Z",
            "2024-03-07T14:30:00Z",
            "2024-03-14T13:30:00Z",
            "2024-03-19T13:30:00Z",
            "2024-03-21T13:30:00Z"
        ]
    );
    assert!(all.iter().all(|o| o.location.as_deref() == Some("Room 1")));

    let hit = back.get_occurrence(ts("2024-03-14T13:30:00Z")).unwrap();
    assert_eq!(hit.end, ts("2024-03-14T14:15:00Z"));
    for missing in ["2024-03-12T13:30:00Z", "2024-03-14T13:31:00Z", "2024-03-26T13:30:00Z"] {
        let err = back.get_occurrence(ts(missing)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound, "{missing}");
    }

    back.clear_recurrence().unwrap();
    back.save().unwrap();
    let single = reopen(&back);
    assert!(!single.is_recurring().unwrap());
    let once =
        single.occurrences_between(ts("2024-01-01T00:00:00Z"), ts("2025-01-01T00:00:00Z")).unwrap();
    assert_eq!(once.len(), 1);
}

#[test]
fn include_recurrences_expands_a_sorted_restricted_calendar_and_stops_at_the_bound() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let calendar = ns.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    // A daily series without end, a monthly-nth (last Friday) series, and a single meeting.
    let daily = new_appointment(&calendar, "Daily");
    daily
        .set_recurrence_pattern_in(
            &RecurrencePattern::new(OlRecurrenceType::Daily, date(2020, 1, 1).at(8, 0, 0, 0), 30),
            &TimeZoneRule::default(),
        )
        .unwrap();
    daily.save().unwrap();
    let monthly = new_appointment(&calendar, "Review");
    let mut last_friday =
        RecurrencePattern::new(OlRecurrenceType::MonthNth, date(2024, 1, 1).at(15, 0, 0, 0), 60);
    last_friday.day_of_week_mask = 1 << 5;
    last_friday.instance = 5;
    monthly.set_recurrence_pattern_in(&last_friday, &TimeZoneRule::default()).unwrap();
    monthly.save().unwrap();
    let single = new_appointment(&calendar, "Single");
    single.set_start(ts("2024-02-10T12:00:00Z")).unwrap();
    single.set_end(ts("2024-02-10T13:00:00Z")).unwrap();
    single.save().unwrap();

    let mut items = calendar.items();
    items.set_include_recurrences(true);
    items.sort("[Start]", false).unwrap();
    let items =
        items.restrict("[Start] <= '2024-02-29 23:59' AND [End] >= '2024-02-01 00:00'").unwrap();
    let all = items.occurrences().unwrap();
    let count = |s: &str| all.iter().filter(|o| o.subject.as_deref() == Some(s)).count();
    assert_eq!(count("Daily"), 29);
    assert_eq!(count("Review"), 1);
    assert_eq!(count("Single"), 1);
    let review = all.iter().find(|o| o.subject.as_deref() == Some("Review")).unwrap();
    assert_eq!(review.start, ts("2024-02-23T15:00:00Z"));
    assert!(all.windows(2).all(|w| w[0].start <= w[1].start));
    assert!(all.iter().all(|o| o.start <= ts("2024-03-01T00:00:00Z")));

    // Outlook's conditions: without the sort or a bounded restriction it is refused.
    let mut unsorted = calendar.items();
    unsorted.set_include_recurrences(true);
    let unbounded = unsorted.restrict("[End] >= '2024-02-01'").unwrap();
    assert_eq!(unbounded.occurrences().unwrap_err().code(), ErrorCode::InvalidParameter);
}

#[test]
fn meeting_fields_come_from_the_appointment_properties() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let calendar = ns.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    let meeting = new_appointment(&calendar, "Planning");
    assert_eq!(meeting.meeting_status().unwrap(), 0);
    let set = |info: &mapi::catalog::PropertyInfo, value: PropValue| {
        meeting.set_named(&info.named_property().unwrap(), value).unwrap()
    };
    set(&lids::PidLidAppointmentStateFlags, PropValue::Integer32(0x3));
    set(&lids::PidLidResponseStatus, PropValue::Integer32(3));
    set(&lids::PidLidToAttendeesString, PropValue::String("Ann; Bob".into()));
    set(&lids::PidLidCcAttendeesString, PropValue::String("Cid".into()));
    meeting
        .set(mapi::catalog::tags::PidTagSentRepresentingName, PropValue::String("Olga".into()))
        .unwrap();
    meeting.save().unwrap();
    let back = reopen(&meeting);
    assert_eq!(back.meeting_status().unwrap(), 3);
    assert_eq!(back.response_status().unwrap(), 3);
    assert_eq!(back.organizer().unwrap().as_deref(), Some("Olga"));
    assert_eq!(back.required_attendees().unwrap().as_deref(), Some("Ann; Bob"));
    assert_eq!(back.optional_attendees().unwrap().as_deref(), Some("Cid"));
}
