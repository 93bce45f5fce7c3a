//! Measures `ingest` against a curated dataset on the articles it was
//! built from:
//!
//! ```text
//! cargo bench --profile dev --bench ingest -- ARTICLES_DIR [DATASET_DIR]
//! ```
//!
//! Each article file is matched to its source by the `file` column of
//! sources.csv, or else by the source's title appearing in the article's
//! first lines. Then, per article and overall:
//!
//! - mentions: the entities the source's relations cite are the expected
//!   ones; the mentions ingest proposes are scored against them;
//! - new entities: the entities only this source's relations cite are
//!   taken out of the dataset (with their relations), and ingest runs
//!   against what is left; its proposed new entities are scored against
//!   the ones taken out that the text names (by name or alias), a
//!   proposal matching when one folded name contains the other;
//! - relations: the source's relations whose two ends are mentioned in
//!   one sentence are the expected ones; a proposal matches one with the
//!   same ends and type (either way round for a symmetric type).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jejaring::dataset::{self, DatasetSource, Quiet};
use jejaring::graph::Graph;
use jejaring::ingest::{self, relations::NodeKey};
use jejaring::model::{Kind, is_symmetric};
use jejaring::text::normalize;

#[derive(Default, Clone, Copy)]
struct Score {
    hit_p: usize,
    proposed: usize,
    hit_r: usize,
    expected: usize,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.hit_p += o.hit_p;
        self.proposed += o.proposed;
        self.hit_r += o.hit_r;
        self.expected += o.expected;
    }
    fn cell(&self) -> String {
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                "  -  ".to_string()
            } else {
                format!("{:.2}", a as f64 / b as f64)
            }
        };
        format!(
            "P {} ({}/{}) R {} ({}/{})",
            ratio(self.hit_p, self.proposed),
            self.hit_p,
            self.proposed,
            ratio(self.hit_r, self.expected),
            self.hit_r,
            self.expected
        )
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(articles) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench --profile dev --bench ingest -- ARTICLES_DIR [DATASET_DIR]");
        std::process::exit(2);
    };
    let data = args.get(1).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/digital-diplomacy")
    });
    let loaded = dataset::load_dirs(std::slice::from_ref(&data), &Quiet).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let graph = &loaded.graph;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&articles)
        .unwrap_or_else(|e| {
            eprintln!("{}: {e}", articles.display());
            std::process::exit(2)
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let mut total = [Score::default(); 3];
    let mut furniture_total = 0;
    println!("| article | source | mentions | new entities | relations | furniture |");
    println!("|---|---|---|---|---|---|");
    for path in files {
        let bytes = std::fs::read(&path).expect("readable article");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(source) = source_of(graph, &name, &bytes) else {
            eprintln!("{name}: no source of the dataset matches; skipped");
            continue;
        };
        let src = graph.source(source);
        let article = ingest::Article {
            source_id: src.id.to_string(),
            published: src.published,
            ..Default::default()
        };
        let a = ingest::ingest(graph, &bytes, &article).expect("an article");
        let scores = [
            mentions(graph, source, &a),
            new_entities(&data, graph, source, &bytes, &article),
            relations(graph, source, &a),
        ];
        for (t, s) in total.iter_mut().zip(scores) {
            t.add(s);
        }
        let furniture = furniture_proposals(&a);
        furniture_total += furniture;
        println!(
            "| {name} | {} | {} | {} | {} | {furniture} |",
            src.id,
            scores[0].cell(),
            scores[1].cell(),
            scores[2].cell()
        );
    }
    println!(
        "| overall | | {} | {} | {} | {furniture_total} |",
        total[0].cell(),
        total[1].cell(),
        total[2].cell()
    );
}

/// How many names the article's page furniture had proposed: names marked
/// on a line that opens the way Indonesian and English news sites open
/// their furniture (read-also links, related stories, credits, copyright,
/// captions). The list is the measurement's own, kept apart from the
/// lexicon `ingest` reads, so a gap in that lexicon shows here.
fn furniture_proposals(a: &ingest::Analysis) -> usize {
    const OPENINGS: &[&str] = &[
        "baca juga",
        "berita terkait",
        "artikel terkait",
        "editor:",
        "editor :",
        "penerjemah:",
        "pewarta:",
        "reporter:",
        "penulis:",
        "hak cipta",
        "copyright",
        "foto:",
        "foto :",
        "read also",
        "related:",
        "translator:",
    ];
    let mut furniture = Vec::new();
    let mut at = 0;
    for line in a.text.split_inclusive('\n') {
        let opening = line.trim_start().to_lowercase();
        if OPENINGS.iter().any(|o| opening.starts_with(o)) {
            furniture.push(at..at + line.len());
        }
        at += line.len();
    }
    let marked = a
        .spans
        .iter()
        .filter(|s| furniture.iter().any(|f| f.contains(&s.start)))
        .count();
    if verbose() && marked > 0 {
        eprintln!("  {marked} names marked in page furniture");
    }
    marked
}

/// With `JEJARING_MEASURE_VERBOSE=1`, what was missed and what was
/// extra is listed on stderr.
fn verbose() -> bool {
    std::env::var_os("JEJARING_MEASURE_VERBOSE").is_some_and(|v| v == "1")
}

fn source_of(graph: &Graph, file: &str, bytes: &[u8]) -> Option<u32> {
    if let Some(i) = graph.sources.iter().position(|s| &*s.file == file) {
        return Some(i as u32);
    }
    let head: String = String::from_utf8_lossy(bytes).chars().take(2000).collect();
    let head = normalize(&head);
    graph
        .sources
        .iter()
        .position(|s| !s.title.is_empty() && head.contains(&normalize(&s.title)))
        .map(|i| i as u32)
}

fn cited(graph: &Graph, source: u32) -> BTreeSet<u32> {
    graph
        .relations_of_source(source)
        .iter()
        .flat_map(|&r| [graph.relation(r).from, graph.relation(r).to])
        .collect()
}

fn mentions(graph: &Graph, source: u32, a: &ingest::Analysis) -> Score {
    let expected = cited(graph, source);
    let proposed: BTreeSet<u32> = a.mentions.iter().map(|m| m.entity).collect();
    let hit = proposed.intersection(&expected).count();
    if verbose() {
        for e in expected.difference(&proposed) {
            eprintln!("  missed mention {}", graph.entity(*e).id());
        }
        for e in proposed.difference(&expected) {
            eprintln!("  extra mention {}", graph.entity(*e).id());
        }
    }
    Score {
        hit_p: hit,
        proposed: proposed.len(),
        hit_r: hit,
        expected: expected.len(),
    }
}

fn relations(graph: &Graph, source: u32, a: &ingest::Analysis) -> Score {
    let key = |from: u32, to: u32, t: &str| {
        if is_symmetric(t) && to < from {
            (to, from, t.to_string())
        } else {
            (from, to, t.to_string())
        }
    };
    let together = |x: u32, y: u32| {
        a.sentence_entities
            .iter()
            .any(|s| s.contains(&x) && s.contains(&y))
    };
    let expected: BTreeSet<(u32, u32, String)> = graph
        .relations_of_source(source)
        .iter()
        .map(|&r| (graph.relation(r), graph.rel_type(r)))
        .filter(|(r, _)| together(r.from, r.to))
        .map(|(r, t)| key(r.from, r.to, t))
        .collect();
    let proposed: BTreeSet<(u32, u32, String)> = a
        .relations
        .iter()
        .map(|r| match (r.proposed.from, r.proposed.to) {
            (NodeKey::Known(f), NodeKey::Known(t)) => key(f, t, &r.proposed.rel_type),
            // A relation to a new entity cannot match a relation of the
            // dataset, whose ends are all known: it counts as proposed.
            _ => (u32::MAX, u32::MAX, format!("new {}", r.sentence)),
        })
        .collect();
    let hit = proposed.intersection(&expected).count();
    if verbose() {
        let id = |e: u32| graph.entities.get(e as usize).map_or("new", |e| e.id());
        for (f, t, ty) in expected.difference(&proposed) {
            eprintln!("  missed relation {} {ty} {}", id(*f), id(*t));
        }
        for (f, t, ty) in proposed.difference(&expected) {
            eprintln!("  extra relation {} {ty} {}", id(*f), id(*t));
        }
    }
    Score {
        hit_p: hit,
        proposed: proposed.len(),
        hit_r: hit,
        expected: expected.len(),
    }
}

/// Rows of a CSV file, header first.
fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("a dataset file")
        .records()
        .map(|r| r.expect("a CSV record"))
        .collect()
}

fn to_csv(rows: &[csv::StringRecord]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

fn new_entities(
    data: &Path,
    graph: &Graph,
    source: u32,
    bytes: &[u8],
    article: &ingest::Article,
) -> Score {
    // Entities every relation of which cites this source.
    let mut only: BTreeMap<u32, bool> = BTreeMap::new();
    for r in &graph.relations {
        let mine = r.source == source;
        for e in [r.from, r.to] {
            let v = only.entry(e).or_insert(true);
            *v &= mine;
        }
    }
    let text = normalize(&String::from_utf8_lossy(bytes));
    let padded = format!(" {text} ");
    let held: BTreeSet<u32> = only
        .into_iter()
        .filter(|&(_, v)| v)
        .map(|(e, _)| e)
        .collect();
    let names_of = |e: u32| -> Vec<String> {
        let e = graph.entity(e);
        std::iter::once(e.name())
            .chain(e.aliases().iter())
            .map(normalize)
            .filter(|n| !n.is_empty())
            .collect()
    };
    let expected: Vec<u32> = held
        .iter()
        .copied()
        .filter(|&e| {
            matches!(
                graph.entity(e).kind,
                Kind::Person | Kind::Organization | Kind::Company | Kind::Agreement
            )
        })
        .filter(|&e| {
            names_of(e)
                .iter()
                .any(|n| padded.contains(&format!(" {n} ")))
        })
        .collect();
    let held_ids: BTreeSet<&str> = held.iter().map(|&e| graph.entity(e).id()).collect();
    let entities: Vec<_> = csv_rows(&data.join("entities.csv"))
        .into_iter()
        .enumerate()
        .filter(|(i, r)| *i == 0 || !held_ids.contains(r.get(0).unwrap_or("")))
        .map(|(_, r)| r)
        .collect();
    let relations: Vec<_> = csv_rows(&data.join("relations.csv"))
        .into_iter()
        .enumerate()
        .filter(|(i, r)| {
            *i == 0
                || !(held_ids.contains(r.get(0).unwrap_or(""))
                    || held_ids.contains(r.get(1).unwrap_or("")))
        })
        .map(|(_, r)| r)
        .collect();
    let rest = dataset::load(
        &[DatasetSource::Memory {
            label: "held-out".into(),
            sources: std::fs::read(data.join("sources.csv")).unwrap().into(),
            entities: to_csv(&entities).into(),
            relations: to_csv(&relations).into(),
        }],
        &Quiet,
    )
    .expect("the dataset without the held-out entities loads");
    let a = ingest::ingest(&rest.graph, bytes, article).expect("an article");
    let matches = |cand: &str, e: u32| {
        let c = format!(" {} ", normalize(cand));
        names_of(e).iter().any(|n| {
            let n = format!(" {n} ");
            c.contains(&n) || n.contains(&c)
        })
    };
    if verbose() {
        for c in &a.entities {
            eprintln!("  new entity {} ({}) {}", c.id, c.kind, c.name);
        }
        for e in &expected {
            eprintln!("  expected new {}", graph.entity(*e).id());
        }
    }
    let hit_p = a
        .entities
        .iter()
        .filter(|c| expected.iter().any(|&e| matches(&c.name, e)))
        .count();
    let hit_r = expected
        .iter()
        .filter(|&&e| a.entities.iter().any(|c| matches(&c.name, e)))
        .count();
    Score {
        hit_p,
        proposed: a.entities.len(),
        hit_r,
        expected: expected.len(),
    }
}
