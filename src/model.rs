//! The data model: entities, relations, sources; kinds; partial dates and
//! the time filters built on them.
//!
//! Everything here is plain data with checked constructors. Parsing a date
//! or a kind happens once, at the edge (the loader, the CLI, the web layer);
//! past that, values are known to be valid.

use std::fmt;
use std::num::NonZeroU16;
use std::str::FromStr;

/// What an entity is. The order is the order kinds are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Organization,
    Company,
    Country,
    Agreement,
    Event,
    Topic,
    Place,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Person,
        Kind::Organization,
        Kind::Company,
        Kind::Country,
        Kind::Agreement,
        Kind::Event,
        Kind::Topic,
        Kind::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organization => "organization",
            Kind::Company => "company",
            Kind::Country => "country",
            Kind::Agreement => "agreement",
            Kind::Event => "event",
            Kind::Topic => "topic",
            Kind::Place => "place",
        }
    }

    /// The allowed values, for error messages.
    pub fn allowed() -> String {
        Kind::ALL.map(Kind::as_str).join(", ")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a kind: names what was given and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind \"{given}\"{hint} (allowed: {allowed})", allowed = Kind::allowed())]
pub struct KindError {
    pub given: String,
    hint: String,
}

impl FromStr for Kind {
    type Err = KindError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_lowercase();
        let t = match t.as_str() {
            // Common spellings a curator types; accepted, stored canonically.
            "organisation" | "org" => "organization",
            "people" | "persons" => "person",
            other => other,
        };
        // Plurals are accepted too: `people`, `companies`, `places`.
        let singular = if let Some(stem) = t.strip_suffix("ies") {
            format!("{stem}y")
        } else {
            t.strip_suffix('s').unwrap_or(t).to_string()
        };
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == t || k.as_str() == singular)
            .ok_or_else(|| KindError {
                given: s.to_string(),
                hint: crate::text::did_you_mean_hint(t, Kind::ALL.iter().map(|k| k.as_str())),
            })
    }
}

/// The relation types of the vocabulary, with whether each is symmetric.
/// Other types are allowed (and warned about by `validate`).
pub const VOCABULARY: &[(&str, bool)] = &[
    ("holds_position", false),
    ("member_of", false),
    ("works_for", false),
    ("represents", false),
    ("ambassador_to", false),
    ("head_of", false),
    ("part_of", false),
    ("succeeded_by", false),
    ("located_in", false),
    ("signed", false),
    ("party_to", false),
    ("witnessed", false),
    ("attended", false),
    ("met_with", true),
    ("covers", false),
    ("established", false),
    ("proposed", false),
    ("owns", false),
    ("invests_in", false),
    ("director_of", false),
    ("cooperates_with", true),
    // The types below record what a text says short of a done deed, so a
    // plan or a remark is never read as an act: parties that agreed to set
    // a body up, a person who made an agreement public, a topic or agreement
    // taken up in talks, a name cited in passing, and a stated readiness.
    ("agreed_to_establish", false),
    ("announced", false),
    ("discussed", false),
    ("mentioned", false),
    ("ready_to_work_in", false),
];

/// Whether a relation type reads the same both ways (`met_with`).
pub fn is_symmetric(rel_type: &str) -> bool {
    VOCABULARY.iter().any(|(t, s)| *s && *t == rel_type)
}

/// The relation types that happen on a date rather than hold for a while:
/// a signature, a visit, a meeting, a founding, a proposal, an
/// announcement, an agreement to set something up, a talk, a mention. A
/// relation of these types with a start and no end happened on its start,
/// so a time window finds it only if the window covers that date (an open
/// end of the other types means "still holds").
pub const POINT_EVENTS: &[&str] = &[
    "signed",
    "witnessed",
    "attended",
    "met_with",
    "established",
    "proposed",
    "agreed_to_establish",
    "announced",
    "discussed",
    "mentioned",
];

/// Whether a relation type is a point event (see [`POINT_EVENTS`]).
pub fn is_point_event(rel_type: &str) -> bool {
    POINT_EVENTS.contains(&rel_type)
}

/// When something held: from `start` to `end`, either end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Option<Date>,
    pub end: Option<Date>,
}

impl Span {
    /// The span of a relation as the time filters see it: its own dates
    /// (a point event's open end closed at its start), cut to the spans of
    /// both its entities, since nobody holds a post at a ministry before
    /// the ministry exists. The result may be empty (it starts after it
    /// ends) when the relation's dates fall outside an entity's; an empty
    /// span holds at no time.
    pub fn of_relation(rel: &Relation, point_event: bool, a: &Entity, b: &Entity) -> Span {
        let own_end = if point_event {
            rel.end.or(rel.start)
        } else {
            rel.end
        };
        let later = |x: Option<Date>, y: Option<Date>| match (x, y) {
            (Some(x), Some(y)) => Some(if y.first_day() > x.first_day() { y } else { x }),
            (x, y) => x.or(y),
        };
        let earlier = |x: Option<Date>, y: Option<Date>| match (x, y) {
            (Some(x), Some(y)) => Some(if y.last_day() < x.last_day() { y } else { x }),
            (x, y) => x.or(y),
        };
        Span {
            start: later(later(rel.start, a.start), b.start),
            end: earlier(earlier(own_end, a.end), b.end),
        }
    }

    /// Whether the span holds no day at all.
    pub fn is_empty(&self) -> bool {
        matches!((self.start, self.end), (Some(s), Some(e)) if s.first_day() > e.last_day())
    }
}

pub fn in_vocabulary(rel_type: &str) -> bool {
    VOCABULARY.iter().any(|(t, _)| *t == rel_type)
}

/// A calendar date known to a year, a month or a day (`2025`, `2025-06`,
/// `2025-06-19`). Ordered by the first day it may mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Never 0 (there is no year 0): that spare value makes an
    /// `Option<Date>` 4 bytes, not 6, in every relation and entity.
    year: NonZeroU16,
    /// 0 when only the year is known.
    month: u8,
    /// 0 when the day is not known.
    day: u8,
}

/// A bad date, with what was given and the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad date \"{given}\": {why} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
pub struct DateError {
    pub given: String,
    why: &'static str,
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let ok = (1..=9999).contains(&year)
            && month <= 12
            && (day == 0 || (month != 0 && day <= days_in_month(year, month)));
        let year = NonZeroU16::new(year)?;
        ok.then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year.get()
    }
    pub fn month(self) -> Option<u8> {
        (self.month != 0).then_some(self.month)
    }
    pub fn day(self) -> Option<u8> {
        (self.day != 0).then_some(self.day)
    }

    /// A day number for the first day this date may mean. Only ordering
    /// matters: months count 32 days, which keeps the arithmetic trivial.
    pub fn first_day(self) -> u32 {
        ordinal(self.year(), self.month.max(1), self.day.max(1))
    }

    /// A day number for the last day this date may mean.
    pub fn last_day(self) -> u32 {
        let month = if self.month == 0 { 12 } else { self.month };
        let day = if self.day == 0 {
            days_in_month(self.year(), month)
        } else {
            self.day
        };
        ordinal(self.year(), month, day)
    }
}

fn ordinal(year: u16, month: u8, day: u8) -> u32 {
    u32::from(year) * 512 + u32::from(month) * 32 + u32::from(day)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |why| DateError {
            given: s.to_string(),
            why,
        };
        let b = s.as_bytes();
        // Digits at b[range], all of them, as a number.
        let digits = |from: usize, len: usize| -> Option<u16> {
            let part = b.get(from..from + len)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
        };
        let shape_ok = matches!(b.len(), 4 | 7 | 10)
            && (b.len() < 7 || b[4] == b'-')
            && (b.len() < 10 || b[7] == b'-');
        if !shape_ok {
            return Err(if b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) {
                err("not of the form YYYY-MM-DD (months and days have two digits)")
            } else {
                err("the year must have four digits")
            });
        }
        let year = digits(0, 4).ok_or_else(|| err("the year must have four digits"))?;
        let month = if b.len() >= 7 {
            digits(5, 2).ok_or_else(|| err("the month must have two digits"))? as u8
        } else {
            0
        };
        let day = if b.len() == 10 {
            digits(8, 2).ok_or_else(|| err("the day must have two digits"))? as u8
        } else {
            0
        };
        let Some(year_nz) = NonZeroU16::new(year) else {
            return Err(err("there is no year 0"));
        };
        if b.len() >= 7 && !(1..=12).contains(&month) {
            return Err(err("the month must be 01 to 12"));
        }
        if b.len() == 10 && (day == 0 || day > days_in_month(year, month)) {
            return Err(err("that month has no such day"));
        }
        Ok(Date {
            year: year_nz,
            month,
            day,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year())?;
        if self.month != 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day != 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Which moments a query looks at. Relations and entities are kept when
/// their `start`..`end` span overlaps the asked time; an open end holds,
/// and partial dates count as their whole year or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFilter {
    #[default]
    Always,
    At(Date),
    Window {
        from: Option<Date>,
        until: Option<Date>,
    },
}

impl TimeFilter {
    /// Builds the filter from the `--at` / `--from` / `--until` options,
    /// which cannot be combined.
    pub fn from_options(
        at: Option<Date>,
        from: Option<Date>,
        until: Option<Date>,
    ) -> Result<TimeFilter, crate::error::QueryError> {
        match (at, from, until) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(crate::error::QueryError::bad(
                "at",
                "give either a date (at) or a window (from/until), not both",
            )),
            (Some(d), None, None) => Ok(TimeFilter::At(d)),
            (None, None, None) => Ok(TimeFilter::Always),
            (None, from, until) => {
                if let (Some(f), Some(u)) = (from, until)
                    && u.last_day() < f.first_day()
                {
                    return Err(crate::error::QueryError::bad(
                        "until",
                        format!("the window ends ({u}) before it starts ({f})"),
                    ));
                }
                Ok(TimeFilter::Window { from, until })
            }
        }
    }

    /// Whether something that held from `start` to `end` held at this time.
    pub fn holds(&self, start: Option<Date>, end: Option<Date>) -> bool {
        let (lo, hi) = match *self {
            TimeFilter::Always => return true,
            TimeFilter::At(d) => (d.first_day(), d.last_day()),
            TimeFilter::Window { from, until } => (
                from.map_or(0, Date::first_day),
                until.map_or(u32::MAX, Date::last_day),
            ),
        };
        start.is_none_or(|s| s.first_day() <= hi) && end.is_none_or(|e| e.last_day() >= lo)
    }

    /// Whether a span held at this time; an empty span never did.
    pub fn holds_span(&self, span: Span) -> bool {
        !span.is_empty() && self.holds(span.start, span.end)
    }

    pub fn is_always(&self) -> bool {
        matches!(self, TimeFilter::Always)
    }
}

impl fmt::Display for TimeFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeFilter::Always => f.write_str("any time"),
            TimeFilter::At(d) => write!(f, "at {d}"),
            TimeFilter::Window { from, until } => {
                f.write_str("between ")?;
                match from {
                    Some(d) => write!(f, "{d}")?,
                    None => f.write_str("the beginning")?,
                }
                f.write_str(" and ")?;
                match until {
                    Some(d) => write!(f, "{d}"),
                    None => f.write_str("now"),
                }
            }
        }
    }
}

/// A small symbol for a string that repeats across many rows (relation
/// types, roles, countries, column names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

/// Interns repeated strings: each distinct string is stored once.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    strings: Vec<Box<str>>,
    ids: rustc_hash::FxHashMap<Box<str>, Sym>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.ids.get(s) {
            return sym;
        }
        let sym = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.ids.insert(s.into(), sym);
        sym
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    pub fn resolve(&self, sym: Sym) -> &str {
        &self.strings[sym.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

/// Where a row came from: an index into the graph's file list and a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: u16,
    pub line: u32,
}

/// An extra column's value, kept as an attribute and exported.
pub type Attrs = Box<[(Sym, Box<str>)]>;

#[derive(Debug, Clone)]
pub struct Entity {
    /// Id, name, aliases and description, in one allocation.
    pub texts: EntityTexts,
    pub kind: Kind,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: Option<Sym>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub attrs: Attrs,
    pub origin: Origin,
}

impl Entity {
    pub fn id(&self) -> &str {
        self.texts.id()
    }
    pub fn name(&self) -> &str {
        self.texts.name()
    }
    /// Other names, in file order.
    pub fn aliases(&self) -> Aliases<'_> {
        self.texts.aliases()
    }
    pub fn description(&self) -> &str {
        self.texts.description()
    }
}

/// An entity's texts laid end to end in one string: id, name,
/// description, then the aliases joined by `|`. A million entities hold a
/// million allocations, not five or six million (each with its
/// allocator's header and rounding), and a snapshot reads each entity's
/// texts as one run of bytes.
///
/// An alias is never empty and never holds `|`: the loader splits the
/// aliases column on `|` and drops empty ones, and [`EntityTexts::new`]
/// does the same with what it is given. One entity's texts are bounded by
/// the loader's record limit (16 MiB), far below the `u32` ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityTexts {
    text: Box<str>,
    /// Where the id, the name and the description end in `text`.
    ends: [u32; 3],
}

impl EntityTexts {
    /// Lays out one entity's texts. Aliases that are empty are left out,
    /// and one holding `|` is cut there, as the loader would have read it.
    /// Texts of 4 GiB or more together (never from a loaded row) are cut
    /// to the first 4 GiB of whole texts.
    pub fn new<'a>(
        id: &str,
        name: &str,
        aliases: impl IntoIterator<Item = &'a str>,
        description: &str,
    ) -> EntityTexts {
        let mut text = String::with_capacity(id.len() + name.len() + description.len());
        let mut ends = [0u32; 3];
        for (i, t) in [id, name, description].into_iter().enumerate() {
            if text.len() + t.len() <= u32::MAX as usize {
                text.push_str(t);
            }
            ends[i] = text.len() as u32;
        }
        for a in aliases.into_iter().flat_map(|a| a.split('|')) {
            if a.is_empty() || text.len() + a.len() + 1 > u32::MAX as usize {
                continue;
            }
            if text.len() > ends[2] as usize {
                text.push('|');
            }
            text.push_str(a);
        }
        EntityTexts {
            text: text.into_boxed_str(),
            ends,
        }
    }

    /// The one string and the three ends, as a snapshot stores them.
    pub fn raw(&self) -> (&str, [u32; 3]) {
        (&self.text, self.ends)
    }

    /// From [`EntityTexts::raw`]'s parts, if they agree: ends rising
    /// within the text on character boundaries, and no empty alias.
    pub fn from_raw(text: Box<str>, ends: [u32; 3]) -> Option<EntityTexts> {
        let [a, b, c] = ends.map(|e| e as usize);
        let aliases = text.get(c..)?;
        let ok = a <= b
            && b <= c
            && text.is_char_boundary(a)
            && text.is_char_boundary(b)
            && text.len() <= u32::MAX as usize
            && (aliases.is_empty() || aliases.split('|').all(|x| !x.is_empty()));
        ok.then_some(EntityTexts { text, ends })
    }

    fn part(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }
    pub fn id(&self) -> &str {
        self.part(0, self.ends[0] as usize)
    }
    pub fn name(&self) -> &str {
        self.part(self.ends[0] as usize, self.ends[1] as usize)
    }
    pub fn description(&self) -> &str {
        self.part(self.ends[1] as usize, self.ends[2] as usize)
    }
    pub fn aliases(&self) -> Aliases<'_> {
        Aliases(self.part(self.ends[2] as usize, self.text.len()))
    }
    /// The bytes held, for `Graph::memory`.
    pub fn len(&self) -> usize {
        self.text.len()
    }
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// An entity's aliases: a view of its texts, walked in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aliases<'a>(&'a str);

impl<'a> Aliases<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a str> + Clone + 'a {
        self.0.split('|').filter(|a| !a.is_empty())
    }
    pub fn len(self) -> usize {
        if self.0.is_empty() {
            0
        } else {
            self.0.bytes().filter(|&b| b == b'|').count() + 1
        }
    }
    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }
    /// Alias `i`, counting from 0.
    pub fn get(self, i: usize) -> Option<&'a str> {
        self.iter().nth(i)
    }
    pub fn contains(self, alias: &str) -> bool {
        self.iter().any(|a| a == alias)
    }
    /// The aliases joined by `sep`; with `|` the text as it is held.
    pub fn join(self, sep: &str) -> String {
        if sep == "|" {
            return self.0.to_string();
        }
        self.iter().collect::<Vec<_>>().join(sep)
    }
    pub fn to_vec(self) -> Vec<&'a str> {
        self.iter().collect()
    }
}

impl<'a> IntoIterator for Aliases<'a> {
    type Item = &'a str;
    type IntoIter = std::iter::Filter<std::str::Split<'a, char>, fn(&&'a str) -> bool>;
    fn into_iter(self) -> Self::IntoIter {
        fn keep(a: &&str) -> bool {
            !a.is_empty()
        }
        self.0.split('|').filter(keep as fn(&&'a str) -> bool)
    }
}

#[derive(Debug, Clone)]
pub struct Relation {
    pub from: u32,
    pub to: u32,
    pub rel_type: Sym,
    pub role: Option<Sym>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub source: u32,
    /// Evidence and extra columns are kept by the graph
    /// ([`crate::graph::Graph::evidence`], [`crate::graph::Graph::relation_attrs`]):
    /// millions of relations, each read rarely.
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: Box<str>,
    pub title: Box<str>,
    pub publisher: Box<str>,
    pub published: Option<Date>,
    pub url: Box<str>,
    pub language: Box<str>,
    pub file: Box<str>,
    pub attrs: Attrs,
    pub origin: Origin,
}

impl Source {
    /// The URL when it is safe to render as a link (http or https only).
    pub fn link(&self) -> Option<&str> {
        let lower = self.url.to_ascii_lowercase();
        (lower.starts_with("http://") || lower.starts_with("https://")).then_some(&*self.url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn dates_parse_partial_and_print_back() {
        for s in ["2025", "2025-06", "2025-06-19", "2024-02-29", "0001-01-01"] {
            assert_eq!(d(s).to_string(), s);
        }
        for s in [
            "",
            "25",
            "2025-6",
            "2025-13",
            "2023-02-29",
            "2025-06-31",
            "2025-06-19-1",
            "abcd",
            "2025-00",
            "0000",
            "2025--01",
            "+025",
        ] {
            assert!(s.parse::<Date>().is_err(), "{s:?} parsed");
        }
    }

    #[test]
    fn rows_stay_narrow() {
        // Millions of relations: every byte of one is megabytes at scale.
        assert_eq!(std::mem::size_of::<Option<Date>>(), 4);
        assert_eq!(std::mem::size_of::<Relation>(), 40);
        // Millions of entities too: the texts are one pointer and three ends.
        assert_eq!(std::mem::size_of::<Entity>(), 80);
    }

    #[test]
    fn an_entitys_texts_come_back_as_given() {
        let t = EntityTexts::new(
            "jokowi",
            "Joko Widodo",
            ["Jokowi", "", "Джоко Видодо", "a|b"],
            "Seventh president",
        );
        assert_eq!(t.id(), "jokowi");
        assert_eq!(t.name(), "Joko Widodo");
        assert_eq!(t.description(), "Seventh president");
        // Empty aliases are left out; one holding `|` is two, as the
        // loader would have read the column.
        assert_eq!(t.aliases().to_vec(), ["Jokowi", "Джоко Видодо", "a", "b"]);
        assert_eq!(t.aliases().len(), 4);
        assert_eq!(t.aliases().get(1), Some("Джоко Видодо"));
        assert_eq!(t.aliases().get(4), None);
        assert!(t.aliases().contains("a") && !t.aliases().contains("a|b"));
        assert_eq!(t.aliases().join(" · "), "Jokowi · Джоко Видодо · a · b");
        assert_eq!(t.aliases().join("|"), "Jokowi|Джоко Видодо|a|b");
        let bare = EntityTexts::new("x", "", [], "");
        assert_eq!((bare.id(), bare.name(), bare.description()), ("x", "", ""));
        assert!(bare.aliases().is_empty() && bare.aliases().iter().next().is_none());
        assert_eq!(bare.aliases().len(), 0);
        // A snapshot's parts give back the same texts.
        let (text, ends) = t.raw();
        assert_eq!(EntityTexts::from_raw(text.into(), ends), Some(t.clone()));
    }

    #[test]
    fn texts_whose_ends_disagree_are_refused() {
        let ok = |text: &str, ends| EntityTexts::from_raw(text.into(), ends).is_some();
        assert!(ok("idNamedescA|B", [2, 6, 10]));
        assert!(!ok("idName", [2, 6, 7]), "an end past the text");
        assert!(!ok("idName", [4, 2, 6]), "ends falling");
        assert!(!ok("iдName", [2, 6, 6]), "an end inside a character");
        assert!(!ok("idNameA||B", [2, 6, 6]), "an empty alias");
        assert!(!ok("idName|A", [2, 6, 6]), "an alias list starting with |");
        assert!(!ok("idNameA|", [2, 6, 6]), "an alias list ending with |");
        assert!(
            !ok("id", [u32::MAX, u32::MAX, u32::MAX]),
            "ends at the u32 limit"
        );
    }

    #[test]
    fn partial_dates_cover_their_span() {
        let at = TimeFilter::At(d("2025-06-19"));
        assert!(at.holds(Some(d("2025")), None));
        assert!(at.holds(Some(d("2025-06")), Some(d("2025-06"))));
        assert!(!at.holds(Some(d("2025-07")), None));
        assert!(!at.holds(None, Some(d("2025-05"))));
        assert!(at.holds(None, None));
        let month = TimeFilter::At(d("2025-02"));
        assert!(month.holds(Some(d("2025-02-28")), None));
        assert!(!month.holds(Some(d("2025-03-01")), None));
        let win = TimeFilter::Window {
            from: Some(d("2024")),
            until: None,
        };
        assert!(win.holds(Some(d("2030")), None));
        assert!(!win.holds(None, Some(d("2023-12-31"))));
    }

    #[test]
    fn kinds_parse_with_suggestions() {
        assert_eq!("Person".parse::<Kind>().unwrap(), Kind::Person);
        assert_eq!("organisation".parse::<Kind>().unwrap(), Kind::Organization);
        assert_eq!("countries".parse::<Kind>().unwrap(), Kind::Country);
        let e = "persn".parse::<Kind>().unwrap_err().to_string();
        assert!(e.contains("did you mean \"person\""), "{e}");
        assert!(e.contains("allowed: person, organization"), "{e}");
    }
}
