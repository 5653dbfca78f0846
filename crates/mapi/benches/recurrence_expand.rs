//! Expanding one year of a calendar with 1,000 recurring series (issue 11: ≤ 50 ms): a mix
//! of daily, weekly (three days), monthly, month-nth and yearly series without end, in a
//! zone with daylight saving time, every occurrence converted to UTC.

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use mapi::recurrence::{
    AppointmentRecurrence, EndType, NO_END_DATE, PATTERN_VERSION, Pattern, READER_VERSION2,
    RecurFrequency, RecurrencePattern, SeriesTimeZone, SystemTime, TimeZoneRule, TimeZoneStruct,
    civil_to_minutes,
};

fn calendar() -> Vec<AppointmentRecurrence> {
    (0..1000u32)
        .map(|i| {
            let (frequency, pattern, period) = match i % 10 {
                0..=2 => (RecurFrequency::Daily, Pattern::Day, 1440 * (1 + i % 3)),
                3..=6 => (RecurFrequency::Weekly, Pattern::Week { days: 0b0010_1010 }, 1 + i % 2),
                7 => (RecurFrequency::Monthly, Pattern::Month { day: 1 + i % 28 }, 1),
                8 => (
                    RecurFrequency::Monthly,
                    Pattern::MonthNth { days: 1 << (i % 7), nth: 1 + i % 5 },
                    1,
                ),
                _ => (RecurFrequency::Yearly, Pattern::Month { day: 1 + i % 28 }, 12),
            };
            let start = jiff::civil::date(2020, 1 + (i % 12) as i8, 1).at(0, 0, 0, 0);
            let mut p = RecurrencePattern {
                reader_version: PATTERN_VERSION,
                writer_version: PATTERN_VERSION,
                frequency,
                pattern,
                calendar_type: 0,
                first_date_time: 0,
                period,
                sliding_flag: 0,
                end_type: EndType::Never,
                occurrence_count: 10,
                first_dow: 0,
                deleted_instance_dates: Vec::new(),
                modified_instance_dates: Vec::new(),
                start_date: civil_to_minutes(start) as u32,
                end_date: NO_END_DATE,
            };
            p.fill_derived().unwrap();
            let offset = 480 + (i % 20) * 30;
            AppointmentRecurrence {
                pattern: p,
                reader_version2: READER_VERSION2,
                writer_version2: 0x3009,
                start_time_offset: offset,
                end_time_offset: offset + 30,
                exceptions: Vec::new(),
                reserved_block1: Vec::new(),
                reserved_block2: Vec::new(),
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let series = calendar();
    let rule = TimeZoneRule {
        bias: 300,
        standard_bias: 0,
        daylight_bias: -60,
        standard_date: SystemTime { month: 11, day: 1, hour: 2, ..Default::default() },
        daylight_date: SystemTime { month: 3, day: 2, hour: 2, ..Default::default() },
    };
    let zone = SeriesTimeZone::from_struct(&TimeZoneStruct::from_rule(&rule)).unwrap();
    let from: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
    let to: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    let mut total = 0;
    for s in &series {
        total += s.occurrences(&zone, from, to).unwrap().count();
    }
    eprintln!("1,000 series, one year: {total} occurrences");
    c.bench_function("expand_year_1000_series", |b| {
        b.iter(|| {
            let mut occurrences = Vec::with_capacity(total);
            for s in &series {
                for o in s.occurrences(&zone, from, to).unwrap() {
                    occurrences.push(o.unwrap());
                }
            }
            occurrences.sort_by_key(|o| o.start);
            occurrences.len()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
