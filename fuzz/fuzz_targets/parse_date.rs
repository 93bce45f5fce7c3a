//! The date parser: never a panic; what parses prints back the same and
//! spans a non-empty range of days.

#![no_main]

use jejaring::model::Date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(d) = s.parse::<Date>() {
        assert_eq!(d.to_string(), s);
        assert!(d.first_day() <= d.last_day());
        assert_eq!(d.to_string().parse::<Date>().unwrap(), d);
    }
});
