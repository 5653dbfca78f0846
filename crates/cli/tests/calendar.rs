//! `outpost items FOLDER --start D --end D`: occurrences with recurring series expanded,
//! on the corpus PST's recurring appointment (a weekly Tuesday series with two exceptions).

mod common;

use common::Home;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pst")).join(name)
}

#[test]
fn items_calendar_lists_the_expanded_occurrences_of_a_pst_in_json_and_text() {
    let home = Home::new();
    let path = corpus("java-libpst-dist-list.pst");
    let path = path.to_str().unwrap();
    home.json(&["store", "add", path, "--display-name", "dist"]).ok();
    let args = [
        "items",
        "calendar",
        "--store",
        "dist",
        "--start",
        "2016-08-01T00:00:00Z",
        "--end",
        "2016-10-01T00:00:00Z",
    ];
    let doc: Value = home.json(&args).ok().json();
    let occurrences = doc["occurrences"].as_array().unwrap();
    assert_eq!(doc["count"].as_u64().unwrap() as usize, occurrences.len());
    // readpst exports the series as DTSTART 2016-08-02T15:00Z, RRULE FREQ=WEEKLY;BYDAY=TU:
    // every occurrence that is not an exception is a Tuesday at that time.
    assert!(occurrences.len() >= 8, "{doc}");
    let mut starts = Vec::new();
    for o in occurrences {
        let start: jiff::Timestamp = o["start"].as_str().unwrap().parse().unwrap();
        assert!(o["entry_id"].as_str().is_some_and(|id| !id.is_empty()));
        assert_eq!(o["is_recurring"], true);
        if o["is_exception"] == false {
            let utc = start.to_zoned(jiff::tz::TimeZone::UTC);
            assert_eq!(utc.weekday(), jiff::civil::Weekday::Tuesday, "{o}");
            assert_eq!((utc.hour(), utc.minute()), (15, 0), "{o}");
            assert_eq!(o["subject"], "Test appointment");
        }
        starts.push(start);
    }
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "sorted by start");
    // The text output shows the same occurrences.
    let text = home.raw(&args).ok();
    let stdout = text.stdout;
    assert!(stdout.contains(&format!("{} occurrence(s)", occurrences.len())), "{stdout}");
    for start in &starts {
        assert!(stdout.contains(&start.to_string()), "{start} in {stdout}");
    }
    // A range before the series has nothing.
    let before =
        ["items", "calendar", "--store", "dist", "--start", "2016-01-01", "--end", "2016-02-01"];
    assert_eq!(home.json(&before).ok().json()["count"], 0);
}
