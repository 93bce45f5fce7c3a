//! `ingest`: articles written for these tests (tests/fixtures/ingest/,
//! furniture included) against a small dataset of their own, and the
//! review CSV applied to a copy of that dataset.

mod common;

use std::path::{Path, PathBuf};

use jejaring::dataset::{self, Quiet};
use jejaring::graph::Graph;
use jejaring::ingest::{self, Analysis, Article, IngestError, review};
use jejaring::model::Date;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest")
}

fn graph() -> Graph {
    dataset::load_dirs(&[fixtures().join("data")], &Quiet)
        .unwrap()
        .graph
}

fn article(published: &str) -> Article {
    Article {
        source_id: "warta-2025-test".into(),
        title: "Uji".into(),
        published: Some(published.parse().unwrap()),
        ..Article::default()
    }
}

fn analyse(g: &Graph, file: &str) -> Analysis {
    let bytes = std::fs::read(fixtures().join(file)).unwrap();
    ingest::ingest(g, &bytes, &article("2025-04")).unwrap()
}

fn mentioned(g: &Graph, a: &Analysis) -> Vec<String> {
    let mut ids: Vec<String> = a
        .mentions
        .iter()
        .map(|m| g.entity(m.entity).id().to_string())
        .collect();
    ids.sort();
    ids
}

/// Relations as `from type to [date]`.
fn relations(g: &Graph, a: &Analysis) -> Vec<String> {
    a.relations
        .iter()
        .map(|r| {
            let p = &r.proposed;
            let date = p.date.map(|d| format!(" {d}")).unwrap_or_default();
            format!(
                "{} {} {}{date}",
                a.id_of(g, p.from),
                p.rel_type,
                a.id_of(g, p.to)
            )
        })
        .collect()
}

#[test]
fn mentions_are_found_after_titles_through_acronyms_and_clitics() {
    let g = graph();
    let a = analyse(&g, "signing.txt");
    let ids = mentioned(&g, &a);
    for id in [
        "budi-santika",
        "tran-van-long",
        "kemenkes",
        "norway",
        "lars-berg",
        "vaksin-topic",
        "telemedicine",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} not in {ids:?}");
    }
    let budi = a
        .mentions
        .iter()
        .find(|m| g.entity(m.entity).id() == "budi-santika")
        .unwrap();
    assert_eq!(budi.title.as_deref(), Some("Menteri"));
    // "Budinya" (with the clitic) is Budi Santika in the sentence that
    // names the ministry by its acronym.
    let sentence = a
        .sentences
        .iter()
        .position(|s| a.text[s.start..s.end].starts_with("Budinya"))
        .unwrap();
    let here: Vec<&str> = a.sentence_entities[sentence]
        .iter()
        .map(|&e| g.entity(e).id())
        .collect();
    assert!(
        here.contains(&"budi-santika") && here.contains(&"kemenkes"),
        "{here:?}"
    );
}

#[test]
fn an_acronym_defined_in_parentheses_names_the_entity_later() {
    let g = graph();
    let text =
        "Kementerian Luar Negeri (Kemlu) menggelar rapat.\nKemlu juga mengundang wartawan.\n";
    let a = ingest::analyse(&g, text.into(), None);
    let kemlu = g.entity_index("kemenlu").unwrap();
    assert!(
        a.sentence_entities[1].contains(&kemlu),
        "{:?}",
        a.sentence_entities
    );
}

#[test]
fn new_entities_are_proposed_with_kind_and_id() {
    let g = graph();
    let a = analyse(&g, "meeting.txt");
    let new: Vec<String> = a
        .entities
        .iter()
        .map(|e| format!("{} {} {}", e.id, e.kind, e.name))
        .collect();
    for want in [
        "rudi-hartono person Rudi Hartono",
        "ayu-lestari person Ayu Lestari",
        "badan-riset-kesehatan-nasional organization Badan Riset Kesehatan Nasional",
        "lumina-networks company Lumina Networks",
    ] {
        assert!(new.contains(&want.to_string()), "{want} not in {new:?}");
    }
    let a = analyse(&g, "signing.txt");
    let new: Vec<String> = a
        .entities
        .iter()
        .map(|e| format!("{} {}", e.id, e.kind))
        .collect();
    assert!(
        new.contains(&"pt-bio-nusantara-farma company".to_string()),
        "{new:?}"
    );
    assert!(
        new.contains(&"nota-kesepahaman-tentang-pengembangan-vaksin-bersama agreement".to_string()),
        "{new:?}"
    );
    // A known ministry spelled out before its acronym is not new.
    assert!(
        !new.iter().any(|n| n.starts_with("kementerian-kesehatan")),
        "{new:?}"
    );
}

#[test]
fn each_cue_proposes_its_relation() {
    let g = graph();
    let a = analyse(&g, "signing.txt");
    let rels = relations(&g, &a);
    let agreement = "nota-kesepahaman-tentang-pengembangan-vaksin-bersama";
    for want in [
        "budi-santika holds_position kemenkes".to_string(),
        format!("budi-santika signed {agreement} 2025-04-15"),
        format!("tran-van-long signed {agreement} 2025-04-15"),
        "lars-berg ambassador_to indonesia".to_string(),
    ] {
        assert!(rels.contains(&want), "{want} not in {rels:?}");
    }
    // Vietnam's health minister holds no post at Indonesia's ministry.
    assert!(
        !rels.contains(&"tran-van-long holds_position kemenkes".to_string()),
        "{rels:?}"
    );

    let a = analyse(&g, "meeting.txt");
    let rels = relations(&g, &a);
    for want in [
        "sari-dewanti holds_position kemenlu",
        "sari-dewanti met_with tran-van-long 2024-10-11",
        "sari-dewanti attended health-forum-2024 2025-06-20",
        // The ministry's former name, in an article after the renaming.
        "ayu-lestari holds_position kemenpar",
    ] {
        assert!(rels.contains(&want.to_string()), "{want} not in {rels:?}");
    }

    let text = "Menteri Budi Santika dan Menteri Tran Van Long meneken Nota Kesepahaman tentang Vaksin Tropis.\n\
                Penandatanganan Nota Kesepahaman tentang Vaksin Tropis disaksikan Lars Berg.\n\
                Nota Kesepahaman tentang Vaksin Tropis mencakup kerja sama di bidang vaksin dan telemedisin.\n\
                President Budi Santika of Indonesia met Lars Berg.\n";
    let a = ingest::analyse(&g, text.into(), None);
    let rels = relations(&g, &a);
    for want in [
        "budi-santika signed nota-kesepahaman-tentang-vaksin-tropis",
        "lars-berg witnessed nota-kesepahaman-tentang-vaksin-tropis",
        "nota-kesepahaman-tentang-vaksin-tropis covers vaksin-topic",
        "nota-kesepahaman-tentang-vaksin-tropis covers telemedicine",
        "budi-santika met_with lars-berg",
    ] {
        assert!(rels.contains(&want.to_string()), "{want} not in {rels:?}");
    }
}

#[test]
fn page_furniture_is_never_proposed() {
    let g = graph();
    let a = analyse(&g, "signing.txt");
    for s in &a.sentences {
        let t = &a.text[s.start..s.end];
        for furniture in [
            "Baca juga",
            "Foto:",
            "Editor:",
            "Penerjemah:",
            "Berita terkait",
        ] {
            assert!(
                !t.contains(furniture),
                "furniture read as a sentence: {t:?}"
            );
        }
    }
    // The read-also line names a meeting of Budi and Tran; the credits
    // name Sari Dewanti; the related story a Vietnam-Norway meeting.
    let rels = relations(&g, &a);
    assert!(!rels.iter().any(|r| r.contains("met_with")), "{rels:?}");
    assert!(!mentioned(&g, &a).contains(&"sari-dewanti".to_string()));
}

#[test]
fn html_is_stripped_of_scripts_and_tags() {
    let g = graph();
    let a = analyse(&g, "page.html");
    assert!(
        !a.text.contains('<') && !a.text.contains("alert"),
        "{}",
        a.text
    );
    assert!(a.text.contains("Tran Van Long & rombongan"));
    let rels = relations(&g, &a);
    assert!(
        rels.contains(&"budi-santika met_with tran-van-long".to_string()),
        "{rels:?}"
    );
    assert!(
        !rels.iter().any(|r| r.contains("signed")),
        "the script's words are not read: {rels:?}"
    );
    assert!(
        !mentioned(&g, &a).contains(&"lars-berg".to_string()),
        "comments are not read"
    );
}

#[test]
fn an_article_with_no_known_entity_gives_no_proposals_but_no_error() {
    let g = graph();
    let a = analyse(&g, "none.txt");
    assert!(a.mentions.is_empty() && a.relations.is_empty());
    assert!(!a.sentences.is_empty());
}

#[test]
fn dates_are_read_as_news_writes_them() {
    use jejaring::ingest::dates::find_date;
    let d = |s: &str, y: Option<u16>| find_date(s, y).map(|d| d.to_string());
    assert_eq!(
        d("Jakarta, Selasa (15/4/2025) –", None).as_deref(),
        Some("2025-04-15")
    );
    assert_eq!(
        d("pada 11 Oktober 2023.", None).as_deref(),
        Some("2023-10-11")
    );
    assert_eq!(d("Jumat (20/6)", Some(2025)).as_deref(), Some("2025-06-20"));
    assert_eq!(d("Jumat (20/6)", None), None);
    assert_eq!(d("(30/2/2025)", None), None);
    assert_eq!(d("tumbuh 40 persen", Some(2025)), None);
}

#[test]
fn bad_input_is_refused_with_a_message() {
    let g = graph();
    let a = article("2025");
    let refused = |bytes: &[u8]| match ingest::ingest(&g, bytes, &a) {
        Err(IngestError::Input(m)) => m,
        other => panic!("accepted: {:?}", other.map(|a| a.text)),
    };
    assert!(refused(b"").contains("empty"));
    assert!(refused(b"  \n\n ").contains("empty"));
    assert!(refused(b"\x7fELF\x02\x01\x00\x00").contains("binary"));
    assert!(refused(b"caf\xe9 au lait").contains("UTF-8"));
    let big = vec![b'a'; ingest::text::MAX_ARTICLE_BYTES + 1];
    assert!(refused(&big).contains("at most"));
    // Mixed scripts are text like any other.
    let mixed = "Budi Santika bertemu Lars Berg. Встреча прошла в Москве. 会談は東京で行われた。\n";
    assert!(ingest::ingest(&g, mixed.as_bytes(), &a).is_ok());
}

/// A copy of the fixture dataset in a temporary folder.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        std::fs::copy(fixtures().join("data").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn files(dir: &Path) -> Vec<Vec<u8>> {
    ["sources.csv", "entities.csv", "relations.csv"]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

/// The review CSV of signing.txt with every row accepted.
fn accepted_review(g: &Graph) -> Vec<u8> {
    let a = analyse(g, "signing.txt");
    let mut rows = review::rows(g, &a, &article("2025-04"));
    for r in &mut rows {
        r.accept = if r.proposal == "mention" {
            String::new()
        } else {
            "yes".into()
        };
    }
    let mut out = Vec::new();
    review::write(&rows, &mut out).unwrap();
    out
}

#[test]
fn apply_appends_accepted_rows_and_reapplying_is_a_no_op() {
    let g = graph();
    let dir = scratch();
    let review = accepted_review(&g);
    let done = review::apply("review.csv", &review, dir.path()).unwrap();
    assert_eq!((done.sources, done.undecided), (1, 0));
    assert!(done.entities >= 2 && done.relations >= 4, "{done:?}");
    let loaded = dataset::load_dirs(&[dir.path().to_path_buf()], &Quiet).unwrap();
    let g2 = &loaded.graph;
    let s = g2.source_index("warta-2025-test").unwrap();
    assert_eq!(
        g2.source(s).published,
        Some("2025-04".parse::<Date>().unwrap())
    );
    assert_eq!(g2.relations_of_source(s).len(), done.relations);
    assert!(g2.entity_index("pt-bio-nusantara-farma").is_some());

    let before = files(dir.path());
    let again = review::apply("review.csv", &review, dir.path()).unwrap();
    assert!(!again.changed(), "{again:?}");
    assert_eq!(again.already, done.sources + done.entities + done.relations);
    assert_eq!(files(dir.path()), before, "re-applying changed the files");
}

#[test]
fn a_bad_review_is_refused_with_lines_and_nothing_is_written() {
    let g = graph();
    let dir = scratch();
    let before = files(dir.path());
    let good = String::from_utf8(accepted_review(&g)).unwrap();
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    // Line 2 is the source row; break rows further down, each its own way.
    let rel = lines
        .iter()
        .position(|l| l.starts_with("yes,relation,"))
        .unwrap();
    lines[rel] = lines[rel].replacen("budi-santika", "budi-santik", 1);
    let ent = lines
        .iter()
        .position(|l| l.starts_with("yes,entity,"))
        .unwrap();
    lines[ent] = lines[ent].replacen("yes,", "maybe,", 1);
    let src = lines
        .iter()
        .position(|l| l.starts_with("yes,source,"))
        .unwrap();
    lines[src] = lines[src].replacen("2025-04", "2025-13", 1);
    let bad = lines.join("\n") + "\n";
    let Err(IngestError::Review(errors)) = review::apply("review.csv", bad.as_bytes(), dir.path())
    else {
        panic!("a bad review was applied");
    };
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let at = |i: usize| format!("review.csv:{}:", i + 1);
    assert!(
        text.iter()
            .any(|e| e.starts_with(&at(rel)) && e.contains("unknown entity id \"budi-santik\"")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.starts_with(&at(ent)) && e.contains("\"maybe\"")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.starts_with(&at(src)) && e.contains("published")),
        "{text:?}"
    );
    assert_eq!(
        files(dir.path()),
        before,
        "a refused review wrote something"
    );

    for (bytes, says) in [
        (&b""[..], "empty"),
        (&b"\xff\xfe\x00binary"[..], "UTF-8"),
        (&b"name,age\nBudi,3\n"[..], "accept"),
        (&b"accept,proposal\nyes,relation,extra\n"[..], "cells"),
    ] {
        let Err(IngestError::Review(errors)) = review::apply("r.csv", bytes, dir.path()) else {
            panic!("applied {bytes:?}");
        };
        assert!(errors[0].to_string().contains(says), "{errors:?}");
    }
    assert_eq!(files(dir.path()), before);
}

#[test]
fn rows_the_loader_refuses_are_not_written() {
    let g = graph();
    let dir = scratch();
    let before = files(dir.path());
    // An accepted entity whose id has a space passes the review's own
    // checks; the dataset loader is the last word.
    let good = String::from_utf8(accepted_review(&g)).unwrap();
    let bad = good.replacen(
        "yes,entity,pt-bio-nusantara-farma",
        "yes,entity,pt bio\u{7}",
        1,
    );
    let out = review::apply("review.csv", bad.as_bytes(), dir.path());
    assert!(out.is_err(), "{out:?}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn the_cli_writes_a_review_and_applies_it() {
    let dir = scratch();
    let review = dir.path().join("review.csv");
    let data = fixtures().join("data");
    let out = common::jejaring(&[
        "--data",
        data.to_str().unwrap(),
        "ingest",
        fixtures().join("signing.txt").to_str().unwrap(),
        "--source-id",
        "warta-cli",
        "--published",
        "2025-04",
        "--out",
        review.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&review).unwrap();
    assert!(text.starts_with("accept,proposal,id,"));
    let accepted = text
        .replace("\n,relation,", "\nyes,relation,")
        .replace("\n,source,", "\nyes,source,");
    std::fs::write(&review, accepted).unwrap();
    let out = common::jejaring(&[
        "--data",
        dir.path().to_str().unwrap(),
        "ingest",
        "--apply",
        review.to_str().unwrap(),
    ]);
    // Relations to new entities whose rows were not accepted are refused.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("review.csv:") && err.contains("unknown entity id"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = common::jejaring(&["ingest", empty.to_str().unwrap(), "--source-id", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty"));
}

mod properties {
    use jejaring::ingest::{dates::find_date, text};
    use proptest::prelude::*;

    /// Text made of what splitting turns on: stops, quotes, brackets,
    /// capitals, digits, line breaks and characters of several bytes.
    fn newsy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("."),
                Just(". "),
                Just("? "),
                Just("!\" "),
                Just("\n"),
                Just("\r\n"),
                Just(" "),
                Just("S. "),
                Just("St. "),
                Just("Ä"),
                Just("é"),
                Just("ж"),
                Just("東"),
                Just("("),
                Just(")"),
                Just("”"),
                Just("Budi"),
                Just("12"),
                Just("/"),
                Just("Oktober"),
                Just("2025"),
                Just("<p>"),
                Just("</p>"),
                Just("<script>x"),
                Just("&amp;"),
                Just("&#x1F600;"),
                Just("&#99999999;"),
            ],
            0..60,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn sentences_are_ordered_trimmed_pieces(s in newsy()) {
            if let Ok(t) = text::read_article(s.as_bytes()) {
                let mut last = 0;
                for x in text::sentences(&t) {
                    prop_assert!(last <= x.start && x.start < x.end && x.end <= t.len());
                    prop_assert!(t.is_char_boundary(x.start) && t.is_char_boundary(x.end));
                    prop_assert_eq!(&t[x.start..x.end], t[x.start..x.end].trim());
                    last = x.end;
                }
            }
        }

        #[test]
        fn dates_found_are_real(s in newsy(), y in proptest::option::of(1800u16..2200)) {
            if let Some(d) = find_date(&s, y) {
                prop_assert!(d.first_day() <= d.last_day());
                prop_assert_eq!(d.to_string().parse::<jejaring::model::Date>().unwrap(), d);
            }
        }
    }
}

/// A dataset with agreements tied to the same parties at different times,
/// and a place, for the rules that read references and datelines.
fn referring_graph() -> (tempfile::TempDir, Graph) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sources.csv"),
        "id,title,publisher,published,url,language,file\nw-1,Uji,,2025-02,,id,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("entities.csv"),
        "id,kind,name,aliases,country,start,end,description\n\
         indonesia,country,Indonesia,,ID,,,\n\
         norway,country,Norway,Norwegia,NO,,,\n\
         vietnam,country,Vietnam,,VN,,,\n\
         jakarta,place,Jakarta,,ID,,,\n\
         budi-santika,person,Budi Santika,,ID,,,\n\
         lars-berg,person,Lars Berg,,NO,,,\n\
         mou-health-2025,agreement,Indonesia-Norway health MoU (2025),,,2025-02,,\n\
         mou-health-2019,agreement,Indonesia-Norway health MoU (2019),,,2019-05,,\n\
         mou-three-2025,agreement,Indonesia-Norway-Vietnam MoU (2025),,,2025-02,,\n\
         talks-2025,event,Health talks (2025),,,2025-02,,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("relations.csv"),
        "from,to,type,role,start,end,source,evidence\n\
         budi-santika,mou-health-2025,signed,,2025-02,,w-1,x\n\
         lars-berg,mou-health-2025,signed,,2025-02,,w-1,x\n\
         indonesia,mou-health-2025,party_to,,2025-02,,w-1,x\n\
         norway,mou-health-2025,party_to,,2025-02,,w-1,x\n\
         budi-santika,mou-health-2019,signed,,2019-05,,w-1,x\n\
         lars-berg,mou-health-2019,signed,,2019-05,,w-1,x\n\
         indonesia,mou-three-2025,party_to,,2025-02,,w-1,x\n\
         norway,mou-three-2025,party_to,,2025-02,,w-1,x\n\
         vietnam,mou-three-2025,party_to,,2025-02,,w-1,x\n\
         budi-santika,talks-2025,attended,,2025-02,,w-1,x\n\
         lars-berg,talks-2025,attended,,2025-02,,w-1,x\n",
    )
    .unwrap();
    let g = dataset::load_dirs(&[dir.path().to_path_buf()], &Quiet)
        .unwrap()
        .graph;
    (dir, g)
}

const REFERRING: &str = "Jakarta (ANTARA) \u{2013} Menteri Kesehatan Budi Santika bertemu dengan \
Duta Besar Norwegia Lars Berg dari Norway di Indonesia.\n\
MoU ini mencakup kerja sama vaksin.\n";

#[test]
fn an_agreement_of_the_time_is_found_through_the_noun_that_refers_to_it() {
    let (_dir, g) = referring_graph();
    let a = ingest::analyse(&g, REFERRING.to_string(), Some("2025-03".parse().unwrap()));
    let referred: Vec<&str> = a
        .mentions
        .iter()
        .filter(|m| m.how == ingest::mentions::How::Reference)
        .map(|m| g.entity(m.entity).id())
        .collect();
    // Not the one of 2019 (too old), not the one with a country the
    // article leaves out, not the talks (no noun refers to a meeting).
    assert_eq!(referred, ["mou-health-2025"]);
    let m = a
        .mentions
        .iter()
        .find(|m| m.how == ingest::mentions::How::Reference)
        .unwrap();
    assert_eq!(&a.text[m.start..m.end], "MoU");
    // Before the agreement existed, or with no date, nothing is referred to.
    for published in [Some("2025-01-01".parse().unwrap()), None] {
        let a = ingest::analyse(&g, REFERRING.to_string(), published);
        assert!(
            a.mentions
                .iter()
                .all(|m| m.how != ingest::mentions::How::Reference),
            "{published:?}"
        );
    }
}

#[test]
fn a_dateline_is_neither_a_mention_nor_an_acronym() {
    let (_dir, g) = referring_graph();
    let a = ingest::analyse(&g, REFERRING.to_string(), Some("2025-03".parse().unwrap()));
    let ids = mentioned(&g, &a);
    assert!(!ids.contains(&"jakarta".to_string()), "{ids:?}");
    assert!(ids.contains(&"budi-santika".to_string()), "{ids:?}");
    // The same place inside a sentence is a mention.
    let text = "Budi Santika bertemu Lars Berg di Jakarta pada Senin.".to_string();
    let a = ingest::analyse(&g, text, Some("2025-03".parse().unwrap()));
    assert!(mentioned(&g, &a).contains(&"jakarta".to_string()));
    let text = "Jakarta|EGINDO.co Budi Santika bertemu Lars Berg.".to_string();
    let a = ingest::analyse(&g, text, Some("2025-03".parse().unwrap()));
    assert!(!mentioned(&g, &a).contains(&"jakarta".to_string()));
}
