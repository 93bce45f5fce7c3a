//! The generator: entities kind by kind (hubs first), relations by the
//! rule table, sources, each written as CSV rows in the dataset's columns.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::GenerateConfig;
use super::names::{Script, Word, script_aliases, words};
use super::rng::Rng;
use super::rules::*;
use crate::model::Kind;
use Kind::{Agreement, Company, Country, Event, Organization, Person, Place, Topic};

/// One kind's block of entities: they are numbered `first..first + count`,
/// rank 0 (the biggest hub) first.
pub(super) struct KindBlock {
    pub(super) first: usize,
    pub(super) count: usize,
    /// How strongly relation ends favour the top ranks.
    pub(super) skew: f64,
}

pub(super) struct Generator {
    pub(super) cfg: GenerateConfig,
    pub(super) rng: Rng,
    pub(super) kinds: Vec<KindBlock>,
    pub(super) n_sources: usize,
    /// Per entity: its id and display name (Latin).
    pub(super) ids: Vec<String>,
    pub(super) names: Vec<String>,
    /// Countries' ISO-like codes.
    pub(super) codes: Vec<String>,
    /// Source ids, as written by `write_sources`.
    pub(super) source_ids: Vec<String>,
}

/// Shares of each kind, in `Kind::ALL` order (countries are capped).
pub(super) const SHARES: [f64; 8] = [0.52, 0.10, 0.24, 0.005, 0.06, 0.04, 0.01, 0.03];
pub(super) const MAX_COUNTRIES: usize = 250;

impl Generator {
    pub(super) fn new(cfg: &GenerateConfig) -> Generator {
        let n = cfg.entities;
        let share = |min: usize| -> Vec<usize> {
            let mut c: Vec<usize> = SHARES
                .iter()
                .map(|s| ((n as f64 * s) as usize).max(min))
                .collect();
            c[Country as usize] = c[Country as usize].clamp(min, MAX_COUNTRIES);
            c
        };
        // Two of each kind when there is room, so that relations between
        // entities of one kind never need to be self-loops; else one. People
        // need that many too: the biggest other kinds give way until they
        // have it (with 16 entities, rounding up the small kinds alone left
        // one person, and a person meeting a person met themselves).
        let min = if n >= 2 * Kind::ALL.len() { 2 } else { 1 };
        let mut counts = share(min);
        while counts.iter().skip(1).sum::<usize>() + min > n {
            let biggest = (1..counts.len()).max_by_key(|&i| counts[i]).unwrap_or(1);
            if counts[biggest] <= min {
                break;
            }
            counts[biggest] -= 1;
        }
        // People take up the rounding, so the total is exact.
        let others: usize = counts.iter().skip(1).sum();
        counts[Person as usize] = n - others;
        let skews = [1.6, 2.6, 2.4, 3.0, 1.5, 1.8, 2.5, 2.2];
        let mut first = 0;
        let kinds = counts
            .iter()
            .zip(skews)
            .map(|(&count, skew)| {
                let b = KindBlock { first, count, skew };
                first += count;
                b
            })
            .collect();
        Generator {
            cfg: *cfg,
            rng: Rng::new(cfg.seed),
            kinds,
            n_sources: (cfg.relations / 2000).clamp(3, 5000),
            ids: Vec::with_capacity(n),
            names: Vec::with_capacity(n),
            codes: Vec::new(),
            source_ids: Vec::new(),
        }
    }

    pub(super) fn block(&self, k: Kind) -> &KindBlock {
        &self.kinds[k as usize]
    }

    /// An entity of kind `k`, biased toward hubs.
    pub(super) fn ranked(&mut self, k: Kind) -> usize {
        let b = &self.kinds[k as usize];
        let (first, count, skew) = (b.first, b.count, b.skew);
        first + self.rng.ranked(count, skew)
    }

    pub(super) fn kind_of(&self, e: usize) -> Kind {
        Kind::ALL[self.kinds.iter().rposition(|b| b.first <= e).unwrap_or(0)]
    }

    pub(super) fn date(&mut self, from_year: u32, to_year: u32) -> (u32, u32, u32) {
        let y = from_year + self.rng.below((to_year - from_year + 1) as usize) as u32;
        match self.rng.below(10) {
            0..=2 => (y, 0, 0),
            3..=4 => (y, 1 + self.rng.below(12) as u32, 0),
            _ => (
                y,
                1 + self.rng.below(12) as u32,
                1 + self.rng.below(28) as u32,
            ),
        }
    }

    /// A start date and, with probability `p_end`, an end in a later year.
    pub(super) fn span(&mut self, from_year: u32, to_year: u32, p_end: f64) -> (String, String) {
        let s = self.date(from_year, to_year);
        let end = if self.rng.chance(p_end) {
            let later = s.0 + 1 + self.rng.below(12) as u32;
            fmt_date(self.date(later, later))
        } else {
            String::new()
        };
        (fmt_date(s), end)
    }

    pub(super) fn write_sources<W: Write>(&mut self, w: &mut csv::Writer<W>) -> io::Result<()> {
        w.write_record(crate::dataset::columns::SOURCES)?;
        for i in 0..self.n_sources {
            let &(publisher, lang) = self.rng.pick(PUBLISHERS);
            let (y, m, d) = self.date(1995, 2025);
            let topic = *self.rng.pick(TOPICS);
            let place = words(&[Word::random(&mut self.rng, 2, 3)], Script::Latin, " ");
            let title = format!("Officials in {place} discuss cooperation on {topic}");
            let slug: String = publisher
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            let id = format!("{slug}-{y}-{i}");
            let url = format!("https://news.example.org/{slug}/{y}/{i}");
            w.write_record([
                id.as_str(),
                &title,
                publisher,
                &fmt_date((y, m, d)),
                &url,
                lang,
                "",
            ])?;
            self.source_ids.push(id);
        }
        Ok(())
    }

    pub(super) fn write_entities<W: Write>(&mut self, w: &mut csv::Writer<W>) -> io::Result<()> {
        w.write_record(crate::dataset::columns::ENTITIES)?;
        let n_countries = self.block(Country).count;
        // Two-letter codes, in an order that starts like real ones.
        self.codes = (0..n_countries)
            .map(|i| {
                let a = (b'A' + ((i * 7 + 3) % 26) as u8) as char;
                let b = (b'A' + ((i / 26 * 11 + i) % 26) as u8) as char;
                format!("{a}{b}")
            })
            .collect();
        let mut aliases = Vec::new();
        // Countries are named first: other entities' names refer to them.
        let country_words: Vec<Word> = (0..n_countries)
            .map(|_| Word::random(&mut self.rng, 2, 3))
            .collect();
        let country_names: Vec<String> = country_words
            .iter()
            .map(|w| words(std::slice::from_ref(w), Script::Latin, " "))
            .collect();
        for k in Kind::ALL {
            let count = self.block(k).count;
            for rank in 0..count {
                aliases.clear();
                let ws: Vec<Word> = match k {
                    Person => vec![
                        Word::random(&mut self.rng, 2, 3),
                        Word::random(&mut self.rng, 2, 4),
                    ],
                    Topic | Agreement | Event => Vec::new(),
                    Country => vec![country_words[rank].clone()],
                    _ => vec![Word::random(&mut self.rng, 2, 4)],
                };
                let latin = words(&ws, Script::Latin, " ");
                let ministry = k == Organization && rank < count / 4;
                let country_rank = if ministry {
                    // Each country's ministries in turn, the hub country first.
                    (rank / PORTFOLIOS.len()) % n_countries
                } else {
                    self.rng.ranked(n_countries, 2.0)
                };
                let country_name = &country_names[country_rank];
                let topic = TOPICS[rank % TOPICS.len()];
                let name = match k {
                    Person => {
                        script_aliases(&mut self.rng, &ws, 0.5, &mut aliases);
                        if self.rng.chance(0.2) {
                            let mut initial = String::new();
                            ws[0].write(Script::Latin, &mut initial);
                            let surname = words(&ws[1..], Script::Latin, " ");
                            aliases.push(format!("{}. {surname}", &initial[..1]));
                        }
                        latin.clone()
                    }
                    Country => {
                        script_aliases(&mut self.rng, &ws, 0.9, &mut aliases);
                        aliases.push(format!("Republic of {latin}"));
                        latin.clone()
                    }
                    Organization => {
                        // The top ranks are ministries: the hubs of government.
                        let n = if ministry {
                            let p = PORTFOLIOS[rank % PORTFOLIOS.len()];
                            aliases.push(format!("{country_name} {p} Ministry"));
                            format!("Ministry of {p} of {country_name}")
                        } else {
                            let form = *self.rng.pick(ORG_FORMS);
                            format!("{latin} {form}")
                        };
                        script_aliases(&mut self.rng, &ws, 0.3, &mut aliases);
                        n
                    }
                    Company => {
                        let form = *self.rng.pick(COMPANY_FORMS);
                        let n = format!("{latin} {form}");
                        if self.rng.chance(0.3) {
                            aliases.push(format!("PT {latin} {form}"));
                        }
                        if self.rng.chance(0.2) {
                            aliases.push(format!(
                                "{}{}",
                                latin.chars().take(3).collect::<String>().to_uppercase(),
                                &form[..1]
                            ));
                        }
                        script_aliases(&mut self.rng, &ws, 0.25, &mut aliases);
                        n
                    }
                    Agreement => {
                        let form = *self.rng.pick(AGREEMENT_FORMS);
                        format!("{form} {} ({})", title_case(topic), rank / TOPICS.len() + 1)
                    }
                    Event => {
                        let form = *self.rng.pick(EVENT_FORMS);
                        format!("{} {} {}", ordinal(rank / TOPICS.len() + 1), form, topic)
                    }
                    Topic => {
                        if rank < TOPICS.len() {
                            topic.to_string()
                        } else {
                            format!("{topic} ({})", rank / TOPICS.len() + 1)
                        }
                    }
                    Place => {
                        script_aliases(&mut self.rng, &ws, 0.4, &mut aliases);
                        latin.clone()
                    }
                };
                let e = self.ids.len();
                let id = format!("{}-{}", slug(&name, 32), base36(e));
                let code = match k {
                    Country => self.codes[rank].clone(),
                    Topic | Agreement | Event => String::new(),
                    _ => self.codes[country_rank].clone(),
                };
                let (start, end) = match k {
                    Person => (String::new(), String::new()),
                    Country => (fmt_date(self.date(1800, 1990)), String::new()),
                    Agreement | Event => self.span(1990, 2025, 0.3),
                    Topic => (String::new(), String::new()),
                    _ => self.span(1900, 2024, 0.1),
                };
                let description = match k {
                    Person if self.rng.chance(0.5) => String::new(),
                    Topic => String::new(),
                    _ => format!(
                        "Synthetic {} (rank {} of {}), generated with seed {}",
                        k.as_str(),
                        rank + 1,
                        count,
                        self.cfg.seed
                    ),
                };
                w.write_record([
                    id.as_bytes(),
                    k.as_str().as_bytes(),
                    name.as_bytes(),
                    aliases.join("|").as_bytes(),
                    code.as_bytes(),
                    start.as_bytes(),
                    end.as_bytes(),
                    description.as_bytes(),
                ])?;
                self.ids.push(id);
                self.names.push(name);
            }
        }
        Ok(())
    }

    /// Writes the relations; returns the count of each rule.
    pub(super) fn write_relations<W: Write>(
        &mut self,
        w: &mut csv::Writer<W>,
    ) -> io::Result<Vec<usize>> {
        w.write_record(crate::dataset::columns::RELATIONS)?;
        let source_ids = std::mem::take(&mut self.source_ids);
        let mut counts = vec![0usize; RULES.len()];
        let weights: Vec<u32> = RULES.iter().map(|r| r.weight).collect();
        let total = self.cfg.relations;
        let n = self.cfg.entities;
        let mut evidence = String::with_capacity(256);
        for i in 0..total {
            // First one of each type, then one anchor per entity, then
            // random relations drawn by weight.
            let (ri, from, to) = if i < RULES.len() {
                let (f, t) = self.ends(i);
                (i, f, t)
            } else if i - RULES.len() < n {
                self.anchored(i - RULES.len())
            } else {
                let ri = self.rng.weighted(&weights);
                let (f, t) = self.ends(ri);
                (ri, f, t)
            };
            let r = &RULES[ri];
            counts[ri] += 1;
            let role = if r.roles.is_empty() {
                ""
            } else {
                *self.rng.pick(r.roles)
            };
            let (start, end) = if self.rng.chance(0.7) {
                self.span(1990, 2025, 0.25)
            } else {
                (String::new(), String::new())
            };
            let source = self.rng.ranked(source_ids.len(), 1.8);
            evidence.clear();
            let said = r
                .says
                .replace("{f}", &self.names[from])
                .replace("{t}", &self.names[to])
                .replace("{r}", if role.is_empty() { "a member" } else { role });
            evidence.push_str(&said);
            if !start.is_empty() {
                let _ = write!(evidence, " (since {start})");
            }
            evidence.push('.');
            while evidence.len() < 80 + self.rng.below(60) {
                evidence.push(' ');
                let filler = *self.rng.pick(FILLERS);
                evidence.push_str(filler);
            }
            if evidence.len() > 200 {
                let mut cut = 197;
                while !evidence.is_char_boundary(cut) {
                    cut -= 1;
                }
                evidence.truncate(cut);
                evidence.push('…');
            }
            w.write_record([
                self.ids[from].as_str(),
                &self.ids[to],
                r.name,
                role,
                &start,
                &end,
                &source_ids[source],
                &evidence,
            ])?;
        }
        Ok(counts)
    }

    /// Ends for a relation of rule `ri`, drawn by kind weight and rank,
    /// never a self-loop when the kind has a second entity.
    pub(super) fn ends(&mut self, ri: usize) -> (usize, usize) {
        let r = &RULES[ri];
        let fk = pick_kind(&mut self.rng, r.from);
        let tk = pick_kind(&mut self.rng, r.to);
        let from = self.ranked(fk);
        let mut to = self.ranked(tk);
        if from == to {
            let b = self.block(tk);
            if b.count > 1 {
                to = b.first + (to - b.first + 1) % b.count;
            }
        }
        (from, to)
    }

    /// The anchor relation of entity `e`: to a hub-biased entity of the
    /// kind its anchor rule wants (made earlier when it is the same kind).
    pub(super) fn anchored(&mut self, e: usize) -> (usize, usize, usize) {
        let k = self.kind_of(e);
        let (name, new_is_to) = anchor(k);
        let ri = rule(name);
        let r = &RULES[ri];
        let other_kinds = if new_is_to { r.from } else { r.to };
        let ok = pick_kind(&mut self.rng, other_kinds);
        let (first, count, skew) = {
            let b = self.block(ok);
            (b.first, b.count, b.skew)
        };
        let mut other = if ok == k {
            // Same kind (countries cooperating): an earlier one.
            let before = e - first;
            if before == 0 {
                first + 1.min(count - 1)
            } else {
                first + self.rng.ranked(before, skew)
            }
        } else {
            self.ranked(ok)
        };
        if other == e {
            other = first + (other - first + 1) % count;
        }
        if new_is_to {
            (ri, other, e)
        } else {
            (ri, e, other)
        }
    }
}

pub(super) fn pick_kind(rng: &mut Rng, kinds: &[(Kind, u32)]) -> Kind {
    let w: Vec<u32> = kinds.iter().map(|k| k.1).collect();
    kinds[rng.weighted(&w)].0
}

pub(super) fn fmt_date((y, m, d): (u32, u32, u32)) -> String {
    match (m, d) {
        (0, _) => format!("{y:04}"),
        (m, 0) => format!("{y:04}-{m:02}"),
        (m, d) => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// A URL-safe slug of at most `max` bytes from a Latin name.
pub(super) fn slug(name: &str, max: usize) -> String {
    let mut s = String::with_capacity(max);
    for c in name.chars() {
        if s.len() >= max {
            break;
        }
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    if s.len() >= max
        && let Some(cut) = s.rfind('-')
    {
        // Cut at a word boundary rather than inside a word.
        s.truncate(cut);
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

pub(super) fn base36(mut n: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = Vec::new();
    loop {
        buf.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    buf.reverse();
    String::from_utf8(buf).expect("ascii digits")
}

pub(super) fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_ids() {
        assert_eq!(
            slug("Ministry of Trade of Kasi", 32),
            "ministry-of-trade-of-kasi"
        );
        assert_eq!(slug("5G (2)", 32), "5g-2");
        assert_eq!(base36(0), "0");
        assert_eq!(base36(36 * 36), "100");
        assert_eq!(ordinal(12), "12th");
        assert_eq!(ordinal(22), "22nd");
    }
}
