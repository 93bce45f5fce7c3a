//! Snapshots on generated data: every query kind answers byte for byte the
//! same from a snapshot as from the CSV files, and a snapshot that is
//! corrupt, truncated, of another version or byte order, or older than its
//! CSV files is refused with one warning and rebuilt.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jejaring"));
    cmd.args(args).env("JEJARING_TIMINGS", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct Fixture {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    cache: PathBuf,
    /// Two entities with relations, for the queries that take some.
    a: String,
    b: String,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let out = run(
            &[],
            &[
                "generate",
                "--entities",
                "1500",
                "--relations",
                "6000",
                "--out",
                data.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let entities = std::fs::read_to_string(data.join("entities.csv")).unwrap();
        let ids: Vec<String> = entities
            .lines()
            .skip(1)
            .take(2)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        Fixture {
            cache: tmp.path().join("cache"),
            data,
            a: ids[0].clone(),
            b: ids[1].clone(),
            _tmp: tmp,
        }
    }

    /// Every query kind, as JSON.
    fn queries(&self) -> Vec<Vec<String>> {
        let (a, b) = (self.a.as_str(), self.b.as_str());
        let q: Vec<Vec<&str>> = vec![
            vec!["search", "ka"],
            vec!["show", a],
            vec!["neighbours", a, "--depth", "2"],
            vec!["path", a, b],
            vec!["rank", "--by", "pagerank"],
            vec!["rank"],
            vec!["common", a, b],
            vec!["timeline", a],
            vec!["relations", "--type", "works_for"],
            vec!["stats"],
        ];
        q.into_iter()
            .map(|mut v| {
                v.extend(["--format", "json"]);
                v.into_iter().map(String::from).collect()
            })
            .collect()
    }

    fn query(&self, cache: bool, q: &[String]) -> Output {
        let data = self.data.to_str().unwrap();
        let mut args = vec!["--data", data];
        if cache {
            args.extend(["--cache", self.cache.to_str().unwrap()]);
        } else {
            args.push("--no-cache");
        }
        args.extend(q.iter().map(String::as_str));
        run(&[], &args)
    }

    fn stats(&self) -> Output {
        self.query(true, &["stats".into(), "--format".into(), "json".into()])
    }

    fn snapshot(&self) -> PathBuf {
        let files: Vec<_> = std::fs::read_dir(&self.cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "one snapshot, no temporary file: {files:?}");
        files[0].clone()
    }
}

fn from_snapshot(o: &Output) -> bool {
    text(&o.stderr).contains("timing: snapshot read")
}

#[test]
fn every_query_answers_the_same_from_a_snapshot_as_from_csv() {
    let f = Fixture::new();
    let first = f.stats();
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(!from_snapshot(&first));
    assert!(text(&first.stderr).contains("timing: snapshot written"));
    f.snapshot();
    for q in f.queries() {
        let csv = f.query(false, &q);
        let snap = f.query(true, &q);
        assert!(from_snapshot(&snap), "{q:?}: {}", text(&snap.stderr));
        assert!(!text(&snap.stderr).contains("warning"), "{q:?}");
        assert_eq!(csv.status.code(), snap.status.code(), "{q:?}");
        assert!(!csv.stdout.is_empty(), "{q:?}");
        assert_eq!(text(&csv.stdout), text(&snap.stdout), "{q:?}");
    }
    // Evidence is read back from the relations file the snapshot points
    // into: the entity page shows it.
    let show = f.query(
        true,
        &["show".into(), f.a.clone(), "--format".into(), "json".into()],
    );
    assert!(text(&show.stdout).contains("\"evidence\""));
}

/// Damages the snapshot with `damage`, then checks that the next load
/// says why it was refused (once), answers as from CSV, and writes a good
/// snapshot that the load after reads.
fn refused(damage: impl Fn(&mut Vec<u8>), why: &str) {
    let f = Fixture::new();
    let stats = ["stats".to_string(), "--format".into(), "json".into()];
    let expected = text(&f.query(false, &stats).stdout);
    f.stats();
    let path = f.snapshot();
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    let out = f.stats();
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!from_snapshot(&out), "{err}");
    assert_eq!(err.matches("warning: snapshot").count(), 1, "{err}");
    assert!(err.contains(why), "expected {why:?} in {err}");
    assert_eq!(text(&out.stdout), expected);
    let again = f.stats();
    assert!(from_snapshot(&again), "{}", text(&again.stderr));
    assert!(!text(&again.stderr).contains("warning"));
    assert_eq!(text(&again.stdout), expected);
}

#[test]
fn a_flipped_byte_is_caught_by_the_checksum() {
    refused(
        |b| {
            let mid = b.len() / 2;
            b[mid] ^= 0x40;
        },
        "corrupt",
    );
}

#[test]
fn a_truncated_snapshot_is_refused() {
    refused(|b| b.truncate(b.len() * 2 / 3), "truncated");
}

#[test]
fn a_snapshot_of_another_format_version_is_refused() {
    // The format number follows the 8-byte magic.
    refused(|b| b[8] = b[8].wrapping_add(1), "format");
}

#[test]
fn a_snapshot_of_another_byte_order_is_refused() {
    // The marker follows the format number.
    refused(|b| b[12..16].reverse(), "byte order");
}

#[test]
fn a_snapshot_older_than_its_csv_files_is_refused() {
    let f = Fixture::new();
    f.stats();
    let entities = f.data.join("entities.csv");
    let mut csv = std::fs::read_to_string(&entities).unwrap();
    csv.push_str("late-comer,person,Late Comer,,,,,\n");
    std::fs::write(&entities, csv).unwrap();
    let q = [
        "search".to_string(),
        "late comer".into(),
        "--format".into(),
        "json".into(),
    ];
    let out = f.query(true, &q);
    let err = text(&out.stderr);
    assert!(
        err.contains("the CSV files changed since it was written"),
        "{err}"
    );
    assert!(!from_snapshot(&out));
    assert!(text(&out.stdout).contains("late-comer"));
    assert_eq!(text(&out.stdout), text(&f.query(false, &q).stdout));
    let again = f.query(true, &q);
    assert!(from_snapshot(&again));
    assert_eq!(text(&again.stdout), text(&out.stdout));
}

#[test]
fn a_cache_folder_that_cannot_be_written_is_said_once_and_loading_goes_on() {
    let f = Fixture::new();
    // A folder under a file: no user, root included, can create it.
    let blocker = f.data.parent().unwrap().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let cache = blocker.join("cache");
    let stats = ["--data", f.data.to_str().unwrap(), "--cache"];
    let out = run(
        &[],
        &[
            &stats[..],
            &[cache.to_str().unwrap(), "stats", "--format", "json"],
        ]
        .concat(),
    );
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err.matches("warning: cannot write snapshot").count(),
        1,
        "{err}"
    );
    let csv = f.query(false, &["stats".into(), "--format".into(), "json".into()]);
    assert_eq!(text(&out.stdout), text(&csv.stdout));
}

#[test]
fn small_datasets_never_touch_the_default_cache_folder() {
    let f = Fixture::new();
    let home = f.data.parent().unwrap().join("home");
    let out = run(
        &[("XDG_CACHE_HOME", &home)],
        &["--data", f.data.to_str().unwrap(), "stats"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!home.exists(), "a small dataset wrote to the default cache");
}
