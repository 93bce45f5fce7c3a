//! Hostile input never makes the loader panic, hang or allocate without
//! bound, and every line it reports is a real line of the file it names.

mod common;

use std::borrow::Cow;

use common::{code, jejaring, stderr, stdout};
use jejaring::dataset::{self, DatasetSource, Quiet};
use proptest::prelude::*;

fn memory(s: &[u8], e: &[u8], r: &[u8]) -> DatasetSource {
    DatasetSource::Memory {
        label: Cow::Borrowed("mem"),
        sources: Cow::Owned(s.to_vec()),
        entities: Cow::Owned(e.to_vec()),
        relations: Cow::Owned(r.to_vec()),
    }
}

/// Four valid entity rows, one of them with `suffix` after its name.
fn with_name_suffix(row: usize, suffix: &str) -> DatasetSource {
    let mut rows = ["a,person,A", "b,person,B", "c,company,C", "d,country,D"];
    let broken = format!("{},person,Broken{suffix}", ["a", "b", "c", "d"][row]);
    rows[row] = &broken;
    let entities = format!("id,kind,name\n{}\n", rows.join("\n"));
    memory(
        b"id,title\ns,S\n",
        entities.as_bytes(),
        b"from,to,type,source\na,b,met_with,s\n",
    )
}

/// Bytes that look a little like CSV: commas, quotes, newlines, BOMs,
/// NULs, invalid UTF-8 and valid-looking header words.
fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"id,kind,name\n".to_vec()),
        Just(b"from,to,type,source\n".to_vec()),
        Just(b"id,title\n".to_vec()),
        Just(b"person".to_vec()),
        Just(b"2025-02-30".to_vec()),
        Just(b"a".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(token, 0..40).prop_map(|ts| ts.concat())
}

fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn loading_arbitrary_bytes_never_panics_and_lines_are_real(s in csvish(), e in csvish(), r in csvish()) {
        let files = [("sources.csv", &s), ("entities.csv", &e), ("relations.csv", &r)];
        match dataset::load(&[memory(&s, &e, &r)], &Quiet) {
            Ok(loaded) => {
                for w in &loaded.warnings {
                    let (_, bytes) = files.iter().find(|(n, _)| w.path.ends_with(n)).unwrap();
                    prop_assert!(w.line.unwrap() <= lines_in(bytes), "{w}");
                }
            }
            Err(errors) => {
                prop_assert!(!errors.0.is_empty());
                for err in &errors.0 {
                    let (_, bytes) = files.iter().find(|(n, _)| err.path.ends_with(n)).unwrap();
                    if let Some(line) = err.line {
                        prop_assert!(line >= 1 && line <= lines_in(bytes), "{err} (file has {} lines)", lines_in(bytes));
                    }
                }
            }
        }
    }

    /// A NUL byte or a stray comma in one cell breaks the load, and the
    /// error names that row's line.
    #[test]
    fn a_valid_dataset_with_one_cell_broken_points_at_that_line(row in 0usize..4, garbage in "[\"\\x00,]{0,2}[\\x00,][\"\\x00,]{0,2}") {
        let result = dataset::load(&[with_name_suffix(row, &garbage)], &Quiet);
        let line = row as u64 + 2;
        match result {
            Ok(_) => prop_assert!(false, "{garbage:?} in row {row} loaded"),
            Err(errors) => prop_assert!(
                errors.0.iter().any(|e| e.line == Some(line) && e.path.ends_with("entities.csv")),
                "no error at line {line}: {errors}"
            ),
        }
    }

    /// Quotes inside an unquoted cell, and characters beyond ASCII, are
    /// text: the same rows load.
    #[test]
    fn quotes_inside_an_unquoted_cell_are_text(row in 0usize..4, odd in "[\"]{1,3}|\u{ff}") {
        let loaded = dataset::load(&[with_name_suffix(row, &odd)], &Quiet);
        prop_assert!(loaded.is_ok(), "{odd:?} in row {row}: {:?}", loaded.err());
        let g = loaded.unwrap().graph;
        let id = ["a", "b", "c", "d"][row];
        let name = g.entity(g.entity_index(id).unwrap()).name().to_string();
        prop_assert_eq!(name, format!("Broken{odd}"));
    }
}

#[test]
fn a_huge_line_a_million_columns_nul_bytes_and_bad_paths_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("sources.csv"), "id,title\ns1,A\x00B\n").unwrap();
    let mut huge = b"id,kind,name\na,person,".to_vec();
    huge.extend(std::iter::repeat_n(b'x', 20 << 20));
    huge.extend(b"\nb,person,B\n");
    std::fs::write(d.join("entities.csv"), huge).unwrap();
    let mut wide = b"from,to,type,source\n".to_vec();
    wide.extend(vec![b','; 1_000_000]);
    wide.extend(b"\n\"a,b,met_with,s1\n\"\"\"\"\n");
    std::fs::write(d.join("relations.csv"), wide).unwrap();
    let p = d.to_str().unwrap();
    let out = jejaring(&["--data", p, "validate"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{p}/sources.csv:2: NUL byte in column title")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}/entities.csv:2: the record that starts here is longer than 16 MiB"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{p}/relations.csv:2: expected 4 fields as in the header, found 1000001"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{p}/relations.csv:3: unclosed quote")),
        "{err}"
    );
}

#[test]
fn a_folder_where_a_file_should_be_and_a_symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sources.csv")).unwrap();
    std::os::unix::fs::symlink(d.join("entities.csv"), d.join("entities.csv.tmp")).unwrap();
    std::fs::rename(d.join("entities.csv.tmp"), d.join("entities.csv")).unwrap();
    std::fs::write(d.join("relations.csv"), "from,to,type,source\n").unwrap();
    let p = d.to_str().unwrap();
    let out = jejaring(&["--data", p, "validate"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{p}/sources.csv: is a folder, expected a CSV file"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{p}/entities.csv: failed to read:")),
        "{err}"
    );
}
