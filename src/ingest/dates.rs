//! Dates as news text writes them, in Indonesian and English:
//! `Selasa (15/4/2025)`, `(11/10/2023)`, `11 Oktober 2023`, `Jumat (20/6)`
//! and `15 April` (the article's year), `Januari 2025`, `April 15, 2025`.

use crate::model::Date;

const MONTHS: &[(&str, u8)] = &[
    ("januari", 1),
    ("january", 1),
    ("jan", 1),
    ("februari", 2),
    ("february", 2),
    ("pebruari", 2),
    ("feb", 2),
    ("maret", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("agustus", 8),
    ("august", 8),
    ("agu", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nopember", 11),
    ("nov", 11),
    ("desember", 12),
    ("december", 12),
    ("des", 12),
    ("dec", 12),
];

fn month(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == w).map(|&(_, n)| n)
}

fn year(word: &str) -> Option<u16> {
    let y: u16 = word.parse().ok()?;
    (word.len() == 4 && (1800..=2200).contains(&y)).then_some(y)
}

fn day(word: &str) -> Option<u8> {
    let d: u8 = word.parse().ok()?;
    (word.len() <= 2 && (1..=31).contains(&d)).then_some(d)
}

/// The first date written in `text`, read with `default_year` where the
/// text gives none (`Jumat (20/6)`). A day that does not exist in its
/// month (`31/2/2025`) is not a date. A month and year alone give a date
/// known to the month.
pub fn find_date(text: &str, default_year: Option<u16>) -> Option<Date> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | ';' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        // 15/4/2025, 20/6, 15-4-2025
        let parts: Vec<&str> = w.split(['/', '-']).collect();
        if (parts.len() == 2 || parts.len() == 3) && parts.iter().all(|p| !p.is_empty()) {
            let (Some(d), Some(m)) = (day(parts[0]), parts[1].parse::<u8>().ok()) else {
                continue;
            };
            let y = if parts.len() == 3 {
                match year(parts[2]) {
                    Some(y) => Some(y),
                    None => continue,
                }
            } else {
                default_year
            };
            if let Some(date) = y.and_then(|y| Date::new(y, m, d)) {
                return Some(date);
            }
            continue;
        }
        // 11 Oktober 2023, 15 April (the article's year)
        if let (Some(d), Some(m)) = (day(w), words.get(i + 1).and_then(|n| month(n))) {
            let y = words.get(i + 2).and_then(|n| year(n)).or(default_year);
            if let Some(date) = y.and_then(|y| Date::new(y, m, d)) {
                return Some(date);
            }
        }
        if let Some(m) = month(w) {
            // The short forms of months are words too (`des`, `mar`,
            // `may`): only a capitalised one followed by a number counts.
            if !w.starts_with(char::is_uppercase) {
                continue;
            }
            let next = words.get(i + 1).copied();
            // April 15, 2025
            if let Some(d) = next.and_then(day) {
                let y = words.get(i + 2).and_then(|n| year(n)).or(default_year);
                if let Some(date) = y.and_then(|y| Date::new(y, m, d)) {
                    return Some(date);
                }
            }
            // Januari 2025
            if let Some(y) = next.and_then(year) {
                return format!("{y:04}-{m:02}").parse().ok();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        find_date(s, Some(2025)).map(|d| d.to_string())
    }

    #[test]
    fn news_dates_are_read() {
        assert_eq!(
            d("di Jakarta, Selasa (15/4/2025)."),
            Some("2025-04-15".into())
        );
        assert_eq!(d("pada Jumat (20/6) lalu"), Some("2025-06-20".into()));
        assert_eq!(
            d("pada 11 Oktober 2023 di Tokyo"),
            Some("2023-10-11".into())
        );
        assert_eq!(d("Selasa (15 April)"), Some("2025-04-15".into()));
        assert_eq!(d("pada Januari 2025"), Some("2025-01".into()));
        assert_eq!(d("on April 15, 2024"), Some("2024-04-15".into()));
        assert_eq!(d("tanggal 31/2/2025 tidak ada"), None);
        assert_eq!(d("sebanyak 92 persen"), None);
        assert_eq!(find_date("Jumat (20/6)", None), None);
    }
}
