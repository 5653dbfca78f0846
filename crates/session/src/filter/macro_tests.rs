//! Date macros, ci_startswith / ci_phrasematch and LIKE, translated with a fixed "now" and zone
//! and evaluated on rows by the `mapi` evaluator.

use super::*;
use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use mapi::catalog::tags;
use mapi::restriction::{PropertyBag, evaluate};
use mapi::{FileTime, PropValue};

fn new_york() -> TimeZone {
    TimeZone::get("America/New_York").expect("the tz database has America/New_York")
}

/// A local wall-clock time in `zone` as a timestamp.
fn local(zone: &TimeZone, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
    zone.to_ambiguous_zoned(date(y, m, d).at(h, min, 0, 0)).compatible().unwrap().timestamp()
}

fn restriction_at(text: &str, zone: &TimeZone, now: Timestamp) -> mapi::restriction::Restriction {
    let filter = parse(text).unwrap();
    to_restriction_at(&filter, &mut |_| None, zone, now).unwrap()
}

fn received(at: Timestamp) -> PropertyBag {
    PropertyBag::new().with(
        tags::PidTagMessageDeliveryTime.id(),
        PropValue::Time(FileTime::from_timestamp(at).unwrap()),
    )
}

fn matches(text: &str, zone: &TimeZone, now: Timestamp, at: Timestamp) -> bool {
    evaluate(&restriction_at(text, zone, now), &received(at)).unwrap()
}

fn macro_filter(name: &str) -> String {
    format!("@SQL=%{name}(\"urn:schemas:httpmail:datereceived\")%")
}

/// The first and last minute a macro accepts, checked against the minutes either side.
fn assert_span(name: &str, zone: &TimeZone, now: Timestamp, first: Timestamp, end: Timestamp) {
    let text = macro_filter(name);
    let minute = jiff::SignedDuration::from_secs(60);
    assert!(matches(&text, zone, now, first), "{name}: the span starts at {first}");
    assert!(!matches(&text, zone, now, first - minute), "{name}: nothing before {first}");
    assert!(matches(&text, zone, now, end - minute), "{name}: the span runs up to {end}");
    assert!(!matches(&text, zone, now, end), "{name}: {end} is outside (half-open)");
}

#[test]
fn every_macro_spans_the_local_days_it_names() {
    let ny = new_york();
    // Wednesday 6 March 2024, 15:00 in New York; the week began on Sunday 3 March.
    let now = local(&ny, 2024, 3, 6, 15, 0);
    let at = |m, d| local(&ny, 2024, m, d, 0, 0);
    let cases = [
        ("today", at(3, 6), at(3, 7)),
        ("yesterday", at(3, 5), at(3, 6)),
        ("tomorrow", at(3, 7), at(3, 8)),
        ("last7days", at(2, 29), at(3, 7)),
        ("next7days", at(3, 6), at(3, 13)),
        ("lastweek", at(2, 25), at(3, 3)),
        ("thisweek", at(3, 3), at(3, 10)),
        ("nextweek", at(3, 10), at(3, 17)),
        ("lastmonth", at(2, 1), at(3, 1)),
        ("thismonth", at(3, 1), at(4, 1)),
        ("nextmonth", at(4, 1), at(5, 1)),
    ];
    assert_eq!(cases.len(), DateMacro::ALL.len());
    for (name, first, end) in cases {
        assert_span(name, &ny, now, first, end);
    }
}

#[test]
fn weeks_start_on_sunday_and_months_roll_over_years() {
    let ny = new_york();
    let at = |y, m, d| local(&ny, y, m, d, 0, 0);
    // Sunday 10 March 2024 just after midnight: this week starts today.
    let sunday = local(&ny, 2024, 3, 10, 0, 5);
    assert_span("thisweek", &ny, sunday, at(2024, 3, 10), at(2024, 3, 17));
    assert_span("lastweek", &ny, sunday, at(2024, 3, 3), at(2024, 3, 10));
    // Saturday 9 March 23:59: still the week of 3 March.
    let saturday = local(&ny, 2024, 3, 9, 23, 59);
    assert_span("thisweek", &ny, saturday, at(2024, 3, 3), at(2024, 3, 10));
    // New Year's Eve: next month is January of the next year, the next week crosses the year.
    let eve = local(&ny, 2024, 12, 31, 12, 0);
    assert_span("nextmonth", &ny, eve, at(2025, 1, 1), at(2025, 2, 1));
    assert_span("tomorrow", &ny, eve, at(2025, 1, 1), at(2025, 1, 2));
    assert_span("nextweek", &ny, eve, at(2025, 1, 5), at(2025, 1, 12));
    // 1 January: last month is December of the year before; yesterday too.
    let new_year = local(&ny, 2025, 1, 1, 9, 0);
    assert_span("lastmonth", &ny, new_year, at(2024, 12, 1), at(2025, 1, 1));
    assert_span("yesterday", &ny, new_year, at(2024, 12, 31), at(2025, 1, 1));
    // 31 March: next month is April (30 days), the month after May.
    let end_of_march = local(&ny, 2024, 3, 31, 9, 0);
    assert_span("nextmonth", &ny, end_of_march, at(2024, 4, 1), at(2024, 5, 1));
    // A leap-year February.
    let leap = local(&ny, 2024, 2, 29, 9, 0);
    assert_span("thismonth", &ny, leap, at(2024, 2, 1), at(2024, 3, 1));
}

#[test]
fn a_dst_change_makes_the_local_day_23_or_25_hours_long() {
    let ny = new_york();
    // 10 March 2024: clocks go from 02:00 EST to 03:00 EDT.
    let spring = local(&ny, 2024, 3, 10, 12, 0);
    let (start, end) = DateMacro::Today.range(spring, &ny).unwrap();
    assert_eq!(end.duration_since(start).as_hours(), 23);
    assert_eq!(start, "2024-03-10T05:00:00Z".parse::<Timestamp>().unwrap());
    assert_eq!(end, "2024-03-11T04:00:00Z".parse::<Timestamp>().unwrap());
    assert_span("today", &ny, spring, start, end);
    // 3 November 2024: 02:00 EDT back to 01:00 EST.
    let autumn = local(&ny, 2024, 11, 3, 12, 0);
    let (start, end) = DateMacro::Today.range(autumn, &ny).unwrap();
    assert_eq!(end.duration_since(start).as_hours(), 25);
    // The week around the spring change has 167 hours.
    let (start, end) = DateMacro::ThisWeek.range(spring, &ny).unwrap();
    assert_eq!(end.duration_since(start).as_hours(), 167);
}

#[test]
fn the_zone_decides_which_day_today_is() {
    // 02:00 UTC on 7 March is still 6 March (21:00) in New York.
    let now: Timestamp = "2024-03-07T02:00:00Z".parse().unwrap();
    let late_on_the_6th_utc: Timestamp = "2024-03-06T23:00:00Z".parse().unwrap();
    assert!(matches(&macro_filter("today"), &new_york(), now, late_on_the_6th_utc));
    assert!(!matches(&macro_filter("today"), &TimeZone::UTC, now, late_on_the_6th_utc));
    assert!(matches(&macro_filter("yesterday"), &TimeZone::UTC, now, late_on_the_6th_utc));
}

#[test]
fn macros_combine_with_other_conditions_and_ignore_case_of_the_name() {
    let ny = new_york();
    let now = local(&ny, 2024, 3, 6, 15, 0);
    let text = "@SQL=%TODAY(\"urn:schemas:httpmail:datereceived\")% AND \
                \"urn:schemas:httpmail:subject\" LIKE '%report%'";
    let r = restriction_at(text, &ny, now);
    let mut row = received(local(&ny, 2024, 3, 6, 9, 0));
    row.set(tags::PidTagSubject, PropValue::String("Weekly Report".into()));
    assert!(evaluate(&r, &row).unwrap());
    row.set(tags::PidTagSubject, PropValue::String("lunch".into()));
    assert!(!evaluate(&r, &row).unwrap());
    let not_today = restriction_at(&format!("@SQL=NOT {}", &macro_filter("today")[5..]), &ny, now);
    assert!(evaluate(&not_today, &received(local(&ny, 2024, 3, 5, 9, 0))).unwrap());
}

#[test]
fn malformed_macros_are_errors_with_their_position() {
    let cases: &[(&str, usize, &str)] = &[
        ("@SQL=%someday(\"urn:schemas:httpmail:datereceived\")%", 7, "unknown date macro"),
        ("@SQL=%today \"urn:schemas:httpmail:datereceived\"%", 13, "expected '('"),
        ("@SQL=%today(urn)%", 13, "double quotes"),
        ("@SQL=%today(\"urn:schemas:httpmail:datereceived\"", 48, "expected ')'"),
        ("@SQL=%today(\"urn:schemas:httpmail:datereceived\")", 49, "expected '%'"),
        ("@SQL=%today(\"urn:schemas:httpmail:datereceived", 13, "never closed"),
        ("@SQL=%", 6, "'%' must start"),
        ("[ReceivedTime] = 1 AND %today(\"x\")%", 24, "DASL only"),
    ];
    for (text, position, message) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.position, *position, "{text}: {err}");
        assert!(err.message.contains(message), "{text}: {err}");
    }
    // A macro on a text property or an unknown property fails at translation, at the name.
    let on_subject = parse("@SQL=%today(\"urn:schemas:httpmail:subject\")%").unwrap();
    let err = to_restriction(&on_subject, &mut |_| None, &TimeZone::UTC).unwrap_err();
    assert_eq!(err.position, 14, "{err}");
    assert!(err.message.contains("date property"), "{err}");
}

fn subject_row(subject: &str) -> PropertyBag {
    PropertyBag::new().with(tags::PidTagSubject.id(), PropValue::String(subject.into()))
}

fn subject_matches(text: &str, subject: &str) -> bool {
    let filter = parse(text).unwrap();
    let r = to_restriction(&filter, &mut |_| None, &TimeZone::UTC).unwrap();
    evaluate(&r, &subject_row(subject)).unwrap()
}

#[test]
fn ci_startswith_is_a_case_blind_prefix_and_ci_phrasematch_a_case_blind_word_match() {
    let starts = "@SQL=\"urn:schemas:httpmail:subject\" ci_startswith 'quart'";
    assert!(subject_matches(starts, "Quarterly review"));
    assert!(!subject_matches(starts, "The quarterly review"));
    let phrase = "@SQL=\"urn:schemas:httpmail:subject\" CI_PHRASEMATCH 'office'";
    assert!(subject_matches(phrase, "Back in the Office today"));
    assert!(subject_matches(phrase, "office"));
    assert!(!subject_matches(phrase, "officer on duty"), "whole words only");
    let two = "@SQL=\"urn:schemas:httpmail:subject\" ci_phrasematch 'budget review'";
    assert!(subject_matches(two, "Q3: Budget Review, final"));
    assert!(!subject_matches(two, "review of the budget"));
    let filter = parse(phrase).unwrap();
    assert!(filter.uses_content_indexer());
    assert!(
        !parse("@SQL=\"urn:schemas:httpmail:subject\" LIKE 'x%'").unwrap().uses_content_indexer()
    );
}

#[test]
fn ci_keywords_need_a_string_and_a_text_property() {
    let err = parse("@SQL=\"urn:schemas:httpmail:subject\" ci_startswith ''").unwrap_err();
    assert_eq!(err.position, 51);
    let err = parse("@SQL=\"urn:schemas:httpmail:subject\" ci_phrasematch 5").unwrap_err();
    assert!(err.message.contains("quoted"), "{err}");
    let filter = parse("@SQL=\"urn:schemas:httpmail:datereceived\" ci_startswith '2024'").unwrap();
    let err = to_restriction(&filter, &mut |_| None, &TimeZone::UTC).unwrap_err();
    assert!(err.message.contains("text property"), "{err}");
    // Jet has no query keywords: the word is not an operator there.
    assert!(parse("[Subject] ci_startswith 'x'").is_err());
}

#[test]
fn like_patterns_are_prefix_substring_or_whole_string_ignoring_case() {
    let like = |pattern: &str| format!("@SQL=\"urn:schemas:httpmail:subject\" LIKE '{pattern}'");
    assert!(subject_matches(&like("quarter%"), "Quarterly review"));
    assert!(!subject_matches(&like("review%"), "Quarterly review"));
    assert!(subject_matches(&like("%REVIEW%"), "Quarterly review"));
    assert!(subject_matches(&like("%review"), "Quarterly review"));
    assert!(subject_matches(&like("quarterly review"), "Quarterly Review"));
    assert!(!subject_matches(&like("quarterly"), "Quarterly review"));
    let err = parse(&like("a%b")).and_then(|f| to_restriction(&f, &mut |_| None, &TimeZone::UTC));
    assert!(err.is_err(), "an inner % is refused rather than misread");
}
