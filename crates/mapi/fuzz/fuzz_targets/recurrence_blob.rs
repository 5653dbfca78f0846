#![no_main]
//! The recurrence BLOB (MS-OXOCAL 2.2.1.44) and time zone structures on arbitrary bytes:
//! parsing never panics, what parses writes back to the same bytes, and expanding a month
//! stays inside the month.
use mapi::recurrence::{AppointmentRecurrence, SeriesTimeZone, TimeZoneDefinition, TimeZoneStruct};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(rec) = AppointmentRecurrence::parse(data) {
        let bytes = rec.to_bytes().expect("a parsed BLOB writes");
        let again = AppointmentRecurrence::parse(&bytes).expect("a written BLOB parses");
        assert_eq!(again, rec);
        let zone = SeriesTimeZone::utc();
        let from: jiff::Timestamp = "2020-01-01T00:00:00Z".parse().unwrap();
        let to: jiff::Timestamp = "2020-02-01T00:00:00Z".parse().unwrap();
        if let Ok(occurrences) = rec.occurrences(&zone, from, to) {
            for occurrence in occurrences.take(10_000).flatten() {
                assert!(occurrence.start < to);
            }
        }
    }
    if let Ok(definition) = TimeZoneDefinition::parse(data) {
        let _ = SeriesTimeZone::from_definition(&definition);
    }
    if let Ok(structure) = TimeZoneStruct::parse(data) {
        let _ = SeriesTimeZone::from_struct(&structure);
    }
});
