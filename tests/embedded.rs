//! The embedded dataset says what its articles say and no more: bodies the
//! parties only agreed to form, topics that were only talked about, an MoU
//! still being negotiated and a membership only alluded to are recorded as
//! such, and the facts the articles give about Tejas Networks, PT Pos
//! Indonesia, the Russia MoU's announcement and the strategic-partnership
//! declaration are there, each citing its article.

mod common;

use common::{code, jejaring, stderr, stdout};
use jejaring::dataset::{self, Quiet, embedded};
use jejaring::graph::Graph;

const INLENS: &str = "inlens-2025-indonesia-india-digital-alliance";
const INDIA_MEETING: &str = "unattributed-2025-indonesia-india-5g-ai-meeting";
const RUSSIA_TALKS: &str = "antara-2025-04-indonesia-russia-digital-ties";
const RUSSIA_MOU: &str = "antara-2025-indonesia-russia-digital-mou";
const JAPAN_MOC: &str = "egindo-2023-10-indonesia-japan-ict-memorandum";

fn load() -> dataset::Loaded {
    match dataset::load(&[embedded::source()], &Quiet) {
        Ok(l) => l,
        Err(e) => panic!("the embedded dataset does not load:\n{e}"),
    }
}

/// One relation as plain strings, for readable assertions.
#[derive(Debug)]
struct Rel {
    from: String,
    to: String,
    rel_type: String,
    start: String,
    source: String,
}

fn relations(g: &Graph) -> Vec<Rel> {
    let date = |d: Option<jejaring::model::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    (0..g.relations.len() as u32)
        .map(|i| {
            let r = g.relation(i);
            Rel {
                from: g.entity(r.from).id().to_string(),
                to: g.entity(r.to).id().to_string(),
                rel_type: g.rel_type(i).to_string(),
                start: date(r.start),
                source: g.source(r.source).id.to_string(),
            }
        })
        .collect()
}

/// The relations from `from` to `to` of type `ty`.
fn between<'a>(rels: &'a [Rel], from: &str, to: &str, ty: &str) -> Vec<&'a Rel> {
    rels.iter()
        .filter(|r| r.from == from && r.to == to && r.rel_type == ty)
        .collect()
}

/// Asserts exactly one relation `from -ty-> to`, citing `source`, and
/// returns it.
fn one<'a>(rels: &'a [Rel], from: &str, to: &str, ty: &str, source: &str) -> &'a Rel {
    let found = between(rels, from, to, ty);
    assert_eq!(found.len(), 1, "{from} -{ty}-> {to}: {found:?}");
    assert_eq!(found[0].source, source, "{from} -{ty}-> {to}");
    found[0]
}

fn none(rels: &[Rel], from: &str, to: &str, ty: &str) {
    let found = between(rels, from, to, ty);
    assert!(
        found.is_empty(),
        "unsupported {from} -{ty}-> {to}: {found:?}"
    );
}

#[test]
fn bodies_the_parties_only_agreed_to_form_are_not_established() {
    let g = load().graph;
    let rels = relations(&g);
    for body in [
        "india-indonesia-digital-jwg",
        "indonesia-russia-digital-subcommittee",
    ] {
        let est: Vec<_> = rels
            .iter()
            .filter(|r| r.to == body && r.rel_type == "established")
            .collect();
        assert!(est.is_empty(), "{body} is said to be established: {est:?}");
    }
    for party in ["indonesia", "india"] {
        let r = one(
            &rels,
            party,
            "india-indonesia-digital-jwg",
            "agreed_to_establish",
            INLENS,
        );
        assert_eq!(r.start, "2025-01");
    }
    for party in ["indonesia", "russia"] {
        one(
            &rels,
            party,
            "indonesia-russia-digital-subcommittee",
            "agreed_to_establish",
            RUSSIA_MOU,
        );
    }
}

#[test]
fn meetings_discuss_topics_and_agreements_cover_only_their_named_fields() {
    let g = load().graph;
    let rels = relations(&g);
    for meeting in [
        "meutya-chakravorty-meeting-2025",
        "indonesia-russia-deputy-ministers-meeting-2025-04-15",
    ] {
        let covers: Vec<_> = rels
            .iter()
            .filter(|r| r.from == meeting && r.rel_type == "covers")
            .collect();
        assert!(covers.is_empty(), "{meeting}: {covers:?}");
        assert_eq!(
            between(&rels, meeting, "5g", "discussed").len(),
            1,
            "{meeting}"
        );
    }
    let moc = "moc-indonesia-japan-ict-2023";
    for field in ["ict", "broadcasting", "postal-services"] {
        one(&rels, moc, field, "covers", JAPAN_MOC);
    }
    for talked in [
        "artificial-intelligence",
        "big-data",
        "internet-connectivity",
    ] {
        none(&rels, moc, talked, "covers");
        let r = one(&rels, "nezar-patria", talked, "discussed", JAPAN_MOC);
        assert_eq!(r.start, "2023-10");
    }
    // What a joint statement would say is not reported, only that one was
    // floated.
    let statement = "joint-statement-indonesia-india-digital-proposed";
    assert!(
        !rels
            .iter()
            .any(|r| r.from == statement && r.rel_type == "covers"),
        "{statement} covers a topic"
    );
    one(&rels, "meutya-hafid", statement, "proposed", INDIA_MEETING);
}

#[test]
fn the_telecom_mou_in_progress_is_not_a_proposal() {
    let g = load().graph;
    let rels = relations(&g);
    assert!(
        g.entity_index("mou-indonesia-india-telecom-proposed")
            .is_none()
    );
    let mou = "mou-indonesia-india-telecom-pending";
    let i = g.entity_index(mou).expect("the telecom MoU");
    assert!(
        g.entity(i).name().contains("in progress"),
        "{}",
        g.entity(i).name()
    );
    assert!(
        !rels.iter().any(|r| r.to == mou && r.rel_type == "proposed"),
        "the telecom MoU is still called proposed"
    );
    one(
        &rels,
        "sandeep-chakravorty",
        mou,
        "discussed",
        INDIA_MEETING,
    );
    one(
        &rels,
        "meutya-chakravorty-meeting-2025",
        mou,
        "discussed",
        INDIA_MEETING,
    );
}

#[test]
fn brics_membership_is_only_alluded_to() {
    let g = load().graph;
    let rels = relations(&g);
    none(&rels, "indonesia", "brics", "member_of");
    one(&rels, "meutya-hafid", "brics", "mentioned", INDIA_MEETING);
}

#[test]
fn the_ambassador_meeting_records_tejas_networks_readiness() {
    let g = load().graph;
    let rels = relations(&g);
    one(
        &rels,
        "meutya-hafid",
        "sandeep-chakravorty",
        "met_with",
        INDIA_MEETING,
    );
    one(
        &rels,
        "sandeep-chakravorty",
        "indonesia",
        "ambassador_to",
        INDIA_MEETING,
    );
    one(
        &rels,
        "sandeep-chakravorty",
        "tejas-networks",
        "mentioned",
        INDIA_MEETING,
    );
    let ready = one(
        &rels,
        "tejas-networks",
        "indonesia",
        "ready_to_work_in",
        INDIA_MEETING,
    );
    assert_eq!(ready.start, "2025");
}

#[test]
fn pos_indonesia_is_tied_to_the_japan_memorandum_through_its_signatory() {
    let g = load().graph;
    let rels = relations(&g);
    one(
        &rels,
        "nezar-patria",
        "pos-indonesia",
        "mentioned",
        JAPAN_MOC,
    );
    one(
        &rels,
        "nezar-patria",
        "moc-indonesia-japan-ict-2023",
        "signed",
        JAPAN_MOC,
    );
}

#[test]
fn the_russia_mou_announcement_and_the_declarations_ceremony_are_recorded() {
    let g = load().graph;
    let rels = relations(&g);
    one(
        &rels,
        "meutya-hafid",
        "mou-indonesia-russia-digital-2025",
        "announced",
        RUSSIA_MOU,
    );
    one(
        &rels,
        "declaration-indonesia-russia-strategic-partnership-2025",
        "indonesia-russia-agreements-exchange-2025",
        "part_of",
        RUSSIA_MOU,
    );
    // The April talks hoped for a media MoU; that stays a proposal.
    one(
        &rels,
        "nezar-patria",
        "mou-indonesia-russia-digital-media-proposed",
        "proposed",
        RUSSIA_TALKS,
    );
}

#[test]
fn every_type_is_in_the_vocabulary_and_the_new_types_are_used() {
    let loaded = load();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let rels = relations(&loaded.graph);
    let vocab: Vec<&str> = jejaring::model::VOCABULARY.iter().map(|v| v.0).collect();
    for r in &rels {
        assert!(vocab.contains(&r.rel_type.as_str()), "{r:?}");
    }
    for ty in [
        "agreed_to_establish",
        "announced",
        "discussed",
        "mentioned",
        "ready_to_work_in",
    ] {
        assert!(rels.iter().any(|r| r.rel_type == ty), "{ty} is unused");
    }
    // Every one of the five articles supports some relation.
    let g = &loaded.graph;
    assert_eq!(g.sources.len(), 5);
    for s in 0..g.sources.len() as u32 {
        assert!(!g.relations_of_source(s).is_empty(), "{}", g.source(s).id);
    }
    // The CLI's strict check agrees: no type outside the vocabulary.
    let out = jejaring(&["validate", "--strict"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).ends_with("; 0 warnings\n"), "{}", stdout(&out));
}
