//! One entity named in several datasets is one node: entities sharing an
//! external id in their `ids` column, and the ends of `same_as` relations,
//! are merged at load time, and every query sees what it would see in a
//! dataset merged by hand.

mod common;

use std::path::{Path, PathBuf};

use jejaring::dataset::{DatasetSource, Quiet, load};
use jejaring::graph::Graph;
use jejaring::query::{PathMode, PathQuery, paths};

const FIX: &str = "tests/fixtures/merge";

fn graph(dirs: &[PathBuf]) -> Graph {
    let sources: Vec<_> = dirs.iter().map(|d| DatasetSource::Dir(d.clone())).collect();
    load(&sources, &Quiet)
        .unwrap_or_else(|e| panic!("{dirs:?}: {:?}", e.0))
        .graph
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIX).join(name)
}

/// Every path between every pair of the hand-merged entities, as ids and,
/// for each hop, the type and source of every relation joining it.
fn all_paths(g: &Graph, ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for a in ids {
        for b in ids {
            let (Some(x), Some(y)) = (g.entity_index(a), g.entity_index(b)) else {
                panic!("{a} or {b} is not an entity");
            };
            let q = PathQuery {
                mode: PathMode::K(5),
                ..PathQuery::default()
            };
            for p in paths(g, x, y, &q).paths {
                let nodes: Vec<&str> = p.nodes.iter().map(|&n| g.entity(n).id()).collect();
                let hops: Vec<String> = p
                    .hops
                    .iter()
                    .map(|rels| {
                        rels.iter()
                            .map(|&r| {
                                format!("{}@{}", g.rel_type(r), g.source(g.relation(r).source).id)
                            })
                            .collect::<Vec<_>>()
                            .join("+")
                    })
                    .collect();
                out.push(format!("{} [{}]", nodes.join(" - "), hops.join(", ")));
            }
        }
    }
    out
}

fn hand() -> (Graph, Vec<String>) {
    let g = graph(&[fixture("hand")]);
    let ids = g.entities.iter().map(|e| e.id().to_string()).collect();
    (g, ids)
}

#[test]
fn entities_sharing_an_id_are_one_node_with_the_paths_of_a_hand_merge() {
    let (hand, ids) = hand();
    let merged = graph(&[fixture("by-ids-a"), fixture("by-ids-b")]);
    assert_eq!(merged.entities.len(), hand.entities.len());
    assert_eq!(merged.relations.len(), hand.relations.len());
    let expect = all_paths(&hand, &ids);
    assert!(
        expect.iter().any(|p| p.contains("bolt - acme - ministry")),
        "{expect:?}"
    );
    assert_eq!(all_paths(&merged, &ids), expect);
    // A member's own id finds the merged entity, which names its members.
    let acme = merged.entity_index("acme").unwrap();
    assert_eq!(merged.entity_index("acme-sa"), Some(acme));
    assert_eq!(merged.entity_index("q1"), merged.entity_index("ana"));
    let e = merged.entity(acme);
    assert_eq!(e.aliases().to_vec(), ["ACME S.A."]);
    let members = e
        .attrs
        .iter()
        .find(|(k, _)| merged.str(*k) == "merged")
        .map(|(_, v)| v.to_string())
        .unwrap();
    assert!(
        members.contains("acme (") && members.contains("by-ids-b/entities.csv:4)"),
        "{members}"
    );
}

#[test]
fn same_as_relations_merge_their_ends_without_a_hop() {
    let (hand, ids) = hand();
    let tmp = tempfile::tempdir().unwrap();
    // The two datasets without their ids, and a reviewed link file.
    let mut dirs = Vec::new();
    for name in ["by-ids-a", "by-ids-b"] {
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["sources.csv", "relations.csv"] {
            std::fs::copy(fixture(name).join(f), dir.join(f)).unwrap();
        }
        let ents = std::fs::read_to_string(fixture(name).join("entities.csv")).unwrap();
        let ents: String = ents
            .lines()
            .map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0))
            .collect();
        std::fs::write(dir.join("entities.csv"), ents).unwrap();
        dirs.push(dir);
    }
    let apart = graph(&dirs);
    assert_eq!(apart.entities.len(), 6);
    let link = tmp.path().join("link");
    std::fs::create_dir_all(&link).unwrap();
    std::fs::write(link.join("sources.csv"), "id,title\nreview,Link review\n").unwrap();
    std::fs::write(link.join("entities.csv"), "id,kind,name\n").unwrap();
    std::fs::write(
        link.join("relations.csv"),
        "from,to,type,source\nana,q1,same_as,review\nacme-sa,acme,same_as,review\n",
    )
    .unwrap();
    dirs.push(link);
    let merged = graph(&dirs);
    assert_eq!(merged.entities.len(), hand.entities.len());
    // Shortest paths are the hand merge's: a same_as is no hop.
    assert_eq!(all_paths(&merged, &ids), all_paths(&hand, &ids));
    // The same_as rows are still there, each a loop citing the review.
    let ana = merged.entity_index("ana").unwrap();
    let loops: Vec<u32> = (0..merged.relations.len() as u32)
        .filter(|&r| merged.rel_type(r) == "same_as")
        .collect();
    assert_eq!(loops.len(), 2);
    let r = merged.relation(loops[0]);
    assert_eq!((r.from, r.to), (ana, ana));
}
