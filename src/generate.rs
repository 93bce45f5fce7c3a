//! Synthetic datasets shaped like the real thing, for trying jejaring at
//! scale, for benchmarks and for property tests.
//!
//! [`generate`] writes the three files of a dataset (`sources.csv`,
//! `entities.csv`, `relations.csv`) for a given number of entities and
//! relations. The output is a function of [`GenerateConfig`] alone: the
//! same configuration gives byte-identical files on every machine, because
//! the random numbers come from our own SplitMix64 (no crate whose stream
//! may change between versions) and nothing iterates a hash map.
//!
//! The shape follows what registries and leak databases look like:
//!
//! - **Heavy-tailed degrees.** Within each kind, entities are ranked and
//!   relation ends are drawn with a power-law bias toward the top ranks, so
//!   a few countries, ministries and big firms are hubs and most people are
//!   leaves. Every entity first gets one "anchor" relation to an entity
//!   made before it (a person works for a company, a company is located in
//!   a country …), so the graph is connected whenever there are at least as
//!   many relations as entities.
//! - **All eight kinds and every vocabulary type**, with the endpoint kinds
//!   of [`crate::model::VOCABULARY`]'s documentation (signed:
//!   person→agreement, party_to: country/organization→agreement …).
//! - **Names with aliases in several scripts**: a name is a sequence of
//!   syllables written in Latin, Cyrillic, Katakana and Devanagari from
//!   parallel tables, so the aliases are transliterations of each other.
//! - **Dates** partial and full, end never before start; **evidence** of
//!   80–200 characters; a few sources per thousand relations.
//!
//! This module writes files (each through a temporary file in the target
//! folder, renamed into place) and never prints.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::model::Kind;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Entities to write; at least 8 (one of each kind).
    pub entities: usize,
    /// Relations to write.
    pub relations: usize,
    /// The seed: same seed, same files.
    pub seed: u64,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        GenerateConfig {
            entities: 10_000,
            relations: 50_000,
            seed: 1,
        }
    }
}

/// What [`generate`] wrote: totals and counts by kind and by type (only
/// kinds and types that occur), in the shape of `stats`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenerateSummary {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_type: BTreeMap<&'static str, usize>,
}

/// The fewest entities [`generate`] accepts: one of each kind.
pub const MIN_ENTITIES: usize = Kind::ALL.len();

/// Writes a synthetic dataset into `out_dir` (created if missing).
///
/// Arguments: the sizes and seed; the folder to write.
/// Returns: what was written, or the IO error (an `InvalidInput` error when
/// `entities` is below [`MIN_ENTITIES`] or above `u32::MAX`).
/// Complexity: O(entities + relations) time; memory holds the entities'
/// names (about 100 bytes each), relations are streamed.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let cfg = jejaring::generate::GenerateConfig { entities: 200, relations: 800, seed: 7 };
/// let summary = jejaring::generate::generate(&cfg, dir.path()).unwrap();
/// assert_eq!(summary.relations, 800);
/// let src = jejaring::dataset::DatasetSource::Dir(dir.path().to_path_buf());
/// let g = jejaring::dataset::load(&[src], &jejaring::dataset::Quiet).unwrap().graph;
/// assert_eq!(g.entities.len(), 200);
/// ```
pub fn generate(cfg: &GenerateConfig, out_dir: &Path) -> io::Result<GenerateSummary> {
    if cfg.entities < MIN_ENTITIES || cfg.entities > u32::MAX as usize - 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "entities must be between {MIN_ENTITIES} (one of each kind) and {}",
                u32::MAX - 1
            ),
        ));
    }
    std::fs::create_dir_all(out_dir)?;
    let mut g = Generator::new(cfg);
    let mut summary = GenerateSummary {
        entities: cfg.entities,
        relations: 0,
        sources: g.n_sources,
        ..Default::default()
    };
    for k in Kind::ALL {
        summary
            .by_kind
            .insert(k.as_str(), g.kinds[k as usize].count);
    }
    write_csv(out_dir, crate::dataset::SOURCES, |w| g.write_sources(w))?;
    write_csv(out_dir, crate::dataset::ENTITIES, |w| g.write_entities(w))?;
    let by_type = write_csv(out_dir, crate::dataset::RELATIONS, |w| g.write_relations(w))?;
    for (t, n) in RULES.iter().zip(by_type) {
        if n > 0 {
            summary.by_type.insert(t.name, n);
            summary.relations += n;
        }
    }
    Ok(summary)
}

/// Writes `name` in `dir` as CSV through [`crate::atomic`], so a reader
/// never sees half a file.
fn write_csv<T>(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut csv::Writer<&mut BufWriter<&std::fs::File>>) -> io::Result<T>,
) -> io::Result<T> {
    crate::atomic::write_file(dir, name, ".jejaring-", |w| {
        let mut w = csv::WriterBuilder::new().from_writer(w);
        let out = body(&mut w)?;
        w.flush()?;
        Ok(out)
    })
}

// ---------------------------------------------------------------------------
// Random numbers

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, passes BigCrush, and
/// ours, so its stream never changes under us.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6A09_E667_F3BC_C909)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0), by multiply-shift (Lemire); the bias is
    /// below 2^-32 for the sizes used here.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A rank in `0..n` biased toward 0: P(rank < x) = (x/n)^(1/skew).
    /// The expected count at rank r falls as r^(1/skew - 1), a Zipf law,
    /// so degrees follow a power law with exponent 1 + skew/(skew - 1)…
    /// about 2–3 for the skews used here. `skew` 1 is uniform.
    fn ranked(&mut self, n: usize, skew: f64) -> usize {
        let x = (self.unit().powf(skew) * n as f64) as usize;
        x.min(n - 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn by weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------
// Names in four scripts

/// Consonants in Latin, Cyrillic, Devanagari; the Katakana row per consonant
/// (a, i, u, e, o).
const CONSONANTS: [(&str, &str, &str, [&str; 5]); 10] = [
    ("k", "к", "क", ["カ", "キ", "ク", "ケ", "コ"]),
    ("s", "с", "स", ["サ", "シ", "ス", "セ", "ソ"]),
    ("t", "т", "त", ["タ", "チ", "ツ", "テ", "ト"]),
    ("n", "н", "न", ["ナ", "ニ", "ヌ", "ネ", "ノ"]),
    ("m", "м", "म", ["マ", "ミ", "ム", "メ", "モ"]),
    ("r", "р", "र", ["ラ", "リ", "ル", "レ", "ロ"]),
    ("d", "д", "द", ["ダ", "ディ", "ドゥ", "デ", "ド"]),
    ("b", "б", "ब", ["バ", "ビ", "ブ", "ベ", "ボ"]),
    ("h", "х", "ह", ["ハ", "ヒ", "フ", "ヘ", "ホ"]),
    ("v", "в", "व", ["ヴァ", "ヴィ", "ヴ", "ヴェ", "ヴォ"]),
];
/// Vowels in Latin, Cyrillic, and as a Devanagari vowel sign (after a
/// consonant) and letter (at the start of a word).
const VOWELS: [(&str, &str, &str, &str); 5] = [
    ("a", "а", "", "अ"),
    ("i", "и", "ि", "इ"),
    ("u", "у", "ु", "उ"),
    ("e", "е", "े", "ए"),
    ("o", "о", "ो", "ओ"),
];
const KANA_VOWELS: [&str; 5] = ["ア", "イ", "ウ", "エ", "オ"];

/// A word as syllable codes: consonant * 5 + vowel, or 50 + vowel for a
/// bare vowel (only at the start).
#[derive(Clone)]
struct Word(Vec<u8>);

#[derive(Clone, Copy)]
enum Script {
    Latin,
    Cyrillic,
    Katakana,
    Devanagari,
}

impl Word {
    fn random(rng: &mut Rng, min: usize, max: usize) -> Word {
        let len = min + rng.below(max - min + 1);
        let mut s = Vec::with_capacity(len);
        for i in 0..len {
            if i == 0 && rng.chance(0.15) {
                s.push(50 + rng.below(5) as u8);
            } else {
                s.push((rng.below(CONSONANTS.len()) * 5 + rng.below(5)) as u8);
            }
        }
        Word(s)
    }

    fn write(&self, script: Script, out: &mut String) {
        for (i, &code) in self.0.iter().enumerate() {
            let (c, v) = (code as usize / 5, code as usize % 5);
            if c == 10 {
                out.push_str(match script {
                    Script::Latin if i == 0 => ["A", "I", "U", "E", "O"][v],
                    Script::Latin => VOWELS[v].0,
                    Script::Cyrillic if i == 0 => ["А", "И", "У", "Е", "О"][v],
                    Script::Cyrillic => VOWELS[v].1,
                    Script::Katakana => KANA_VOWELS[v],
                    Script::Devanagari => VOWELS[v].3,
                });
                continue;
            }
            let (lat, cyr, dev, kana) = CONSONANTS[c];
            match script {
                Script::Latin => {
                    if i == 0 {
                        out.push(lat.as_bytes()[0].to_ascii_uppercase() as char);
                    } else {
                        out.push_str(lat);
                    }
                    out.push_str(VOWELS[v].0);
                }
                Script::Cyrillic => {
                    if i == 0 {
                        out.extend(cyr.chars().flat_map(char::to_uppercase));
                    } else {
                        out.push_str(cyr);
                    }
                    out.push_str(VOWELS[v].1);
                }
                Script::Katakana => out.push_str(kana[v]),
                Script::Devanagari => {
                    out.push_str(dev);
                    out.push_str(VOWELS[v].2);
                }
            }
        }
    }
}

/// Several words written in one script, joined by `sep`.
fn words(ws: &[Word], script: Script, sep: &str) -> String {
    let mut s = String::new();
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        w.write(script, &mut s);
    }
    s
}

/// The same name in the other scripts, each with a probability.
fn script_aliases(rng: &mut Rng, ws: &[Word], p: f64, aliases: &mut Vec<String>) {
    if rng.chance(p) {
        aliases.push(words(ws, Script::Cyrillic, " "));
    }
    if rng.chance(p * 0.7) {
        aliases.push(words(ws, Script::Katakana, "・"));
    }
    if rng.chance(p * 0.7) {
        aliases.push(words(ws, Script::Devanagari, " "));
    }
}

// ---------------------------------------------------------------------------
// Vocabulary of the synthetic world

const PORTFOLIOS: &[&str] = &[
    "Foreign Affairs",
    "Communication and Digital Affairs",
    "Trade",
    "Finance",
    "Defence",
    "Energy",
    "Industry",
    "Investment",
    "Education",
    "Health",
    "Transport",
    "Maritime Affairs",
];
const ORG_FORMS: &[&str] = &[
    "Agency",
    "Authority",
    "Council",
    "Institute",
    "Commission",
    "Foundation",
    "Association",
    "Chamber of Commerce",
];
const COMPANY_FORMS: &[&str] = &[
    "Holdings",
    "Networks",
    "Group",
    "Industries",
    "Energy",
    "Capital",
    "Telecom",
    "Logistics",
    "Systems",
    "Resources",
];
const TOPICS: &[&str] = &[
    "digital economy",
    "cybersecurity",
    "5G networks",
    "artificial intelligence",
    "data protection",
    "semiconductors",
    "nickel processing",
    "renewable energy",
    "maritime security",
    "satellite communications",
    "e-government",
    "fintech",
    "critical minerals",
    "submarine cables",
    "digital talent",
    "smart cities",
    "food security",
    "health technology",
    "trade facilitation",
    "counter-terrorism",
];
const AGREEMENT_FORMS: &[&str] = &[
    "Memorandum of Understanding on",
    "Framework Agreement on",
    "Joint Declaration on",
    "Letter of Intent on",
    "Treaty on",
    "Action Plan on",
];
const EVENT_FORMS: &[&str] = &[
    "Summit on",
    "Ministerial Meeting on",
    "Business Forum on",
    "Working Group on",
    "Expo on",
];
const PUBLISHERS: &[(&str, &str)] = &[
    ("ANTARA", "id"),
    ("Kompas", "id"),
    ("Tempo", "id"),
    ("Reuters", "en"),
    ("The Jakarta Post", "en"),
    ("Nikkei Asia", "en"),
    ("Kyodo", "ja"),
    ("NHK", "ja"),
    ("TASS", "ru"),
    ("Interfax", "ru"),
    ("The Hindu", "en"),
    ("PTI", "hi"),
    ("Company registry", "en"),
];
const FILLERS: &[&str] = &[
    "The report cites two officials familiar with the discussions.",
    "The statement was published on the ministry's website the same day.",
    "Both sides said follow-up talks would take place within the year.",
    "The filing lists the date and the signatories in an annex.",
    "Photos from the ceremony were released by the press office.",
    "A spokesperson confirmed the details when asked by reporters.",
];

/// How a relation type is drawn: its weight among random relations, the
/// kinds at each end (with weights), and the roles it may carry.
struct Rule {
    name: &'static str,
    weight: u32,
    from: &'static [(Kind, u32)],
    to: &'static [(Kind, u32)],
    roles: &'static [&'static str],
    /// Evidence template: `{f}` and `{t}` are the ends' names, `{r}` the role.
    says: &'static str,
}

use Kind::{Agreement, Company, Country, Event, Organization, Person, Place, Topic};

const RULES: &[Rule] = &[
    Rule {
        name: "holds_position",
        weight: 10,
        from: &[(Person, 1)],
        to: &[(Organization, 1)],
        roles: &[
            "Minister",
            "Deputy Minister",
            "Director General",
            "Secretary General",
            "Spokesperson",
            "Chief of Staff",
        ],
        says: "{f} is named as {r} of {t}",
    },
    Rule {
        name: "member_of",
        weight: 6,
        from: &[(Person, 6), (Company, 2), (Country, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} is listed among the members of {t}",
    },
    Rule {
        name: "works_for",
        weight: 14,
        from: &[(Person, 1)],
        to: &[(Company, 3), (Organization, 1)],
        roles: &["engineer", "analyst", "adviser", "manager", "counsel"],
        says: "{f} is described as working for {t}",
    },
    Rule {
        name: "represents",
        weight: 3,
        from: &[(Person, 1)],
        to: &[(Country, 2), (Organization, 1)],
        roles: &["delegate", "envoy", "negotiator"],
        says: "{f} spoke on behalf of {t}",
    },
    Rule {
        name: "ambassador_to",
        weight: 1,
        from: &[(Person, 1)],
        to: &[(Country, 1)],
        roles: &["Ambassador", "Chargé d'affaires"],
        says: "{f} presented credentials as envoy to {t}",
    },
    Rule {
        name: "head_of",
        weight: 2,
        from: &[(Person, 1)],
        to: &[(Organization, 3), (Company, 3), (Country, 1)],
        roles: &["President", "Chair", "Chief Executive", "Prime Minister"],
        says: "{f} is identified as {r} of {t}",
    },
    Rule {
        name: "part_of",
        weight: 3,
        from: &[(Organization, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} operates under {t}",
    },
    Rule {
        name: "succeeded_by",
        weight: 1,
        from: &[(Organization, 1), (Company, 1)],
        to: &[(Organization, 1), (Company, 1)],
        roles: &[],
        says: "{f} was renamed or merged into {t}",
    },
    Rule {
        name: "located_in",
        weight: 8,
        from: &[(Company, 4), (Organization, 2), (Place, 1), (Event, 1)],
        to: &[(Place, 2), (Country, 1)],
        roles: &[],
        says: "{f} is registered at an address in {t}",
    },
    Rule {
        name: "signed",
        weight: 6,
        from: &[(Person, 1)],
        to: &[(Agreement, 1)],
        roles: &["signatory"],
        says: "{f} signed {t} at the ceremony",
    },
    Rule {
        name: "party_to",
        weight: 6,
        from: &[(Country, 2), (Organization, 2), (Company, 1)],
        to: &[(Agreement, 1)],
        roles: &[],
        says: "{f} is a party to {t}",
    },
    Rule {
        name: "witnessed",
        weight: 2,
        from: &[(Person, 1)],
        to: &[(Agreement, 2), (Event, 1)],
        roles: &["witness"],
        says: "{f} witnessed {t}",
    },
    Rule {
        name: "attended",
        weight: 6,
        from: &[(Person, 1)],
        to: &[(Event, 1)],
        roles: &["speaker", "delegate", "observer"],
        says: "{f} attended {t}",
    },
    Rule {
        name: "met_with",
        weight: 5,
        from: &[(Person, 1)],
        to: &[(Person, 1)],
        roles: &[],
        says: "{f} held a bilateral meeting with {t}",
    },
    Rule {
        name: "covers",
        weight: 4,
        from: &[(Agreement, 2), (Event, 1)],
        to: &[(Topic, 1)],
        roles: &[],
        says: "{f} deals with {t}",
    },
    Rule {
        name: "established",
        weight: 1,
        from: &[(Agreement, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} set up {t}",
    },
    Rule {
        name: "proposed",
        weight: 1,
        from: &[(Person, 1), (Organization, 1)],
        to: &[(Agreement, 1)],
        roles: &[],
        says: "{f} put forward {t}, not yet signed",
    },
    Rule {
        name: "owns",
        weight: 5,
        from: &[(Company, 3), (Person, 1)],
        to: &[(Company, 1)],
        roles: &["majority shareholder", "sole owner", "minority shareholder"],
        says: "{f} is recorded as {r} of {t}",
    },
    Rule {
        name: "invests_in",
        weight: 4,
        from: &[(Company, 2), (Organization, 1)],
        to: &[(Company, 1)],
        roles: &[],
        says: "{f} announced an investment in {t}",
    },
    Rule {
        name: "director_of",
        weight: 8,
        from: &[(Person, 1)],
        to: &[(Company, 1)],
        roles: &["director", "non-executive director", "chair of the board"],
        says: "{f} is listed as {r} of {t}",
    },
    Rule {
        name: "cooperates_with",
        weight: 3,
        from: &[(Company, 2), (Organization, 2), (Country, 1)],
        to: &[(Company, 2), (Organization, 2), (Country, 1)],
        roles: &[],
        says: "{f} agreed to cooperate with {t}",
    },
];

/// The anchor relation that ties each entity to the graph: its rule, and
/// whether the entity is the `to` end.
fn anchor(kind: Kind) -> (&'static str, bool) {
    match kind {
        Person => ("works_for", false),
        Organization => ("located_in", false),
        Company => ("located_in", false),
        Country => ("cooperates_with", false),
        Agreement => ("party_to", true),
        Event => ("located_in", false),
        Topic => ("covers", true),
        Place => ("located_in", false),
    }
}

fn rule(name: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.name == name)
        .expect("rule exists")
}

// ---------------------------------------------------------------------------
// The generator

/// One kind's block of entities: they are numbered `first..first + count`,
/// rank 0 (the biggest hub) first.
struct KindBlock {
    first: usize,
    count: usize,
    /// How strongly relation ends favour the top ranks.
    skew: f64,
}

struct Generator {
    cfg: GenerateConfig,
    rng: Rng,
    kinds: Vec<KindBlock>,
    n_sources: usize,
    /// Per entity: its id and display name (Latin).
    ids: Vec<String>,
    names: Vec<String>,
    /// Countries' ISO-like codes.
    codes: Vec<String>,
    /// Source ids, as written by `write_sources`.
    source_ids: Vec<String>,
}

/// Shares of each kind, in `Kind::ALL` order (countries are capped).
const SHARES: [f64; 8] = [0.52, 0.10, 0.24, 0.005, 0.06, 0.04, 0.01, 0.03];
const MAX_COUNTRIES: usize = 250;

impl Generator {
    fn new(cfg: &GenerateConfig) -> Generator {
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

    fn block(&self, k: Kind) -> &KindBlock {
        &self.kinds[k as usize]
    }

    /// An entity of kind `k`, biased toward hubs.
    fn ranked(&mut self, k: Kind) -> usize {
        let b = &self.kinds[k as usize];
        let (first, count, skew) = (b.first, b.count, b.skew);
        first + self.rng.ranked(count, skew)
    }

    fn kind_of(&self, e: usize) -> Kind {
        Kind::ALL[self.kinds.iter().rposition(|b| b.first <= e).unwrap_or(0)]
    }

    fn date(&mut self, from_year: u32, to_year: u32) -> (u32, u32, u32) {
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
    fn span(&mut self, from_year: u32, to_year: u32, p_end: f64) -> (String, String) {
        let s = self.date(from_year, to_year);
        let end = if self.rng.chance(p_end) {
            let later = s.0 + 1 + self.rng.below(12) as u32;
            fmt_date(self.date(later, later))
        } else {
            String::new()
        };
        (fmt_date(s), end)
    }

    fn write_sources<W: Write>(&mut self, w: &mut csv::Writer<W>) -> io::Result<()> {
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

    fn write_entities<W: Write>(&mut self, w: &mut csv::Writer<W>) -> io::Result<()> {
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
    fn write_relations<W: Write>(&mut self, w: &mut csv::Writer<W>) -> io::Result<Vec<usize>> {
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
    fn ends(&mut self, ri: usize) -> (usize, usize) {
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
    fn anchored(&mut self, e: usize) -> (usize, usize, usize) {
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

fn pick_kind(rng: &mut Rng, kinds: &[(Kind, u32)]) -> Kind {
    let w: Vec<u32> = kinds.iter().map(|k| k.1).collect();
    kinds[rng.weighted(&w)].0
}

fn fmt_date((y, m, d): (u32, u32, u32)) -> String {
    match (m, d) {
        (0, _) => format!("{y:04}"),
        (m, 0) => format!("{y:04}-{m:02}"),
        (m, d) => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// A URL-safe slug of at most `max` bytes from a Latin name.
fn slug(name: &str, max: usize) -> String {
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

fn base36(mut n: usize) -> String {
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

fn title_case(s: &str) -> String {
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

fn ordinal(n: usize) -> String {
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
    fn words_transliterate_alike() {
        let w = Word(vec![0, 7, 51]);
        let mut s = String::new();
        for script in [
            Script::Latin,
            Script::Cyrillic,
            Script::Katakana,
            Script::Devanagari,
        ] {
            w.write(script, &mut s);
            s.push(' ');
        }
        assert_eq!(s, "Kasui Касуи カスイ कसुइ ");
    }

    #[test]
    fn ranks_are_heavy_tailed() {
        let mut rng = Rng::new(3);
        let mut hits = vec![0u32; 1000];
        for _ in 0..100_000 {
            hits[rng.ranked(1000, 2.5)] += 1;
        }
        // The top rank gets far more than its uniform share, the tail less.
        assert!(hits[0] > 1000, "{}", hits[0]);
        assert!(hits[999] < 100, "{}", hits[999]);
    }

    #[test]
    fn rules_cover_the_vocabulary_in_order() {
        let rules: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        let vocab: Vec<&str> = crate::model::VOCABULARY.iter().map(|v| v.0).collect();
        assert_eq!(rules, vocab);
    }

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
