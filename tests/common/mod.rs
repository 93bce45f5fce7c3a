//! Shared test harness: small graphs from compact specs, and the CLI.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use jejaring::dataset::{self, DatasetSource, Quiet};
use jejaring::graph::Graph;

/// Builds a graph from a spec: entity ids as `id:kind` separated by spaces
/// (kind defaults to person), then relations as `from>to:type` lines.
///
/// ```text
/// a b c:country
/// a>b:met_with
/// b>c:represents
/// ```
pub(crate) fn graph(spec: &str) -> Graph {
    let mut lines = spec.lines().map(str::trim).filter(|l| !l.is_empty());
    let ents = lines.next().expect("a line of entities");
    let mut entities = String::from("id,kind,name,start,end\n");
    for e in ents.split_whitespace() {
        let (id, kind) = e.split_once(':').unwrap_or((e, "person"));
        entities.push_str(&format!("{id},{kind},Name {id},,\n"));
    }
    let mut relations = String::from("from,to,type,start,end,source,evidence\n");
    for l in lines {
        // from>to:type[@start..end]
        let (edge, span) = l.split_once('@').unwrap_or((l, ""));
        let (ft, ty) = edge.split_once(':').unwrap_or((edge, "met_with"));
        let (f, t) = ft.split_once('>').expect("from>to");
        let (s, e) = span.split_once("..").unwrap_or((span, ""));
        relations.push_str(&format!("{f},{t},{ty},{s},{e},src,{f} {ty} {t}\n"));
    }
    let ds = DatasetSource::memory("spec", "id,title\nsrc,Test source\n", &entities, &relations);
    match dataset::load(&[ds], &Quiet) {
        Ok(l) => l.graph,
        Err(e) => panic!("spec does not load:\n{e}"),
    }
}

/// The ids of a list of entity indexes, space-separated.
pub(crate) fn ids(g: &Graph, nodes: impl IntoIterator<Item = u32>) -> String {
    nodes
        .into_iter()
        .map(|n| g.entity(n).id().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn embedded() -> Graph {
    dataset::embedded::graph()
}

/// Runs the CLI from the crate's folder.
pub(crate) fn jejaring(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("the binary runs")
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 stderr")
}

pub(crate) fn code(o: &Output) -> i32 {
    o.status.code().expect("exited, not killed")
}
