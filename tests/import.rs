//! `import table` and `import ftm`: every shape of input becomes a dataset
//! that loads, the mapping printed reads back, bad inputs are refused with
//! FILE:LINE and nothing written, and importing what an import wrote gives
//! the same files again.

mod common;

use std::path::{Path, PathBuf};

use common::{code, jejaring, stderr, stdout};
use jejaring::dataset::{DatasetSource, Quiet, load};
use jejaring::import::{Mapping, import_table};
use proptest::prelude::*;

const FIX: &str = "tests/fixtures/import";

fn fixture(name: &str) -> String {
    format!("{FIX}/{name}")
}

fn out_dir() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dataset");
    (tmp, out)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

fn loads(dir: &Path) -> jejaring::dataset::Loaded {
    load(&[DatasetSource::Dir(dir.to_path_buf())], &Quiet)
        .unwrap_or_else(|e| panic!("{} does not load: {:?}", dir.display(), e.0))
}

fn import(args: &[&str], out: &Path) -> std::process::Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    all.extend(["--out", out.to_str().unwrap()]);
    jejaring(&all)
}

#[test]
fn an_edge_list_with_gephi_headers_is_guessed_and_loads() {
    let (_tmp, out) = out_dir();
    let o = import(&["table", &fixture("edges.csv")], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let g = loads(&out).graph;
    assert_eq!(g.entities.len(), 5);
    assert_eq!(g.relations.len(), 4);
    let rels = read(&out, "relations.csv");
    // Types snake-cased, the day-first date read (13 > 12), the month name
    // read, the unmapped column kept.
    assert!(
        rels.starts_with("from,to,type,role,start,end,source,evidence,amount\n"),
        "{rels}"
    );
    assert!(
        rels.contains("meutya-hafid,komdigi,holds_position,,2025-04-15,"),
        "{rels}"
    );
    assert!(
        rels.contains("acme-ltd,tejas-networks,owns,,2024-04-13,,annual-report-2024,,2500"),
        "{rels}"
    );
    // Two names folding to one slug are two entities.
    let ents = read(&out, "entities.csv");
    assert!(ents.contains("acme-ltd,company,Acme Ltd,"), "{ents}");
    assert!(
        ents.contains("acme-ltd-2,company,\"Acme, Ltd.\","),
        "{ents}"
    );
    assert!(ents.contains("komdigi,organization,Komdigi"), "{ents}");
    // A source per distinct URL or text, links only for URLs.
    let sources = read(&out, "sources.csv");
    assert_eq!(sources.lines().count(), 4, "{sources}");
    assert!(
        sources.contains("annual-report-2024,Annual report 2024,,,,,"),
        "{sources}"
    );
    assert!(
        stderr(&o).contains("try `jejaring --data"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_printed_mapping_reads_back_and_gives_the_same_dataset() {
    let (tmp, out) = out_dir();
    let o = import(&["table", &fixture("edges.csv")], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mapping = tmp.path().join("mapping.toml");
    std::fs::write(&mapping, stdout(&o)).unwrap();
    let parsed = Mapping::from_toml(&stdout(&o)).unwrap();
    assert_eq!(parsed.edges.from.as_deref(), Some("Source"));
    let again = tmp.path().join("again");
    let o = import(
        &[
            "table",
            &fixture("edges.csv"),
            "--mapping",
            mapping.to_str().unwrap(),
        ],
        &again,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        assert_eq!(read(&out, f), read(&again, f), "{f}");
    }
}

#[test]
fn a_workbook_with_a_node_sheet_and_an_edge_sheet_imports() {
    let (_tmp, out) = out_dir();
    let o = import(&["table", &fixture("two-sheets.xlsx")], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let g = loads(&out).graph;
    assert_eq!(g.entities.len(), 4);
    assert_eq!(g.relations.len(), 3);
    let ents = read(&out, "entities.csv");
    // Ids kept, kinds mapped from synonyms, an Excel date read as a date,
    // the extra column kept.
    assert!(
        ents.contains("P1,person,Ana Lima,,BR,1970-05-17,,,PT"),
        "{ents}"
    );
    assert!(
        ents.contains("O1,organization,Kementerian Luar Negeri"),
        "{ents}"
    );
    let rels = read(&out, "relations.csv");
    assert!(rels.contains("P1,O2,director_of,,2019-03-01,"), "{rels}");
    // Named by name in one row, by id in another: the same entity.
    assert!(
        rels.contains("P2,O1,works_for,,2015,,staff-list-2020,"),
        "{rels}"
    );
    assert!(rels.contains("P2,P1,met_with,,2021-04-13,"), "{rels}");
}

#[test]
fn an_opendocument_workbook_imports_like_its_excel_twin() {
    let (_tmp, xlsx) = out_dir();
    let (_tmp2, ods) = out_dir();
    let o = import(&["table", &fixture("two-sheets.xlsx")], &xlsx);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = import(&["table", &fixture("two-sheets.ods")], &ods);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Same sheets, same cells: the same dataset, except for the file name
    // the sources and warnings may cite.
    for f in ["entities.csv", "relations.csv"] {
        assert_eq!(read(&xlsx, f), read(&ods, f), "{f}");
    }
    let ents = read(&ods, "entities.csv");
    assert!(
        ents.contains("P1,person,Ana Lima,,BR,1970-05-17,,,PT"),
        "{ents}"
    );
}

#[test]
fn node_and_edge_tables_with_odd_headers_take_flags() {
    let (_tmp, out) = out_dir();
    let o = import(
        &[
            "table",
            &fixture("nodes.tsv"),
            &fixture("ties.tsv"),
            "--type",
            "Tie",
        ],
        &out,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rels = read(&out, "relations.csv");
    assert!(
        rels.contains("k-2,k-1,holds_position,,2024-10-21,2024-10-21,"),
        "{rels}"
    );
    assert!(
        rels.contains("k-1,k-3,cooperates_with,,2025,2025,example-org-5g,talks on 5G"),
        "{rels}"
    );
    let ents = read(&out, "entities.csv");
    assert!(
        ents.contains("k-1,organization,Kementerian Komunikasi dan Digital,Komdigi|Kominfo,ID"),
        "{ents}"
    );
    assert!(stdout(&o).contains("type = \"Tie\""), "{}", stdout(&o));
}

#[test]
fn a_table_that_is_neither_shape_says_what_it_looks_like() {
    let (tmp, out) = out_dir();
    let f = tmp.path().join("odd.csv");
    std::fs::write(&f, "alpha,beta\n1,2\n").unwrap();
    let o = import(&["table", f.to_str().unwrap()], &out);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains(
            "odd.csv:1: neither an edge list nor a node table: its columns are alpha, beta"
        ),
        "{err}"
    );
    assert!(err.contains("--from COL --to COL"), "{err}");
    assert!(!out.exists());
}

/// Every bad input: exit 2, each problem at its place, nothing written.
#[test]
fn bad_tables_are_refused_with_their_places_and_nothing_is_written() {
    for (file, expect) in [
        (
            "latin1.csv",
            "latin1.csv:2: column 1: not UTF-8 (byte 0xE9); it reads as Latin-1",
        ),
        (
            "ragged.csv",
            "ragged.csv:3: 2 cells where the header has 3 columns",
        ),
        ("empty.csv", "empty.csv: the file is empty"),
        (
            "bad.xlsx",
            "bad.xlsx[Dup]:1: duplicate column \"Name\" (columns 1 and 2)",
        ),
        (
            "bad.xlsx",
            "bad.xlsx[Ties]:2: date \"03/04/2005\" is ambiguous: 2005-04-03 (day first) or 2005-03-04 (month first)",
        ),
        ("bad.xlsx", "bad.xlsx[Ties]:3: empty to"),
    ] {
        let (_tmp, out) = out_dir();
        let o = import(&["table", &fixture(file)], &out);
        assert_eq!(code(&o), 2, "{file}");
        assert!(stderr(&o).contains(expect), "{file}: {}", stderr(&o));
        assert!(!out.exists(), "{file}: something was written");
    }
}

#[test]
fn a_huge_cell_is_refused_without_holding_it() {
    let (tmp, out) = out_dir();
    let f = tmp.path().join("huge.csv");
    let mut body = b"from,to,type\na,b,\"".to_vec();
    body.resize(body.len() + (20 << 20), b'x');
    body.extend_from_slice(b"\"\n");
    std::fs::write(&f, body).unwrap();
    let o = import(&["table", f.to_str().unwrap()], &out);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("a record is longer than 16 MiB"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn force_writes_the_valid_rows_and_lists_the_rest() {
    let (_tmp, out) = out_dir();
    let o = import(&["table", &fixture("bad.xlsx"), "--force"], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rejects = read(&out, "rejects.csv");
    assert!(rejects.contains("ambiguous"), "{rejects}");
    assert_eq!(loads(&out).graph.relations.len(), 0);
}

#[test]
fn an_import_never_writes_over_a_dataset() {
    let (_tmp, out) = out_dir();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("entities.csv"), "keep me").unwrap();
    let o = import(&["table", &fixture("edges.csv")], &out);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("the folder is not empty"),
        "{}",
        stderr(&o)
    );
    assert_eq!(read(&out, "entities.csv"), "keep me");
}

#[test]
fn kind_and_type_maps_apply_and_unknown_kinds_teach_the_map() {
    let (tmp, out) = out_dir();
    let f = tmp.path().join("k.csv");
    std::fs::write(&f, "from,to,from_kind,to_kind,type\nA,B,Mensch,Firma,CEO\n").unwrap();
    let o = import(&["table", f.to_str().unwrap()], &out);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("k.csv:2: unknown kind \"Mensch\""),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("--kind-map 'Mensch=organization'"),
        "{}",
        stderr(&o)
    );
    let o = import(
        &[
            "table",
            f.to_str().unwrap(),
            "--kind-map",
            "Mensch=person,Firma=company",
            "--type-map",
            "CEO=head_of",
        ],
        &out,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(read(&out, "relations.csv").contains("a,b,head_of,"));
    assert!(read(&out, "entities.csv").contains("a,person,A"));
}

#[test]
fn ftm_entities_of_every_schema_become_entities_and_relations() {
    let (_tmp, out) = out_dir();
    let o = import(&["ftm", &fixture("entities.ftm.json")], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let g = loads(&out).graph;
    assert_eq!(g.entities.len(), 8);
    assert_eq!(g.relations.len(), 10);
    let rels = read(&out, "relations.csv");
    for (schema, row) in [
        (
            "Ownership",
            "le-1,co-1,owns,shareholder,2010-01-01,,company-registry,",
        ),
        (
            "Directorship",
            "Q1,co-1,director_of,Chair,2019-03,2021,registry,",
        ),
        ("Membership", "p-2,org-1,member_of,"),
        ("Employment", "p-2,pb-1,works_for,Adviser,"),
        ("Representation", "le-1,co-1,represents,"),
        ("Family", "Q1,p-2,family_of,cousin,"),
        ("Associate", "p-2,Q1,associate_of,business partner,"),
        ("Occupancy", "p-2,pos-1,holds_position,,2020-10-20,"),
        (
            "Payment",
            "pb-1,co-1,paid,network equipment,2022-06-01,2022-06-01,example-org-contracts-1,,1000000,IDR,",
        ),
        ("UnknownLink", "org-1,c-id,linked_to,registered in,"),
    ] {
        assert!(rels.contains(row), "{schema}: {rels}");
    }
    let ents = read(&out, "entities.csv");
    assert!(
        ents.contains("Q1,person,Ana Lima,Ana M. Lima|Aninha,BR,1970-05-17,,,ftm:Q1|wikidata:Q1,\"Rua Um 1, Brasília\""),
        "{ents}"
    );
    assert!(
        ents.contains("org-1,organization,Fundação Exemplo,Instituto Exemplo,BR"),
        "{ents}"
    );
    assert!(ents.contains("c-id,country,Indonesia,,ID"), "{ents}");
    assert!(
        ents.contains("co-1,company,Tejas Networks,,IN,2000,,,ftm:co-1|lei:"),
        "{ents}"
    );
    let err = stderr(&o);
    assert!(
        err.contains("no mapping for these schemata: Sanction 1, Vessel 1"),
        "{err}"
    );
}

#[test]
fn bad_ftm_lines_are_all_reported_and_nothing_is_written() {
    let (_tmp, out) = out_dir();
    let o = import(&["ftm", &fixture("bad.ftm.json")], &out);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("bad.ftm.json:2: not an FtM entity"), "{err}");
    assert!(
        err.contains("bad.ftm.json:3: owns (own-1): the second end \"missing-co\""),
        "{err}"
    );
    assert!(
        err.contains("bad.ftm.json:4: duplicate FtM id \"p-1\""),
        "{err}"
    );
    assert!(!out.exists());
}

/// Rows of a random edge list: names from a small pool (so names repeat
/// and some fold to one slug), kinds, types, dates and sources.
fn edge_rows() -> impl Strategy<Value = Vec<(usize, usize, usize, usize, usize)>> {
    prop::collection::vec(
        (0..8usize, 0..8usize, 0..4usize, 0..5usize, 0..3usize),
        1..30,
    )
}

const NAMES: [&str; 8] = [
    "Ana Lima", "ana lima", "Budi", "Budi!", "Kominfo", "Komdigi", "Tejas", "Éva",
];
const KINDS: [&str; 8] = [
    "person",
    "person",
    "person",
    "company",
    "organization",
    "organization",
    "company",
    "person",
];
const TYPES: [&str; 4] = ["met with", "works_for", "Owns", "signed"];
const DATES: [&str; 5] = ["", "2020", "13/04/2021", "April 2019", "2018-02-03"];
const SOURCES: [&str; 3] = [
    "https://example.org/a",
    "Annual report",
    "https://example.org/b?x=1",
];

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Import an edge list, write it back out as an edge list (names,
    /// kinds, ISO dates, source titles), import that: the same files.
    #[test]
    fn import_export_import_is_stable(rows in edge_rows()) {
        let tmp = tempfile::tempdir().unwrap();
        let first = tmp.path().join("edges.csv");
        let mut text = String::from("from,to,from_kind,to_kind,type,date,url\n");
        for &(a, b, t, d, s) in &rows {
            text.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                csv_cell(NAMES[a]), csv_cell(NAMES[b]), KINDS[a], KINDS[b], TYPES[t], DATES[d], SOURCES[s]
            ));
        }
        std::fs::write(&first, text).unwrap();
        let a = tmp.path().join("a");
        let done = import_table(&[first], Mapping::default(), &a, false);
        prop_assert!(done.result.is_ok(), "{:?}", done.result);
        // Back out as an edge list, from the files the import wrote.
        let g = loads(&a).graph;
        let mut back = String::from("from,to,from_kind,to_kind,type,start,end,url\n");
        for r in &g.relations {
            let (f, t) = (&g.entities[r.from as usize], &g.entities[r.to as usize]);
            let src = &g.sources[r.source as usize];
            back.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                csv_cell(f.name()), csv_cell(t.name()), f.kind, t.kind,
                g.strings.resolve(r.rel_type),
                r.start.map(|d| d.to_string()).unwrap_or_default(),
                r.end.map(|d| d.to_string()).unwrap_or_default(),
                csv_cell(&src.title),
            ));
        }
        let second = tmp.path().join("back.csv");
        std::fs::write(&second, back).unwrap();
        let b = tmp.path().join("b");
        let done = import_table(&[second], Mapping::default(), &b, false);
        prop_assert!(done.result.is_ok(), "{:?}", done.result);
        for f in ["entities.csv", "relations.csv", "sources.csv"] {
            prop_assert_eq!(read(&a, f), read(&b, f), "{}", f);
        }
    }
}

#[test]
fn a_folder_of_foreign_tables_is_described_with_the_import_that_reads_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("theirs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("edges.csv"), dir.join("edges.csv")).unwrap();
    let o = jejaring(&["--data", dir.to_str().unwrap(), "validate"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("sources.csv: missing file (a dataset folder needs sources.csv; it lists the documents relations cite: columns id and title (required)"), "{err}");
    assert!(
        err.contains("edges.csv looks like an edge list with columns Source, Target, Relationship"),
        "{err}"
    );
    assert!(err.contains("`jejaring import table "), "{err}");
    // Said once, not at each missing file.
    assert_eq!(err.matches("looks like an edge list").count(), 1, "{err}");
}

#[test]
fn a_misnamed_required_column_gets_a_did_you_mean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        std::fs::copy(format!("datasets/digital-diplomacy/{f}"), dir.join(f)).unwrap();
    }
    let rels = std::fs::read_to_string(dir.join("relations.csv")).unwrap();
    let rels = rels.replacen(",source,evidence\n", ",citation,evidence\n", 1);
    std::fs::write(dir.join("relations.csv"), rels).unwrap();
    let o = jejaring(&["--data", dir.to_str().unwrap(), "validate"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("relations.csv:1: missing column source (the header has: from,to,type,role,start,end,citation,evidence); did you mean column \"citation\" for source? rename it source"), "{}", stderr(&o));
}

#[test]
fn the_embedded_dataset_can_be_added_to_an_imported_one() {
    let (_tmp, out) = out_dir();
    let o = import(&["table", &fixture("two-sheets.xlsx")], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let own = loads(&out).graph;
    let embedded = common::embedded();
    let expect = format!(
        "ok: {} entities, {} relations, {} sources",
        own.entities.len() + embedded.entities.len(),
        own.relations.len() + embedded.relations.len(),
        own.sources.len() + embedded.sources.len()
    );
    for args in [
        vec![
            "--data",
            "embedded",
            "--data",
            out.to_str().unwrap(),
            "validate",
        ],
        vec![
            "--with-default",
            "--data",
            out.to_str().unwrap(),
            "validate",
        ],
    ] {
        let o = jejaring(&args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).starts_with(&expect), "{args:?}: {}", stdout(&o));
    }
}

#[test]
fn link_proposes_same_name_and_kind_pairs_whose_country_and_dates_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sources.csv"), "id,title\ns,My notes\n").unwrap();
    std::fs::write(
        dir.join("entities.csv"),
        "id,kind,name,aliases,country,start,end\n\
         m1,person,MEUTYA  Hafid,,ID,,\n\
         k1,company,Komdigi,,,,\n\
         j1,country,Nippon,日本,JP,,\n\
         j2,country,Japan,,US,,\n\
         i1,country,India,,,1700,1800\n\
         k2,organization,Komdigi,,,1990,2000\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("relations.csv"),
        "from,to,type,source\nm1,k1,works_for,s\nj1,j2,met_with,s\ni1,j1,met_with,s\n",
    )
    .unwrap();
    let o = jejaring(&[
        "--data",
        "datasets/digital-diplomacy",
        "--data",
        dir.to_str().unwrap(),
        "link",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows: Vec<String> = stdout(&o).lines().skip(1).map(String::from).collect();
    // In the first dataset's order: India (no dates there, so none
    // conflict), Japan by its alias 日本, Meutya Hafid by folded name. Not
    // the company Komdigi (the ministry is an organization), not the
    // Komdigi that ended in 2000 (the ministry began in 2024), not the US
    // "Japan".
    assert_eq!(
        rows,
        [
            "india,i1,same_as,,,,link-review,\"same name \"\"india\"\" (folded) and kind country\"",
            "japan,j1,same_as,,,,link-review,\"same name \"\"日本\"\" (folded) and kind country, both JP\"",
            "meutya-hafid,m1,same_as,,,,link-review,\"same name \"\"meutya hafid\"\" (folded) and kind person, both ID\"",
        ],
        "{}",
        stdout(&o)
    );
}

#[test]
fn ftm_import_export_import_gives_the_same_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let o = import(&["ftm", &fixture("entities.ftm.json")], &first);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let exported = tmp.path().join("out.ftm.json");
    let o = jejaring(&[
        "--data",
        first.to_str().unwrap(),
        "export",
        "--format",
        "ftm",
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert_eq!(text.lines().count(), 18, "{text}");
    assert!(text.contains(r#"{"id":"pay-1","schema":"Payment","properties":{"amount":["1000000"],"beneficiary":["co-1"],"currency":["IDR"],"date":["2022-06-01"],"payer":["pb-1"],"purpose":["network equipment"],"sourceUrl":["https://example.org/contracts/1"]}}"#), "{text}");
    let second = tmp.path().join("second");
    let o = import(&["ftm", exported.to_str().unwrap()], &second);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        assert_eq!(read(&first, f), read(&second, f), "{f}");
    }
}

#[test]
fn a_misnamed_optional_column_is_kept_with_a_did_you_mean_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ds");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        std::fs::copy(format!("datasets/digital-diplomacy/{f}"), dir.join(f)).unwrap();
    }
    let rels = std::fs::read_to_string(dir.join("relations.csv")).unwrap();
    std::fs::write(
        dir.join("relations.csv"),
        rels.replacen(",evidence\n", ",quote\n", 1),
    )
    .unwrap();
    let o = jejaring(&["--data", dir.to_str().unwrap(), "validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("relations.csv:1: column \"quote\" is kept as an attribute; did you mean evidence? rename it evidence (warning)"),
        "{}",
        stderr(&o)
    );
}

fn write_ftm(dir: &Path, lines: &[&str]) -> PathBuf {
    let path = dir.join("stream.ftm.json");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn ftm_relations_before_their_entities_stream_and_the_written_rows_are_checked() {
    let (tmp, out) = out_dir();
    // The relation comes first, as in a file sorted by id; the address
    // entity comes after the person naming it.
    let file = write_ftm(
        tmp.path(),
        &[
            r#"{"id":"a-own","schema":"Ownership","properties":{"owner":["p-1"],"asset":["c-1"],"startDate":["2001"]}}"#,
            r#"{"id":"p-1","schema":"Person","properties":{"name":["Ana"],"addressEntity":["addr-9"]}}"#,
            r#"{"id":"c-1","schema":"Company","properties":{"name":["Acme"]}}"#,
            r#"{"id":"addr-9","schema":"Address","properties":{"full":["Jalan Satu 1"]}}"#,
        ],
    );
    let o = import(&["ftm", file.to_str().unwrap()], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let g = loads(&out).graph;
    assert_eq!((g.entities.len(), g.relations.len()), (2, 1));
    assert!(read(&out, "relations.csv").contains("p-1,c-1,owns,,2001,"));
    assert!(read(&out, "entities.csv").contains("p-1,person,Ana,,,,,,ftm:p-1,Jalan Satu 1"));

    // What the loader would refuse is refused at the FtM line, before it
    // is written: an end before the start, an end that never comes.
    let (tmp, out) = out_dir();
    let file = write_ftm(
        tmp.path(),
        &[
            r#"{"id":"p-1","schema":"Person","properties":{"name":["Ana"]}}"#,
            r#"{"id":"c-1","schema":"Company","properties":{"name":["Acme"]}}"#,
            r#"{"id":"d-1","schema":"Directorship","properties":{"director":["p-1"],"organization":["c-1"],"startDate":["2010"],"endDate":["2005"]}}"#,
            r#"{"id":"o-1","schema":"Ownership","properties":{"owner":["ghost"],"asset":["c-1"]}}"#,
            r#"{"id":"o-2","schema":"Ownership","properties":{"owner":["p-1"],"asset":["c-1"]}}"#,
        ],
    );
    let o = import(&["ftm", file.to_str().unwrap()], &out);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("stream.ftm.json:3: director_of (d-1): end 2005 is before start 2010"),
        "{err}"
    );
    assert!(
        err.contains("stream.ftm.json:4: owns (o-1): the first end \"ghost\" is no entity"),
        "{err}"
    );
    assert!(!out.exists());
    // Forced, the relation already streamed to a missing entity is taken
    // out again and listed; the rest loads.
    let o = import(&["ftm", file.to_str().unwrap(), "--force"], &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let g = loads(&out).graph;
    assert_eq!(g.relations.len(), 1);
    let rejects = read(&out, "rejects.csv");
    assert_eq!(rejects.lines().count(), 3, "{rejects}");
    assert!(
        rejects.contains(",4,\"owns (o-1): the first end"),
        "{rejects}"
    );
}

#[test]
fn an_imported_table_warns_what_a_load_of_it_would() {
    let (tmp, out) = out_dir();
    let nodes = tmp.path().join("nodes.csv");
    std::fs::write(&nodes, "name,kind\nAna,person\nBudi,person\nLone,person\n").unwrap();
    let edges = tmp.path().join("edges.csv");
    std::fs::write(
        &edges,
        "from,to,type\nAna,Budi,met with\nAna,Ana,met with\n",
    )
    .unwrap();
    let o = import(
        &["table", nodes.to_str().unwrap(), edges.to_str().unwrap()],
        &out,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("edges.csv:3: relation from \"ana\" to itself (warning)"),
        "{err}"
    );
    assert!(
        err.contains("entities.csv:4: entity \"lone\" has no relation (warning)"),
        "{err}"
    );
    assert!(
        err.contains("wrote 3 entities, 2 relations, 1 sources"),
        "{err}"
    );
    let loaded = loads(&out);
    assert_eq!(loaded.graph.entities.len(), 3);
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.message.contains("\"lone\" has no relation") && w.line == Some(4)),
        "{:?}",
        loaded.warnings
    );
}
