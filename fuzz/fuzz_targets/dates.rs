//! Dates in news text: never a panic; what is found is a real date of
//! the given year range that prints and parses back the same.

#![no_main]

use jejaring::ingest::dates::find_date;
use jejaring::model::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    for year in [None, Some(2025)] {
        if let Some(d) = find_date(s, year) {
            assert!(d.first_day() <= d.last_day());
            assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
        }
    }
});
