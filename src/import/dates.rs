//! Dates as people write them in spreadsheets, turned into the ISO form
//! the loader reads (`2005`, `2005-04`, `2005-04-03`) when there is one
//! reading only. `03/04/2005` is the 3rd of April in most of the world and
//! the 4th of March in the United States: such a date is refused, with
//! the two readings, rather than guessed.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::model::Date;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The ISO form of `s`, or why there is none. An empty cell is `Ok("")`.
pub fn normalise(s: &str) -> Result<String, String> {
    normalised(s).map(|(iso, _)| iso.into_owned())
}

/// A trimmed cell that needs no reading: empty, or ISO already (as most
/// cells are), borrowed as it is.
fn at_once(s: &str) -> Option<(Cow<'_, str>, Option<Date>)> {
    if s.is_empty() {
        return Some((Cow::Borrowed(""), None));
    }
    if iso_shaped(s)
        && let Ok(d) = s.parse::<Date>()
    {
        return Some((Cow::Borrowed(s), Some(d)));
    }
    None
}

/// The ISO form of `s` and the date it reads as (`None` for an empty
/// cell), borrowing `s` when it is ISO already, as most cells are: a
/// big import reads millions of them.
pub(crate) fn normalised(s: &str) -> Result<(Cow<'_, str>, Option<Date>), String> {
    let s = s.trim();
    if let Some(done) = at_once(s) {
        return Ok(done);
    }
    let iso = slow(s)?;
    let date = iso.parse::<Date>().map_err(|e| e.to_string())?;
    Ok((Cow::Owned(iso), Some(date)))
}

/// Whether `s` looks like `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: only such a
/// cell is tried as ISO first (a failed parse builds its error message,
/// which would cost more than the reading for `13/04/2005`).
fn iso_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    matches!(b.len(), 4 | 7 | 10)
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// [`normalised`] for many cells: remembers the dates that are not ISO
/// already (`3 April 2005`), as a table writes the same ones again and
/// again and reading one such is many times the work of an ISO one.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    seen: FxHashMap<Box<str>, Remembered>,
}

/// A remembered cell's ISO form and date, or why it has none.
type Remembered = Result<(Box<str>, Option<Date>), String>;

/// Cells a [`Memo`] remembers at most: its memory stays bounded.
const MEMO_CELLS: usize = 1 << 16;

impl Memo {
    /// As [`normalised`], the same answers.
    pub(crate) fn normalised<'a>(
        &mut self,
        s: &'a str,
    ) -> Result<(Cow<'a, str>, Option<Date>), String> {
        let s = s.trim();
        if let Some(done) = at_once(s) {
            return Ok(done);
        }
        if let Some(known) = self.seen.get(s) {
            return known
                .as_ref()
                .map(|(iso, d)| (Cow::Owned(iso.to_string()), *d))
                .map_err(Clone::clone);
        }
        let answer = normalised(s);
        if self.seen.len() < MEMO_CELLS {
            let kept = match &answer {
                Ok((iso, d)) => Ok((Box::from(&**iso), *d)),
                Err(e) => Err(e.clone()),
            };
            self.seen.insert(s.into(), kept);
        }
        answer
    }
}

fn slow(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Ok(String::new());
    }
    // Timestamps (`2005-04-03T10:00:00Z`, `2005-04-03 10:00`) keep their
    // day: relations are dated to the day at most.
    let day_part = s.split(['T', ' ']).next().unwrap_or(s);
    if let Some(iso) = iso_like(day_part) {
        return check(iso, s);
    }
    if let Some(iso) = numeric(s)? {
        return check(iso, s);
    }
    if let Some(iso) = with_month_name(s) {
        return check(iso, s);
    }
    Err(format!(
        "date \"{s}\" is not one jejaring can read: write it as YYYY, YYYY-MM or YYYY-MM-DD"
    ))
}

fn check(iso: String, given: &str) -> Result<String, String> {
    match iso.parse::<crate::model::Date>() {
        Ok(_) => Ok(iso),
        Err(e) => Err(e.to_string().replace(&e.given, given)),
    }
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `2005`, `2005-4`, `2005-04-03`, `2005/4/3`, `2005.04.03`.
fn iso_like(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts[0].len() != 4 {
        return None;
    }
    let y = num(parts[0])?;
    match parts[1..] {
        [] => Some(format!("{y:04}")),
        [m] => Some(format!("{y:04}-{:02}", num(m)?)),
        [m, d] => Some(format!("{y:04}-{:02}-{:02}", num(m)?, num(d)?)),
        _ => None,
    }
}

/// `3/4/2005`, `13.04.2005`, `04-2005`: day and month first, year last.
/// Only a day above 12 tells the day from the month.
fn numeric(s: &str) -> Result<Option<String>, String> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let Some(year) = parts.last().filter(|y| y.len() == 4).and_then(|y| num(y)) else {
        return Ok(None);
    };
    match parts[..parts.len() - 1] {
        [m] => Ok(num(m).map(|m| format!("{year:04}-{m:02}"))),
        [a, b] => {
            let (Some(a), Some(b)) = (num(a), num(b)) else {
                return Ok(None);
            };
            match (a > 12, b > 12) {
                (true, false) => Ok(Some(format!("{year:04}-{b:02}-{a:02}"))),
                (false, true) => Ok(Some(format!("{year:04}-{a:02}-{b:02}"))),
                (false, false) if a == b => Ok(Some(format!("{year:04}-{a:02}-{a:02}"))),
                (false, false) => Err(format!(
                    "date \"{s}\" is ambiguous: {year:04}-{b:02}-{a:02} (day first) or \
                     {year:04}-{a:02}-{b:02} (month first)? Write it as YYYY-MM-DD"
                )),
                (true, true) => Err(format!("date \"{s}\": neither {a} nor {b} is a month")),
            }
        }
        _ => Ok(None),
    }
}

/// `3 April 2005`, `April 3, 2005`, `Apr 2005`, `3-Apr-2005`.
fn with_month_name(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '/' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let month_of = |w: &str| {
        (w.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(w) || *m == w))
            .flatten()
            .map(|i| i as u32 + 1)
    };
    let (mut year, mut month, mut day) = (None, None, None);
    for w in words {
        // Ordinals: "3rd" is the day 3.
        let w = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| w.strip_suffix(s))
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or(w);
        if let Some(m) = month_of(w) {
            month.replace(m).map_or(Some(()), |_| None)?;
        } else if w.len() == 4 {
            year.replace(num(w)?).map_or(Some(()), |_| None)?;
        } else if w.len() <= 2 {
            day.replace(num(w)?).map_or(Some(()), |_| None)?;
        } else {
            return None;
        }
    }
    match (year?, month?, day) {
        (y, m, Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
        (y, m, None) => Some(format!("{y:04}-{m:02}")),
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn unambiguous_dates_become_iso() {
        for (given, iso) in [
            ("2005", "2005"),
            ("2005-4", "2005-04"),
            ("2005/04/03", "2005-04-03"),
            ("2005-04-03T10:00:00Z", "2005-04-03"),
            ("13/04/2005", "2005-04-13"),
            ("04/13/2005", "2005-04-13"),
            ("04.2005", "2005-04"),
            ("3 April 2005", "2005-04-03"),
            ("April 3, 2005", "2005-04-03"),
            ("3rd Apr 2005", "2005-04-03"),
            ("Sep 2019", "2019-09"),
            ("", ""),
        ] {
            assert_eq!(normalise(given).as_deref(), Ok(iso), "{given}");
        }
    }

    #[test]
    fn the_memo_answers_as_normalised_does_the_first_time_and_after() {
        let mut memo = super::Memo::default();
        let cells = [
            "",
            " 2005 ",
            "3 April 2005",
            "13/04/2005",
            "03/04/2005",
            "yesterday",
            "2005-13",
            "Sep 2019",
            "2005-04-03T10:00:00Z",
        ];
        for round in 0..2 {
            for c in cells {
                assert_eq!(
                    memo.normalised(c),
                    super::normalised(c),
                    "{c} (round {round})"
                );
            }
        }
    }

    #[test]
    fn ambiguous_and_impossible_dates_are_refused_with_a_reason() {
        let e = normalise("03/04/2005").unwrap_err();
        assert!(
            e.contains("ambiguous") && e.contains("2005-04-03") && e.contains("2005-03-04"),
            "{e}"
        );
        assert!(normalise("31/02/2005").unwrap_err().contains("no such day"));
        assert!(normalise("yesterday").unwrap_err().contains("YYYY-MM-DD"));
        assert!(normalise("2005-13").unwrap_err().contains("month"));
    }
}
