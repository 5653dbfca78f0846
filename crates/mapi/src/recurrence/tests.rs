use super::*;
use jiff::Timestamp;
use jiff::civil::date;
use proptest::prelude::*;

/// MS-OXOCAL 4.1.1.2: a meeting every Monday, Thursday and Friday 10:00-10:30 from
/// 2007-03-26, 12 occurrences, whose 2007-04-16 occurrence moved to 11:00-11:30 with a new
/// subject and location.
const SPEC_EXAMPLE: &str = "043004300B2001000000C0210000010000000000000032000000222000000C0000000000000001000000A096BC0C01000000A096BC0C8020BC0C20ADBC0C0630000009300000580200007602000001003499BC0C5299BC0CF898BC0C11002200210053696D706C6520526563757272656E6365207769746820657863657074696F6E730800070033342F34313431000000000400000000000000000000003499BC0C5299BC0CF898BC0C2100530069006D0070006C006500200052006500630075007200720065006E006300650020007700690074006800200065007800630065007000740069006F006E0073000700330034002F0034003100340031000000000000000000";

fn spec_blob() -> Vec<u8> {
    crate::hex::decode(SPEC_EXAMPLE).unwrap()
}

fn minutes(y: i16, m: i8, d: i8, h: i8, min: i8) -> u32 {
    civil_to_minutes(date(y, m, d).at(h, min, 0, 0)) as u32
}

#[test]
fn the_specification_example_parses_field_by_field_and_writes_back_identically() {
    let blob = spec_blob();
    let rec = AppointmentRecurrence::parse(&blob).unwrap();
    let p = &rec.pattern;
    assert_eq!(p.frequency, RecurFrequency::Weekly);
    assert_eq!(p.pattern, Pattern::Week { days: 0x32 });
    assert_eq!(p.period, 1);
    assert_eq!(p.end_type, EndType::AfterOccurrences);
    assert_eq!(p.occurrence_count, 12);
    assert_eq!(p.start_date, minutes(2007, 3, 26, 0, 0));
    assert_eq!(p.end_date, minutes(2007, 4, 20, 0, 0));
    assert_eq!(p.deleted_instance_dates, vec![minutes(2007, 4, 16, 0, 0)]);
    assert_eq!(rec.start_time_offset, 600);
    assert_eq!(rec.end_time_offset, 630);
    assert_eq!(rec.writer_version2, 0x3009);
    assert_eq!(rec.exceptions.len(), 1);
    let (info, extended) = &rec.exceptions[0];
    assert_eq!(info.start_date_time, minutes(2007, 4, 16, 11, 0));
    assert_eq!(info.original_start_date, minutes(2007, 4, 16, 10, 0));
    assert_eq!(info.subject.as_deref(), Some(&b"Simple Recurrence with exceptions"[..]));
    assert_eq!(info.location.as_deref(), Some(&b"34/4141"[..]));
    assert_eq!(extended.subject().as_deref(), Some("Simple Recurrence with exceptions"));
    assert_eq!(extended.location().as_deref(), Some("34/4141"));
    assert_eq!(rec.to_bytes().unwrap(), blob);
}

#[test]
fn fill_derived_recomputes_the_specification_examples_first_date_time_and_end_date() {
    let rec = AppointmentRecurrence::parse(&spec_blob()).unwrap();
    let mut pattern = rec.pattern.clone();
    pattern.first_date_time = 0;
    pattern.end_date = 0;
    pattern.fill_derived().unwrap();
    assert_eq!(pattern.first_date_time, rec.pattern.first_date_time);
    assert_eq!(pattern.end_date, rec.pattern.end_date);
}

#[test]
fn the_specification_example_expands_to_twelve_occurrences_with_the_moved_one() {
    let rec = AppointmentRecurrence::parse(&spec_blob()).unwrap();
    let zone = SeriesTimeZone::utc();
    let from: Timestamp = "2007-01-01T00:00:00Z".parse().unwrap();
    let to: Timestamp = "2008-01-01T00:00:00Z".parse().unwrap();
    let all: Vec<Occurrence> =
        rec.occurrences(&zone, from, to).unwrap().map(Result::unwrap).collect();
    let starts: Vec<String> = all.iter().map(|o| o.start.to_string()).collect();
    let days = [26, 29, 30];
    let mut expected: Vec<String> =
        days.iter().map(|d| format!("2007-03-{d:02}T10:00:00Z")).collect();
    for d in [2, 5, 6, 9, 12, 13] {
        expected.push(format!("2007-04-{d:02}T10:00:00Z"));
    }
    expected.push("2007-04-16T11:00:00Z".into());
    for d in [19, 20] {
        expected.push(format!("2007-04-{d:02}T10:00:00Z"));
    }
    assert_eq!(starts, expected);
    assert_eq!(all.iter().filter(|o| o.exception.is_some()).count(), 1);
    assert_eq!(all[9].exception, Some(0));
    assert_eq!(all[9].end.as_second() - all[9].start.as_second(), 30 * 60);
}

#[test]
fn every_truncation_of_the_example_is_an_error_with_an_offset_never_a_panic() {
    let blob = spec_blob();
    for len in 0..blob.len() {
        let err = AppointmentRecurrence::parse(&blob[..len]).unwrap_err();
        assert!(matches!(err, RecurrenceError::Truncated { .. }), "{len}: {err}");
        assert!(err.to_string().contains("offset"), "{err}");
    }
    let mut longer = blob.clone();
    longer.push(0);
    assert!(matches!(
        AppointmentRecurrence::parse(&longer),
        Err(RecurrenceError::TrailingBytes { count: 1, .. })
    ));
}

#[test]
fn undefined_override_flags_survive_a_round_trip() {
    // The first fuzzing find: OverrideFlags 0x0411 (0x0400 is undefined) lost its bit.
    let mut blob = spec_blob();
    let at = blob.windows(2).position(|w| w == [0x11, 0x00]).unwrap();
    blob[at + 1] = 0x04;
    let rec = AppointmentRecurrence::parse(&blob).unwrap();
    assert_eq!(rec.exceptions[0].0.flags().0, 0x0411);
    assert_eq!(rec.to_bytes().unwrap(), blob);
}

#[test]
fn huge_counts_are_refused_before_any_allocation() {
    let mut blob = spec_blob();
    // DeletedInstanceCount sits after 4+2+2+2+4+4+4 header bytes, the 4-byte mask and
    // EndType, OccurrenceCount, FirstDOW.
    let at = 22 + 4 + 12;
    blob[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let err = AppointmentRecurrence::parse(&blob).unwrap_err();
    match err {
        RecurrenceError::Truncated { field, offset, .. } => {
            assert_eq!(field, "DeletedInstanceDates");
            assert_eq!(offset, at + 4);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn unknown_enumerations_name_the_field_and_offset() {
    let mut blob = spec_blob();
    blob[4] = 0x99; // RecurFrequency
    let err = AppointmentRecurrence::parse(&blob).unwrap_err().to_string();
    assert!(err.contains("RecurFrequency") && err.contains("offset 4"), "{err}");
}

fn pattern(kind: Pattern, frequency: RecurFrequency, period: u32, start: u32) -> RecurrencePattern {
    RecurrencePattern {
        reader_version: PATTERN_VERSION,
        writer_version: PATTERN_VERSION,
        frequency,
        pattern: kind,
        calendar_type: 0,
        first_date_time: 0,
        period,
        sliding_flag: 0,
        end_type: EndType::Never,
        occurrence_count: NO_END_OCCURRENCE_COUNT,
        first_dow: 0,
        deleted_instance_dates: Vec::new(),
        modified_instance_dates: Vec::new(),
        start_date: start,
        end_date: NO_END_DATE,
    }
}

fn series(pattern: RecurrencePattern, start_offset: u32, duration: u32) -> AppointmentRecurrence {
    AppointmentRecurrence {
        pattern,
        reader_version2: READER_VERSION2,
        writer_version2: 0x3009,
        start_time_offset: start_offset,
        end_time_offset: start_offset + duration,
        exceptions: Vec::new(),
        reserved_block1: Vec::new(),
        reserved_block2: Vec::new(),
    }
}

#[test]
fn day_31_of_every_month_falls_on_the_last_day_of_shorter_months() {
    let p =
        pattern(Pattern::Month { day: 31 }, RecurFrequency::Monthly, 1, minutes(2023, 1, 31, 0, 0));
    let days: Vec<String> = p
        .instances()
        .unwrap()
        .take(4)
        .map(|(_, d)| minutes_to_civil(d * MINUTES_PER_DAY).unwrap().date().to_string())
        .collect();
    assert_eq!(days, ["2023-01-31", "2023-02-28", "2023-03-31", "2023-04-30"]);
}

#[test]
fn wall_clock_time_stays_fixed_across_daylight_saving_changes() {
    // US Eastern: bias 300, DST -60 from the 2nd Sunday of March 2:00 to the 1st Sunday of
    // November 2:00.
    let rule = TimeZoneRule {
        bias: 300,
        standard_bias: 0,
        daylight_bias: -60,
        standard_date: SystemTime { month: 11, day: 1, hour: 2, ..Default::default() },
        daylight_date: SystemTime { month: 3, day: 2, hour: 2, ..Default::default() },
    };
    let zone = SeriesTimeZone::from_struct(&TimeZoneStruct::from_rule(&rule)).unwrap();
    let p = pattern(Pattern::Day, RecurFrequency::Daily, 1440, minutes(2024, 3, 8, 0, 0));
    let rec = series(p, 9 * 60, 60);
    let from: Timestamp = "2024-03-08T00:00:00Z".parse().unwrap();
    let to: Timestamp = "2024-03-12T00:00:00Z".parse().unwrap();
    let starts: Vec<String> =
        rec.occurrences(&zone, from, to).unwrap().map(|o| o.unwrap().start.to_string()).collect();
    assert_eq!(
        starts,
        [
            "2024-03-08T14:00:00Z",
            "2024-03-09T14:00:00Z",
            "2024-03-10T13:00:00Z",
            "2024-03-11T13:00:00Z"
        ]
    );
}

#[test]
fn the_caching_converter_answers_exactly_as_the_zone_does_across_transitions() {
    let eastern = TimeZoneRule {
        bias: 300,
        standard_bias: 0,
        daylight_bias: -60,
        standard_date: SystemTime { month: 11, day: 1, hour: 2, ..Default::default() },
        daylight_date: SystemTime { month: 3, day: 2, hour: 2, ..Default::default() },
    };
    let definition = TimeZoneDefinition {
        key_name: Vec::new(),
        rules: vec![
            DefinitionRule { flags: 0, year: 2000, reserved: [0; 14], rule: eastern },
            DefinitionRule {
                flags: TZRULE_FLAG_EFFECTIVE_TZREG,
                year: 2024,
                reserved: [0; 14],
                rule: TimeZoneRule { bias: -60, ..Default::default() },
            },
        ],
    };
    for zone in [
        SeriesTimeZone::from_struct(&TimeZoneStruct::from_rule(&eastern)).unwrap(),
        SeriesTimeZone::from_definition(&definition).unwrap(),
    ] {
        let mut converter = zone.converter();
        let start = i64::from(minutes(2022, 1, 1, 0, 0));
        let end = i64::from(minutes(2025, 1, 1, 0, 0));
        let mut local = start;
        while local < end {
            assert_eq!(
                converter.to_timestamp(local).unwrap(),
                zone.to_timestamp(local).unwrap(),
                "{local}"
            );
            local += 15;
        }
    }
}

#[test]
fn a_series_without_end_expands_lazily_and_only_inside_the_range() {
    let p = pattern(Pattern::Day, RecurFrequency::Daily, 1440, minutes(1700, 1, 1, 0, 0));
    let rec = series(p, 0, 30);
    let zone = SeriesTimeZone::utc();
    let from: Timestamp = "2400-06-01T00:00:00Z".parse().unwrap();
    let to: Timestamp = "2400-06-08T00:00:00Z".parse().unwrap();
    let occurrences: Vec<_> = rec.occurrences(&zone, from, to).unwrap().collect();
    assert_eq!(occurrences.len(), 7);
    // An unbounded range is still lazy: taking a few stops there.
    let far: Timestamp = "9999-01-01T00:00:00Z".parse().unwrap();
    assert_eq!(rec.occurrences(&zone, from, far).unwrap().take(3).count(), 3);
}

#[test]
fn skipping_ahead_keeps_the_count_of_a_series_that_ends_after_n() {
    let mut p = pattern(
        Pattern::Week { days: 0b0010_1010 },
        RecurFrequency::Weekly,
        2,
        minutes(2024, 1, 3, 0, 0),
    );
    p.end_type = EndType::AfterOccurrences;
    p.occurrence_count = 50;
    let from_start: Vec<(u64, i64)> = p.instances().unwrap().collect();
    assert_eq!(from_start.len(), 50);
    let middle = from_start[30].1;
    let skipped: Vec<(u64, i64)> = p.instances_from(middle).unwrap().collect();
    assert_eq!(skipped, from_start[30..]);
}

#[test]
fn time_zone_definitions_round_trip_and_pick_rules_by_year() {
    let rule = |year: u16, bias: i32| DefinitionRule {
        flags: if year == 2010 { TZRULE_FLAG_EFFECTIVE_TZREG } else { 0 },
        year,
        reserved: [0; 14],
        rule: TimeZoneRule { bias, ..Default::default() },
    };
    let def = TimeZoneDefinition {
        key_name: "Test Standard Time".encode_utf16().collect(),
        rules: vec![rule(2000, 60), rule(2010, 120)],
    };
    let bytes = def.to_bytes().unwrap();
    assert_eq!(TimeZoneDefinition::parse(&bytes).unwrap(), def);
    let zone = SeriesTimeZone::from_definition(&def).unwrap();
    let local = i64::from(minutes(2005, 6, 1, 12, 0));
    assert_eq!(zone.to_timestamp(local).unwrap().to_string(), "2005-06-01T13:00:00Z");
    let local = i64::from(minutes(2015, 6, 1, 12, 0));
    assert_eq!(zone.to_timestamp(local).unwrap().to_string(), "2015-06-01T14:00:00Z");
    for len in 0..bytes.len() {
        assert!(TimeZoneDefinition::parse(&bytes[..len]).is_err());
    }
    let st = TimeZoneStruct::from_rule(&def.rules[1].rule);
    assert_eq!(TimeZoneStruct::parse(&st.to_bytes()).unwrap(), st);
}

fn arb_pattern() -> impl Strategy<Value = Pattern> {
    prop_oneof![
        Just(Pattern::Day),
        any::<u32>().prop_map(|days| Pattern::Week { days }),
        any::<u32>().prop_map(|day| Pattern::Month { day }),
        (any::<u32>(), any::<u32>()).prop_map(|(days, nth)| Pattern::MonthNth { days, nth }),
        any::<u32>().prop_map(|day| Pattern::MonthEnd { day }),
        any::<u32>().prop_map(|day| Pattern::HjMonth { day }),
        (any::<u32>(), any::<u32>()).prop_map(|(days, nth)| Pattern::HjMonthNth { days, nth }),
        any::<u32>().prop_map(|day| Pattern::HjMonthEnd { day }),
    ]
}

fn arb_recurrence_pattern() -> impl Strategy<Value = RecurrencePattern> {
    (
        (
            any::<u16>(),
            prop_oneof![
                Just(RecurFrequency::Daily),
                Just(RecurFrequency::Weekly),
                Just(RecurFrequency::Monthly),
                Just(RecurFrequency::Yearly)
            ],
            arb_pattern(),
            any::<u16>(),
            any::<[u32; 3]>(),
        ),
        (
            prop_oneof![
                Just(EndType::AfterDate),
                Just(EndType::AfterOccurrences),
                Just(EndType::Never),
                Just(EndType::NeverLegacy)
            ],
            any::<[u32; 4]>(),
            proptest::collection::vec(any::<u32>(), 0..5),
            proptest::collection::vec(any::<u32>(), 0..5),
        ),
    )
        .prop_map(|((writer, frequency, kind, calendar, [first, period, sliding]), rest)| {
            let (end_type, [count, dow, start, end], deleted, modified) = rest;
            RecurrencePattern {
                reader_version: PATTERN_VERSION,
                writer_version: writer,
                frequency,
                pattern: kind,
                calendar_type: calendar,
                first_date_time: first,
                period,
                sliding_flag: sliding,
                end_type,
                occurrence_count: count,
                first_dow: dow,
                deleted_instance_dates: deleted,
                modified_instance_dates: modified,
                start_date: start,
                end_date: end,
            }
        })
}

fn arb_exception() -> impl Strategy<Value = (ExceptionInfo, ExtendedException)> {
    let text = proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20));
    let wide = proptest::collection::vec(any::<u16>(), 0..20);
    (
        any::<[u32; 3]>(),
        (text.clone(), text),
        proptest::array::uniform7(proptest::option::of(any::<u32>())),
        any::<bool>(),
        (proptest::option::of((any::<u32>(), proptest::collection::vec(any::<u8>(), 0..8)))),
        proptest::collection::vec(any::<u8>(), 0..8),
        (wide.clone(), wide),
        proptest::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(
            |(dates, (subject, location), fields, body, highlight, ee1, (ws, wl), ee2)| {
                let info = ExceptionInfo {
                    start_date_time: dates[0],
                    end_date_time: dates[1],
                    original_start_date: dates[2],
                    override_flags: OverrideFlags::default(),
                    subject: subject.clone(),
                    meeting_type: fields[0],
                    reminder_delta: fields[1],
                    reminder_set: fields[2],
                    location: location.clone(),
                    busy_status: fields[3],
                    attachment: fields[4],
                    sub_type: fields[5],
                    appointment_color: fields[6],
                    exceptional_body: body,
                };
                let info = ExceptionInfo { override_flags: info.flags(), ..info };
                let has_text = subject.is_some() || location.is_some();
                let extended = ExtendedException {
                    change_highlight: Some(
                        highlight
                            .map(|(value, reserved)| ChangeHighlight { value, reserved })
                            .unwrap_or_default(),
                    ),
                    reserved_block_ee1: ee1,
                    dates: has_text.then_some((dates[0], dates[1], dates[2])),
                    wide_subject: subject.map(|_| ws),
                    wide_location: location.map(|_| wl),
                    reserved_block_ee2: if has_text { ee2 } else { Vec::new() },
                };
                (info, extended)
            },
        )
}

proptest! {
    #[test]
    fn any_written_blob_parses_back_to_the_same_value(
        pattern in arb_recurrence_pattern(),
        offsets in any::<[u32; 2]>(),
        exceptions in proptest::collection::vec(arb_exception(), 0..4),
        blocks in (proptest::collection::vec(any::<u8>(), 0..8), proptest::collection::vec(any::<u8>(), 0..8)),
    ) {
        let rec = AppointmentRecurrence {
            pattern,
            reader_version2: READER_VERSION2,
            writer_version2: WRITER_VERSION2_CHANGE_HIGHLIGHT,
            start_time_offset: offsets[0],
            end_time_offset: offsets[1],
            exceptions,
            reserved_block1: blocks.0,
            reserved_block2: blocks.1,
        };
        let bytes = rec.to_bytes().unwrap();
        let back = AppointmentRecurrence::parse(&bytes).unwrap();
        prop_assert_eq!(&back, &rec);
        prop_assert_eq!(back.to_bytes().unwrap(), bytes);
        let plain = rec.pattern.to_bytes().unwrap();
        prop_assert_eq!(RecurrencePattern::parse(&plain).unwrap(), rec.pattern);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_expansion_stays_in_range(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(rec) = AppointmentRecurrence::parse(&data) {
            let zone = SeriesTimeZone::utc();
            let from: Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
            let to: Timestamp = "2020-02-01T00:00:00Z".parse().unwrap();
            if let Ok(iter) = rec.occurrences(&zone, from, to) {
                for o in iter.take(1000).flatten() {
                    prop_assert!(o.start < to);
                }
            }
        }
        let _ = TimeZoneDefinition::parse(&data);
        let _ = TimeZoneStruct::parse(&data);
    }
}
