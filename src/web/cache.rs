//! What the pages derive from a whole graph, computed once per graph
//! rather than per request: the home page's counts and lists (a sort of
//! every person and institution), the corpus highlighter (an
//! Aho-Corasick automaton over every name and alias, built when a source
//! text is first shown) and the PageRank of every entity (computed when
//! the canvas first opens a group, which it orders by).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock, Weak};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::graph::Graph;
use crate::model::{Date, Kind};
use crate::query::analysis::petgraph_algos::pagerank_scores;

/// Agreements listed on the home page, newest first.
pub(super) const HOME_AGREEMENTS: usize = 30;
/// People and institutions listed on the home page, most connected first.
pub(super) const HOME_MOST_CONNECTED: usize = 8;

pub(super) struct Derived {
    /// The graph this was derived from; held weakly so an old graph is
    /// freed after a reload even before the next request derives anew.
    graph: Weak<Graph>,
    pub home: Home,
    highlighter: OnceLock<Highlighter>,
    pagerank: OnceLock<Vec<f64>>,
}

impl Derived {
    pub(super) fn new(g: &Arc<Graph>) -> Derived {
        Derived {
            graph: Arc::downgrade(g),
            home: Home::new(g),
            highlighter: OnceLock::new(),
            pagerank: OnceLock::new(),
        }
    }

    pub(super) fn is_for(&self, g: &Arc<Graph>) -> bool {
        std::ptr::eq(self.graph.as_ptr(), Arc::as_ptr(g))
    }

    pub(super) fn highlighter(&self, g: &Graph) -> &Highlighter {
        self.highlighter.get_or_init(|| Highlighter::new(g))
    }

    /// The PageRank of every entity over every relation, by entity index.
    pub(super) fn pagerank(&self, g: &Graph) -> &[f64] {
        self.pagerank.get_or_init(|| pagerank_scores(g))
    }
}

/// The home page's facts, as entity indexes.
pub(super) struct Home {
    pub by_kind: Vec<(Kind, usize)>,
    pub agreements: Vec<(Option<Date>, u32)>,
    pub people: Vec<(u32, usize)>,
    pub institutions: Vec<(u32, usize)>,
}

impl Home {
    fn new(g: &Graph) -> Home {
        let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
        for e in &g.entities {
            *counts.entry(e.kind).or_default() += 1;
        }
        let mut agreements: Vec<(Option<Date>, u32)> = (0..g.entities.len() as u32)
            .filter(|&e| g.entity(e).kind == Kind::Agreement)
            .map(|e| (g.entity(e).start, e))
            .collect();
        agreements.sort_by(|a, b| {
            b.0.map(|d| d.first_day())
                .cmp(&a.0.map(|d| d.first_day()))
                .then_with(|| g.entity(a.1).name().cmp(g.entity(b.1).name()))
        });
        agreements.truncate(HOME_AGREEMENTS);
        Home {
            by_kind: counts.into_iter().collect(),
            agreements,
            people: most_connected(g, &[Kind::Person]),
            institutions: most_connected(g, &[Kind::Organization, Kind::Company]),
        }
    }
}

/// The most connected entities of some kinds, most first, then by name.
fn most_connected(g: &Graph, kinds: &[Kind]) -> Vec<(u32, usize)> {
    let mut v: Vec<(usize, u32)> = (0..g.entities.len() as u32)
        .filter(|&e| kinds.contains(&g.entity(e).kind))
        .map(|e| (g.degree(e), e))
        .collect();
    let order = |a: &(usize, u32), b: &(usize, u32)| {
        b.0.cmp(&a.0)
            .then_with(|| g.entity(a.1).name().cmp(g.entity(b.1).name()))
    };
    // Only the first few are shown: select them, then sort those.
    if v.len() > HOME_MOST_CONNECTED {
        v.select_nth_unstable_by(HOME_MOST_CONNECTED - 1, order);
        v.truncate(HOME_MOST_CONNECTED);
    }
    v.sort_by(order);
    v.into_iter().map(|(d, e)| (e, d)).collect()
}

/// Finds known entity names and aliases in a text: longest match first at
/// each word start, whole words only, ignoring ASCII case. Names shorter
/// than three characters are not matched (too many false hits); a name
/// several entities share links to the first in file order.
pub struct Highlighter {
    automaton: Option<AhoCorasick>,
    /// The entity of each pattern.
    entities: Vec<u32>,
}

impl Highlighter {
    pub fn new(g: &Graph) -> Highlighter {
        let mut names: BTreeMap<String, u32> = BTreeMap::new();
        for (i, e) in g.entities.iter().enumerate() {
            for name in std::iter::once(e.name()).chain(e.aliases().iter()) {
                let lower = name.trim().to_ascii_lowercase();
                if lower.chars().count() >= 3 {
                    names.entry(lower).or_insert(i as u32);
                }
            }
        }
        let (patterns, entities): (Vec<String>, Vec<u32>) = names.into_iter().unzip();
        // Standard semantics so every match is reported overlapping: the
        // longest whole-word match at a word start may hide behind a
        // shorter one that is not a whole word.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok();
        Highlighter {
            automaton,
            entities,
        }
    }

    /// The text as byte ranges, each plain (`None`) or a name of an entity.
    pub fn segments(&self, text: &str) -> Vec<(std::ops::Range<usize>, Option<u32>)> {
        let mut out = Vec::new();
        let mut plain = 0;
        if let Some(ac) = &self.automaton {
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            // The longest whole-word match starting at each word start.
            let mut best: BTreeMap<usize, (usize, u32)> = BTreeMap::new();
            for m in ac.find_overlapping_iter(text) {
                let (s, e) = (m.start(), m.end());
                if word(text[..s].chars().next_back()) || word(text[e..].chars().next()) {
                    continue;
                }
                let ent = self.entities[m.pattern().as_usize()];
                let slot = best.entry(s).or_insert((e, ent));
                if e > slot.0 {
                    *slot = (e, ent);
                }
            }
            for (s, (e, ent)) in best {
                if s < plain {
                    continue;
                }
                if plain < s {
                    out.push((plain..s, None));
                }
                out.push((s..e, Some(ent)));
                plain = e;
            }
        }
        if plain < text.len() {
            out.push((plain..text.len(), None));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{DatasetSource, Quiet, load};

    fn graph() -> Graph {
        let ds = DatasetSource::memory(
            "t",
            "id,title\ns,S\n",
            "id,kind,name,aliases,start,end\n\
             bi,organization,Bank Indonesia,BI,,\n\
             bank,organization,Bank,,,\n\
             jp,country,Japan,Nippon,,\n",
            "from,to,type,start,end,source,evidence\nbi,jp,met_with,,,s,x\n",
        );
        load(&[ds], &Quiet).unwrap().graph
    }

    fn marked(g: &Graph, text: &str) -> Vec<(String, String)> {
        Highlighter::new(g)
            .segments(text)
            .into_iter()
            .filter_map(|(r, e)| e.map(|e| (text[r].to_string(), g.entity(e).id().to_string())))
            .collect()
    }

    #[test]
    fn the_longest_whole_word_name_wins_ignoring_case() {
        let g = graph();
        assert_eq!(
            marked(&g, "BANK INDONESIA met nippon; a Bankrupt bank."),
            [
                ("BANK INDONESIA".to_string(), "bi".to_string()),
                ("nippon".to_string(), "jp".to_string()),
                ("bank".to_string(), "bank".to_string()),
            ]
        );
        // Two-letter aliases are not matched; nor are names inside words.
        assert!(marked(&g, "BI and Japanese").is_empty());
    }

    #[test]
    fn segments_cover_the_text_in_order() {
        let g = graph();
        let text = "Über Japan, then Bank Indonesia.";
        let segs = Highlighter::new(&g).segments(text);
        let joined: String = segs.iter().map(|(r, _)| &text[r.clone()]).collect();
        assert_eq!(joined, text);
        assert_eq!(segs.iter().filter(|(_, e)| e.is_some()).count(), 2);
    }

    #[test]
    fn derived_facts_belong_to_one_graph() {
        let a = Arc::new(graph());
        let b = Arc::new(graph());
        let d = Derived::new(&a);
        assert!(d.is_for(&a) && !d.is_for(&b));
        assert_eq!(d.home.institutions.len(), 2);
        assert_eq!(g_name(&a, d.home.institutions[0].0), "Bank Indonesia");
        let pr = d.pagerank(&a);
        assert_eq!(pr.len(), a.entities.len());
        assert!(std::ptr::eq(pr, d.pagerank(&a)), "computed once");
    }

    fn g_name(g: &Graph, e: u32) -> String {
        g.entity(e).name().to_string()
    }
}
