//! The analyses of `query::analysis` on small graphs with hand-checked
//! answers, and against brute-force oracles on generated graphs.

mod common;

use std::collections::VecDeque;

use jejaring::dataset::{self, DatasetSource, Quiet};
use jejaring::error::QueryError;
use jejaring::graph::{Graph, Walk};
use jejaring::model::{Kind, TimeFilter};
use jejaring::query::Filter;
use jejaring::query::analysis::{
    self, ChronoQuery, CommonQuery, RankBy, RankQuery, RelationsQuery, betweenness, chrono_path,
    degree_summary, rank, relations, timeline,
};
use proptest::prelude::*;

use common::{graph, ids};

fn id(g: &Graph, s: &str) -> u32 {
    g.entity_index(s).unwrap_or_else(|| panic!("no entity {s}"))
}

fn date(s: &str) -> jejaring::model::Date {
    s.parse().expect("a date")
}

fn param(e: QueryError) -> (String, String) {
    match e {
        QueryError::BadParameter { param, message } => (param, message),
        other => panic!("not a bad parameter: {other}"),
    }
}

/// `(id score rank)` of a ranking, for comparing with a hand-made list.
fn listing(g: &Graph, a: &analysis::RankAnswer) -> Vec<(String, f64, usize)> {
    a.entries
        .iter()
        .map(|r| (g.entity(r.entity).id().to_string(), r.score, r.rank))
        .collect()
}

fn row(id: &str, score: f64, rank: usize) -> (String, f64, usize) {
    (id.to_string(), score, rank)
}

// ---------------------------------------------------------------- rank

/// A hub `h` with three spokes, a pair `x`–`y` joined twice, `z` alone
/// but for a relation to itself, and a company `c` on one spoke.
const STAR: &str = "
    h a b c:company x y z
    h>a:met_with@2001..
    h>b:met_with@2002..
    h>c:works_for@2003..
    x>y:met_with
    y>x:met_with@2010..
    z>z:met_with
";

#[test]
fn degree_ranking_shares_ranks_and_skips() {
    let g = graph(STAR);
    let q = RankQuery {
        by: RankBy::Degree,
        filter: Filter::default(),
        limit: 0,
    };
    let a = rank(&g, &q).unwrap();
    assert_eq!(
        listing(&g, &a),
        [
            row("h", 3.0, 1),
            row("x", 2.0, 2),
            row("y", 2.0, 2),
            row("a", 1.0, 4),
            row("b", 1.0, 4),
            row("c", 1.0, 4),
            row("z", 1.0, 4),
        ]
    );
    assert_eq!(a.total, 7);
    assert!(a.exact);
    // The limit cuts the list, not the ranks or the total.
    let top = rank(&g, &RankQuery { limit: 4, ..q }).unwrap();
    assert_eq!(top.entries.len(), 4);
    assert_eq!(top.entries[3].rank, 4);
    assert_eq!(top.total, 7);
}

#[test]
fn rank_filters_choose_relations_and_listed_entities() {
    let g = graph(STAR);
    let filter = Filter {
        kinds: vec![Kind::Person],
        types: vec![g.type_sym("met_with").unwrap()],
        time: TimeFilter::Window {
            from: Some(date("2002")),
            until: None,
        },
        exclude_undated: false,
    };
    let q = RankQuery {
        by: RankBy::Degree,
        filter,
        limit: 0,
    };
    let a = rank(&g, &q).unwrap();
    // Only met_with counts, so h loses its works_for; met_with is a point
    // event, so the window from 2002 keeps h–b, met in 2002, but not h–a,
    // met in 2001, and keeps the undated x–y relations; c is a company and
    // not listed.
    assert_eq!(
        listing(&g, &a),
        [
            row("x", 2.0, 1),
            row("y", 2.0, 1),
            row("b", 1.0, 3),
            row("h", 1.0, 3),
            row("z", 1.0, 3),
            row("a", 0.0, 6),
        ]
    );
    let types_only = Filter {
        types: vec![g.type_sym("works_for").unwrap()],
        ..Filter::default()
    };
    let a = rank(
        &g,
        &RankQuery {
            by: RankBy::Degree,
            filter: types_only,
            limit: 2,
        },
    )
    .unwrap();
    assert_eq!(listing(&g, &a), [row("c", 1.0, 1), row("h", 1.0, 1)]);
}

#[test]
fn a_window_ending_before_it_starts_is_refused_everywhere() {
    let g = graph(STAR);
    let time = TimeFilter::Window {
        from: Some(date("2020")),
        until: Some(date("2019")),
    };
    let filter = Filter {
        time,
        ..Filter::default()
    };
    let q = RankQuery {
        by: RankBy::Degree,
        filter: filter.clone(),
        limit: 0,
    };
    assert_eq!(param(rank(&g, &q).unwrap_err()).0, "until");
    let h = id(&g, "h");
    assert!(timeline(&g, h, &filter).is_err());
    let rq = RelationsQuery {
        time,
        ..Default::default()
    };
    assert!(relations(&g, &rq).is_err());
    let cq = ChronoQuery {
        time,
        ..Default::default()
    };
    assert!(chrono_path(&g, h, id(&g, "a"), &cq).is_err());
    let common = CommonQuery {
        entities: vec![h, id(&g, "a")],
        filter,
        ..Default::default()
    };
    assert!(analysis::common(&g, &common).is_err());
}

/// A graph whose relations carry an `amount` column, one of them not a
/// number when `bad` is set.
fn money(bad: bool) -> Graph {
    let entities = "id,kind,name\na,company,A\nb,company,B\nc,company,C\nd,company,D\n";
    let relations = format!(
        "from,to,type,start,source,evidence,amount,note\n\
         a,b,invests_in,2001,s,x,10.5,\n\
         a,c,invests_in,2002,s,x,4,big\n\
         b,c,invests_in,2003,s,x,{},\n\
         c,c,owns,2004,s,x,100,\n\
         d,a,owns,2005,s,x,,\n",
        if bad { "lots" } else { "-2" }
    );
    let ds = DatasetSource::memory("money", "id,title\ns,S\n", entities, &relations);
    dataset::load(&[ds], &Quiet).expect("loads").graph
}

#[test]
fn sums_add_a_column_over_both_ends() {
    let g = money(false);
    let q = RankQuery {
        by: RankBy::parse("by", "sum:amount").unwrap(),
        filter: Filter::default(),
        limit: 0,
    };
    let a = rank(&g, &q).unwrap();
    // a: 10.5 + 4; b: 10.5 − 2; c: 4 − 2 + 100 (its own relation once);
    // d: only a relation with no amount.
    assert_eq!(
        listing(&g, &a),
        [
            row("c", 102.0, 1),
            row("a", 14.5, 2),
            row("b", 8.5, 3),
            row("d", 0.0, 4),
        ]
    );
    // The time window drops the relations of 2003 and later.
    let early = RankQuery {
        filter: Filter {
            time: TimeFilter::Window {
                from: None,
                until: Some(date("2002")),
            },
            ..Filter::default()
        },
        ..q
    };
    let a = rank(&g, &early).unwrap();
    assert_eq!(a.entries[0].entity, id(&g, "a"));
    assert_eq!(a.entries[0].score, 14.5);
}

#[test]
fn sum_errors_list_columns_and_name_bad_values_by_line() {
    let g = money(false);
    let q = RankQuery {
        by: RankBy::Sum("amont".into()),
        filter: Filter::default(),
        limit: 0,
    };
    let (p, msg) = param(rank(&g, &q).unwrap_err());
    assert_eq!(p, "by");
    assert!(msg.contains("unknown column \"amont\""), "{msg}");
    assert!(msg.contains("amount, note"), "{msg}");
    let bad = money(true);
    let q = RankQuery {
        by: RankBy::Sum("amount".into()),
        ..q
    };
    let (_, msg) = param(rank(&bad, &q).unwrap_err());
    // The header is line 1: the fourth record is on line 4.
    assert!(msg.contains("relations.csv:4 (\"lots\")"), "{msg}");
    assert!(!msg.contains("more"), "{msg}");
    assert!(RankBy::parse("by", "sum:").is_err());
    assert!(RankBy::parse("by", "pagerankk").is_err());
}

#[test]
fn more_than_five_bad_values_are_counted_not_listed() {
    let entities = "id,kind,name\na,company,A\nb,company,B\n";
    let mut relations = String::from("from,to,type,source,evidence,amount\n");
    for i in 0..8 {
        relations.push_str(&format!("a,b,owns,s,x,n{i}\n"));
    }
    let ds = DatasetSource::memory("many", "id,title\ns,S\n", entities, &relations);
    let g = dataset::load(&[ds], &Quiet).expect("loads").graph;
    let q = RankQuery {
        by: RankBy::Sum("amount".into()),
        filter: Filter::default(),
        limit: 0,
    };
    let (_, msg) = param(rank(&g, &q).unwrap_err());
    assert!(msg.contains(":6 (\"n4\")"), "{msg}");
    assert!(!msg.contains("n5"), "{msg}");
    assert!(msg.ends_with("and 3 more"), "{msg}");
}

// ---------------------------------------------------------- betweenness

#[test]
fn betweenness_of_a_path_a_star_and_parallel_relations() {
    // a – b – c – d, and b – c joined twice more: still one edge.
    let g = graph(
        "a b c d
         a>b:met_with
         b>c:met_with
         c>b:met_with
         b>c:works_for
         c>d:met_with",
    );
    let b = betweenness(&g, &Filter::default(), None, 1).unwrap();
    assert!(b.is_exact());
    let score = |s: &str| b.scores[id(&g, s) as usize];
    // b lies on a–c and a–d; c on b–d and a–d.
    assert_eq!(
        (score("a"), score("b"), score("c"), score("d")),
        (0.0, 2.0, 2.0, 0.0)
    );
    // A star of four spokes: the hub is on all six pairs of spokes.
    let star = graph("h p q r s\nh>p\nh>q\nh>r\nh>s");
    let b = betweenness(&star, &Filter::default(), None, 1).unwrap();
    assert_eq!(b.scores[id(&star, "h") as usize], 6.0);
    // A square: each corner carries half of the one pair across it.
    let square = graph("a b c d\na>b\nb>c\nc>d\nd>a");
    let b = betweenness(&square, &Filter::default(), None, 1).unwrap();
    assert_eq!(b.scores, [0.5; 4]);
}

#[test]
fn betweenness_ranking_lists_the_broker_first() {
    let g = graph(STAR);
    let q = RankQuery {
        by: RankBy::Betweenness {
            samples: None,
            seed: 1,
        },
        filter: Filter::default(),
        limit: 2,
    };
    let a = rank(&g, &q).unwrap();
    // h joins each of the three pairs of its spokes.
    assert_eq!(listing(&g, &a), [row("h", 3.0, 1), row("a", 0.0, 2)]);
    assert!(a.exact && a.samples.is_none());
    let zero = RankQuery {
        by: RankBy::Betweenness {
            samples: Some(0),
            seed: 1,
        },
        ..q
    };
    assert_eq!(param(rank(&g, &zero).unwrap_err()).0, "samples");
}

/// Betweenness by counting every pair's shortest paths, with
/// breadth-first searches from every entity over distinct neighbours.
fn betweenness_oracle(g: &Graph) -> Vec<f64> {
    let n = g.entities.len();
    let nbrs: Vec<Vec<u32>> = (0..n as u32)
        .map(|v| {
            let mut o: Vec<u32> = g.others(v).filter(|&w| w != v).collect();
            o.sort_unstable();
            o.dedup();
            o
        })
        .collect();
    // dist[s][v] and the number of shortest paths sigma[s][v].
    let mut dist = vec![vec![usize::MAX; n]; n];
    let mut sigma = vec![vec![0f64; n]; n];
    for s in 0..n {
        dist[s][s] = 0;
        sigma[s][s] = 1.0;
        let mut queue = VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            for &w in &nbrs[v] {
                let w = w as usize;
                if dist[s][w] == usize::MAX {
                    dist[s][w] = dist[s][v] + 1;
                    queue.push_back(w);
                }
                if dist[s][w] == dist[s][v] + 1 {
                    sigma[s][w] += sigma[s][v];
                }
            }
        }
    }
    let mut out = vec![0f64; n];
    for s in 0..n {
        for t in s + 1..n {
            if dist[s][t] == usize::MAX {
                continue;
            }
            for v in 0..n {
                if v != s
                    && v != t
                    && dist[s][v] != usize::MAX
                    && dist[v][t] != usize::MAX
                    && dist[s][v] + dist[v][t] == dist[s][t]
                {
                    out[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
                }
            }
        }
    }
    out
}

#[test]
fn sampled_betweenness_is_seeded_and_within_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = jejaring::generate::GenerateConfig {
        entities: 300,
        relations: 900,
        seed: 3,
    };
    jejaring::generate::generate(&cfg, dir.path()).unwrap();
    let src = DatasetSource::Dir(dir.path().to_path_buf());
    let g = dataset::load(&[src], &Quiet).unwrap().graph;
    let f = Filter::default();
    let exact = betweenness(&g, &f, None, 1).unwrap();
    let oracle = betweenness_oracle(&g);
    for (a, b) in exact.scores.iter().zip(&oracle) {
        assert!((a - b).abs() <= 1e-6 * b.max(1.0), "{a} vs {b}");
    }
    // Drawing every entity is the exact computation.
    let all = betweenness(&g, &f, Some(exact.population), 9).unwrap();
    assert!(all.is_exact());
    let one = betweenness(&g, &f, Some(100), 4).unwrap();
    let again = betweenness(&g, &f, Some(100), 4).unwrap();
    assert_eq!(one, again);
    assert_eq!(one.sources, 100);
    let errors = one.std_errors.as_ref().expect("an estimate has errors");
    // The estimate is unbiased: summed over entities, the relative error
    // is small; and the biggest brokers' estimates lie within a few
    // standard errors of the truth.
    let total_exact: f64 = exact.scores.iter().sum();
    let total_est: f64 = one.scores.iter().sum();
    assert!((total_est - total_exact).abs() < 0.1 * total_exact);
    let mut top: Vec<usize> = (0..g.entities.len()).collect();
    top.sort_by(|&a, &b| exact.scores[b].total_cmp(&exact.scores[a]));
    for &v in &top[..10] {
        let gap = (one.scores[v] - exact.scores[v]).abs();
        assert!(errors[v] > 0.0);
        assert!(
            gap <= 5.0 * errors[v],
            "entity {v}: {gap} > 5 × {}",
            errors[v]
        );
    }
}

// ---------------------------------------------------------------- common

const BOARDS: &str = "
    p q r d1 d2 d3 hub far
    d1>p:director_of
    d1>q:director_of
    d1>r:director_of
    d2>p:director_of
    d2>q:director_of
    hub>p:member_of
    hub>q:member_of
    hub>r:member_of
    hub>far:member_of
    hub>d3:member_of
    d3>far:member_of
    p>q:owns@2010..2012
";

#[test]
fn common_ties_rank_specific_ones_first() {
    let g = graph(BOARDS);
    let (p, q) = (id(&g, "p"), id(&g, "q"));
    let a = analysis::common(
        &g,
        &CommonQuery {
            entities: vec![p, q],
            ..Default::default()
        },
    )
    .unwrap();
    // d2 (2 relations) before d1 (3) before hub (5); p and q themselves,
    // though joined, are never hits.
    assert_eq!(ids(&g, a.hits.iter().map(|h| h.entity)), "d2 d1 hub");
    assert_eq!(a.total, 3);
    let d1 = &a.hits[1];
    assert_eq!(d1.relations, 3);
    assert_eq!(d1.links.len(), 2);
    assert!(
        d1.links
            .iter()
            .all(|l| l.distance == 1 && l.relations.len() == 1)
    );
    assert_eq!(g.relation(d1.links[1].relations[0]).to, q);
    // With r too, d2 drops out.
    let r = id(&g, "r");
    let a = analysis::common(
        &g,
        &CommonQuery {
            entities: vec![p, q, r],
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ids(&g, a.hits.iter().map(|h| h.entity)), "d1");
    assert_eq!(a.total, 2);
}

#[test]
fn common_at_depth_two_names_who_is_in_between() {
    let g = graph(BOARDS);
    let (p, far) = (id(&g, "p"), id(&g, "far"));
    let a = analysis::common(
        &g,
        &CommonQuery {
            entities: vec![p, far],
            depth: 2,
            ..Default::default()
        },
    )
    .unwrap();
    // hub is next to both; d3 is next to far and two from p (via hub);
    // q is next to p and two from far (via hub); r is two from each. d1
    // and d2 are three from far: not hits. Of the two at distance 3, d3
    // has fewer relations (2) than q (4).
    let got: Vec<(String, u32)> = a
        .hits
        .iter()
        .map(|h| (g.entity(h.entity).id().to_string(), h.distance))
        .collect();
    let expect = [("hub", 2), ("d3", 3), ("q", 3), ("r", 4)];
    let expect: Vec<(String, u32)> = expect.iter().map(|(s, d)| (s.to_string(), *d)).collect();
    assert_eq!(got, expect);
    let d3 = &a.hits[1];
    assert_eq!(d3.links[0].distance, 2);
    assert_eq!(ids(&g, d3.links[0].via.iter().copied()), "hub");
    assert_eq!(d3.links[1].distance, 1);
    // q reaches far only through hub; r reaches p through d1 and hub.
    assert_eq!(ids(&g, a.hits[2].links[1].via.iter().copied()), "hub");
    let r = &a.hits[3];
    assert_eq!(ids(&g, r.links[0].via.iter().copied()), "d1 hub");
    assert_eq!(r.links[0].via_total, 2);
}

#[test]
fn common_refuses_too_few_or_repeated_entities() {
    let g = graph(BOARDS);
    let p = id(&g, "p");
    let one = CommonQuery {
        entities: vec![p],
        ..Default::default()
    };
    assert_eq!(param(analysis::common(&g, &one).unwrap_err()).0, "entities");
    let twice = CommonQuery {
        entities: vec![p, p],
        ..Default::default()
    };
    let (_, msg) = param(analysis::common(&g, &twice).unwrap_err());
    assert!(msg.contains("twice"), "{msg}");
    let deep = CommonQuery {
        entities: vec![p, id(&g, "q")],
        depth: 3,
        ..Default::default()
    };
    assert_eq!(param(analysis::common(&g, &deep).unwrap_err()).0, "depth");
}

// ---------------------------------------------------------------- chrono

#[test]
fn chronological_paths_never_go_back_in_time() {
    // The short way a–b–d goes back in time (2005 then 2003); the long
    // way a–c–e–d keeps going forward.
    let g = graph(
        "a b c d e
         a>b@2005..
         b>d@2003..
         a>c@2001..
         c>e@2001-06..
         e>d@2002..
         a>d",
    );
    let (a, d) = (id(&g, "a"), id(&g, "d"));
    let q = ChronoQuery::default();
    let p = chrono_path(&g, a, d, &q).unwrap().expect("a path");
    assert_eq!(ids(&g, p.nodes.iter().copied()), "a c e d");
    let dates: Vec<String> = p.hops.iter().map(|h| h.date.unwrap().to_string()).collect();
    assert_eq!(dates, ["2001", "2001-06", "2002"]);
    // Undated hops allowed: the direct undated relation is one hop.
    let undated = ChronoQuery {
        allow_undated: true,
        ..ChronoQuery::default()
    };
    let p = chrono_path(&g, a, d, &undated).unwrap().expect("a path");
    assert_eq!(ids(&g, p.nodes.iter().copied()), "a d");
    assert_eq!(p.hops[0].date, None);
    // Two hops are not enough for the forward way.
    let short = ChronoQuery {
        max_hops: 2,
        ..ChronoQuery::default()
    };
    assert_eq!(chrono_path(&g, a, d, &short).unwrap(), None);
    let zero = ChronoQuery {
        max_hops: 0,
        ..ChronoQuery::default()
    };
    assert_eq!(
        param(chrono_path(&g, a, d, &zero).unwrap_err()).0,
        "max_hops"
    );
}

#[test]
fn an_earlier_arrival_with_more_hops_opens_a_way() {
    // d is reached in one hop in 2010 and in two by 2002; only the
    // earlier arrival can go on to f (2005). The search must not drop
    // it for having taken more hops.
    let g = graph(
        "s m d f
         s>d@2010..
         s>m@2001..
         m>d@2002..
         d>f@2005..",
    );
    let p = chrono_path(&g, id(&g, "s"), id(&g, "f"), &ChronoQuery::default())
        .unwrap()
        .expect("a path");
    assert_eq!(ids(&g, p.nodes.iter().copied()), "s m d f");
}

/// Every simple path of at most `max` hops from `a` to `b`, each relation
/// chosen separately: the fewest hops of one whose dates never decrease.
fn chrono_oracle(g: &Graph, a: u32, b: u32, max: usize, undated: bool) -> Option<usize> {
    struct Oracle<'a> {
        g: &'a Graph,
        b: u32,
        max: usize,
        undated: bool,
        on: Vec<u32>,
        best: Option<usize>,
    }
    impl Oracle<'_> {
        fn go(&mut self, at: u32, time: u32, hops: usize) {
            if at == self.b {
                self.best = Some(self.best.map_or(hops, |x| x.min(hops)));
                return;
            }
            if hops == self.max {
                return;
            }
            let g = self.g;
            for s in g.steps(at, Walk::Both) {
                if self.on.contains(&s.other) {
                    continue;
                }
                let next = match g.relation(s.rel).start {
                    Some(d) if d.first_day() >= time => d.first_day(),
                    None if self.undated => time,
                    _ => continue,
                };
                self.on.push(s.other);
                self.go(s.other, next, hops + 1);
                self.on.pop();
            }
        }
    }
    let mut o = Oracle {
        g,
        b,
        max,
        undated,
        on: vec![a],
        best: None,
    };
    o.go(a, 0, 0);
    o.best
}

/// A spec of `n` entities and the given relations, each with a start year
/// of 2000 + its value (or undated for `None`).
fn spec(n: usize, rels: &[(usize, usize, Option<u8>)]) -> String {
    let mut s: String = (0..n).map(|i| format!("e{i} ")).collect();
    s.push('\n');
    for &(f, t, y) in rels {
        match y {
            Some(y) => s.push_str(&format!(
                "e{}>e{}@{}..\n",
                f % n,
                t % n,
                2000 + u32::from(y)
            )),
            None => s.push_str(&format!("e{}>e{}\n", f % n, t % n)),
        }
    }
    s
}

fn relations_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize, Option<u8>)>)> {
    (2usize..8).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n, prop::option::weighted(0.8, 0u8..6)), 1..16),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn chrono_paths_are_the_shortest_the_oracle_finds(
        (n, rels) in relations_strategy(),
        undated in any::<bool>(),
        max in 1u32..6,
    ) {
        let g = graph(&spec(n, &rels));
        let q = ChronoQuery { max_hops: max, allow_undated: undated, ..ChronoQuery::default() };
        for a in 0..n as u32 {
            for b in 0..n as u32 {
                let got = chrono_path(&g, a, b, &q).unwrap();
                let want = chrono_oracle(&g, a, b, max as usize, undated);
                prop_assert_eq!(got.as_ref().map(|p| p.hops.len()), want);
                if let Some(p) = got {
                    // The path is real, simple and respects time.
                    let mut seen = p.nodes.clone();
                    seen.sort_unstable();
                    seen.dedup();
                    prop_assert_eq!(seen.len(), p.nodes.len());
                    let mut t = 0;
                    for h in &p.hops {
                        let r = g.relation(h.relation);
                        prop_assert!((r.from, r.to) == (h.from, h.to) || (r.to, r.from) == (h.from, h.to));
                        if let Some(d) = r.start {
                            prop_assert!(d.first_day() >= t);
                            t = d.first_day();
                        } else {
                            prop_assert!(undated);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn exact_betweenness_matches_counting_every_pair((n, rels) in relations_strategy()) {
        let g = graph(&spec(n, &rels));
        let b = betweenness(&g, &Filter::default(), None, 1).unwrap();
        let oracle = betweenness_oracle(&g);
        for (x, y) in b.scores.iter().zip(&oracle) {
            prop_assert!((x - y).abs() < 1e-9, "{} vs {}", x, y);
        }
    }

    #[test]
    fn rank_by_degree_is_a_count_of_relations(
        (n, rels) in relations_strategy(),
        limit in 0usize..6,
    ) {
        let g = graph(&spec(n, &rels));
        let q = RankQuery { by: RankBy::Degree, filter: Filter::default(), limit };
        let got = rank(&g, &q).unwrap();
        // The oracle: count each entity's relations (a loop once), order
        // by count then id, keep the first `limit`, rank by competition.
        let mut want: Vec<(usize, String, u32)> = (0..n as u32)
            .map(|e| {
                let count = (0..g.relations.len() as u32)
                    .filter(|&r| { let x = g.relation(r); x.from == e || x.to == e })
                    .count();
                (count, g.entity(e).id().to_string(), e)
            })
            .collect();
        want.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        prop_assert_eq!(got.total, n);
        let cut = if limit == 0 { n } else { limit.min(n) };
        prop_assert_eq!(got.entries.len(), cut);
        for (i, r) in got.entries.iter().enumerate() {
            prop_assert_eq!(r.entity, want[i].2);
            prop_assert_eq!(r.score as usize, want[i].0);
            let better = want.iter().filter(|w| w.0 > want[i].0).count();
            prop_assert_eq!(r.rank, better + 1);
        }
    }

    #[test]
    fn common_ties_are_the_intersection_of_what_each_reaches(
        (n, rels) in relations_strategy(),
        depth in 1u32..3,
    ) {
        let g = graph(&spec(n, &rels));
        // Within `depth` hops of x (x itself not counted), by BFS.
        let reach = |x: u32| -> std::collections::BTreeSet<u32> {
            let mut dist = vec![u32::MAX; n];
            dist[x as usize] = 0;
            let mut queue = VecDeque::from([x]);
            while let Some(u) = queue.pop_front() {
                if dist[u as usize] == depth {
                    continue;
                }
                for s in g.steps(u, Walk::Both) {
                    if dist[s.other as usize] == u32::MAX {
                        dist[s.other as usize] = dist[u as usize] + 1;
                        queue.push_back(s.other);
                    }
                }
            }
            (0..n as u32).filter(|&e| e != x && dist[e as usize] <= depth).collect()
        };
        for a in 0..n as u32 {
            for b in (a + 1)..n as u32 {
                let q = CommonQuery { entities: vec![a, b], depth, limit: 0, ..CommonQuery::default() };
                let got: std::collections::BTreeSet<u32> =
                    analysis::common(&g, &q).unwrap().hits.iter().map(|h| h.entity).collect();
                let want: std::collections::BTreeSet<u32> = reach(a)
                    .intersection(&reach(b))
                    .copied()
                    .filter(|&e| e != a && e != b)
                    .collect();
                prop_assert_eq!(got, want, "entities {} and {} at depth {}", a, b, depth);
            }
        }
    }

    #[test]
    fn relation_pages_add_up_to_the_total(
        (n, rels) in relations_strategy(),
        limit in 1usize..5,
    ) {
        let g = graph(&spec(n, &rels));
        let time = TimeFilter::Window { from: Some(date("2002")), until: Some(date("2003")) };
        let want: Vec<u32> = (0..g.relations.len() as u32)
            .filter(|&r| time.holds(g.relation(r).start, g.relation(r).end))
            .collect();
        let mut got = Vec::new();
        let mut offset = 0;
        loop {
            let q = RelationsQuery { time, limit, offset, ..Default::default() };
            let page = relations(&g, &q).unwrap();
            prop_assert_eq!(page.total, want.len());
            if page.relations.is_empty() {
                break;
            }
            prop_assert!(page.relations.len() <= limit);
            got.extend(page.relations);
            offset += limit;
        }
        prop_assert_eq!(got, want);
    }
}

// -------------------------------------------------- timeline, relations

#[test]
fn a_timeline_is_in_date_order_with_undated_last() {
    let g = graph(
        "x a b c d
         x>a:met_with@2005-03..
         b>x:works_for@2001..2004
         x>c:met_with
         x>d:met_with@2005..2006
         x>a:met_with@2005..",
    );
    let x = id(&g, "x");
    let t = timeline(&g, x, &Filter::default()).unwrap();
    // 2001; then the two of 2005 (its first day) — the one with an end
    // first; then 2005-03.
    let order: Vec<u32> = t.dated.iter().map(|e| e.relation).collect();
    assert_eq!(order, [1, 3, 4, 0]);
    assert_eq!(t.undated.len(), 1);
    assert_eq!(t.undated[0].other, id(&g, "c"));
    assert!(!t.dated[0].outgoing);
    assert_eq!(t.dated[0].source, g.relation(1).source);
    let works = Filter {
        types: vec![g.type_sym("works_for").unwrap()],
        ..Filter::default()
    };
    let t = timeline(&g, x, &works).unwrap();
    assert_eq!((t.dated.len(), t.undated.len()), (1, 0));
}

#[test]
fn relations_are_listed_by_role_ignoring_case() {
    let entities = "id,kind,name\na,person,A\nb,organization,B\nc,person,C\n";
    let rows = "from,to,type,role,start,source,evidence\n\
        a,b,holds_position,Director General,2001,s,x\n\
        c,b,holds_position,deputy director,2002,s,x\n\
        a,c,met_with,,2003,s,x\n\
        c,b,works_for,Adviser,2004,s,x\n";
    let ds = DatasetSource::memory("roles", "id,title\ns,S\n", entities, rows);
    let g = dataset::load(&[ds], &Quiet).expect("loads").graph;
    let q = RelationsQuery {
        role: "DIRECTOR".into(),
        ..Default::default()
    };
    let page = relations(&g, &q).unwrap();
    assert_eq!((page.relations.clone(), page.total), (vec![0, 1], 2));
    let second = relations(
        &g,
        &RelationsQuery {
            limit: 1,
            offset: 1,
            ..q
        },
    )
    .unwrap();
    assert_eq!((second.relations, second.total), (vec![1], 2));
    let typed = RelationsQuery {
        types: vec![g.type_sym("works_for").unwrap()],
        ..Default::default()
    };
    assert_eq!(relations(&g, &typed).unwrap().relations, [3]);
    let bad = RelationsQuery {
        limit: 0,
        ..Default::default()
    };
    assert_eq!(param(relations(&g, &bad).unwrap_err()).0, "limit");
}

#[test]
fn the_degree_summary_of_the_star() {
    let g = graph(STAR);
    let d = degree_summary(&g);
    // Degrees: h 3, x 2, y 2, a b c z 1 — sorted 1 1 1 1 2 2 3.
    assert_eq!((d.entities, d.min, d.max), (7, 1, 3));
    assert_eq!(d.median, 1.0);
    assert_eq!(d.mean, 11.0 / 7.0);
    assert_eq!((d.p90, d.p99), (3, 3));
}
