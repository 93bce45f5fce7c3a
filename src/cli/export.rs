//! `jejaring export`: the whole graph or a neighbourhood, for Gephi,
//! networkx, igraph, Neo4j, Graphviz, Spark and DuckDB.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::{Session, WINDOW_FROM, refused};
use crate::export::{ExportFormat, Subgraph, save_with};
use crate::query::analysis::metrics;
use crate::query::request::ExportRequest;
use crate::query::{Limits, neighbourhood};
use crate::render::text::count;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// gephi (folder: nodes.csv, edges.csv), gexf, graphml, json, dot,
    /// neo4j (folder for neo4j-admin database import), ftm
    /// (FollowTheMoney JSON lines), or parquet (folder: nodes.parquet,
    /// edges.parquet, sources.parquet for Spark, DuckDB, pandas).
    #[arg(long, value_parser = parse_format)]
    pub format: ExportFormat,
    /// Where to write: a file, or a folder for gephi, neo4j and parquet (created
    /// when missing). Files are replaced only once fully written.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Export only the neighbourhood of this entity (id, name or alias).
    #[arg(long, value_name = "ENTITY")]
    pub around: Option<String>,
    /// How many hops out from --around, either direction.
    #[arg(long, default_value_t = 1, requires = "around")]
    pub depth: u32,
    /// The most entities around --around (nearest kept); 0, the default,
    /// for no cap.
    #[arg(long, default_value_t = 0, requires = "around")]
    pub max_nodes: usize,
    /// Around an entity: show only entities of this kind (repeat or
    /// comma-separate); the walk still goes through every kind.
    #[arg(long = "kind", value_name = "KIND", requires = "around")]
    pub kinds: Vec<String>,
    /// Around an entity: show only relations of this type, and the
    /// entities they touch; the walk still follows every type.
    #[arg(long = "type", value_name = "TYPE", requires = "around")]
    pub types: Vec<String>,
    /// Around an entity: walk on only from entities of this kind.
    #[arg(long = "through-kind", value_name = "KIND", requires = "around")]
    pub through_kinds: Vec<String>,
    /// Around an entity: walk along only relations of this type.
    #[arg(long = "through-type", value_name = "TYPE", requires = "around")]
    pub through_types: Vec<String>,
    /// Give every entity the columns degree, pagerank and component (0 the
    /// largest component, equal sizes by first entity in file order), as
    /// measured on the part exported (the time slice, the neighbourhood).
    /// Written by gexf, graphml, gephi (nodes.csv), json and neo4j (node
    /// files); dot and ftm have no place for them.
    #[arg(long)]
    pub with_metrics: bool,
    #[command(flatten)]
    pub time: super::TimeArgs,
}

fn parse_format(s: &str) -> std::result::Result<ExportFormat, String> {
    s.parse()
}

pub(super) fn run(ctx: &Session, a: ExportArgs) -> Result<u8> {
    if a.with_metrics {
        a.format
            .check_metrics()
            .map_err(|m| anyhow::anyhow!("--with-metrics: {m}"))?;
    }
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let req = ExportRequest {
        around: a.around.clone(),
        depth: a.depth,
        max_nodes: a.max_nodes,
        kinds: a.kinds.clone(),
        types: a.types.clone(),
        through_kinds: a.through_kinds.clone(),
        through_types: a.through_types.clone(),
        time: a.time.request(),
    };
    let q = req
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    super::note_resolutions(g, &q.resolved);
    let sub = match &q.around {
        Some((center, nq)) => {
            let n = neighbourhood(g, *center, nq);
            if n.truncated {
                eprintln!(
                    "truncated: more than {} are within {}; the nearest were kept (--max-nodes 0 for no cap)",
                    count(nq.max_nodes, "entity", "entities"),
                    count(nq.depth as usize, "hop", "hops")
                );
            }
            Subgraph::of(&n)
        }
        None => Subgraph::slice(g, &q.slice()),
    };
    let measured = a.with_metrics.then(|| metrics(g, &sub));
    let written = save_with(g, a.format, &sub, measured.as_ref(), &a.out)
        .with_context(|| format!("failed to export {}", a.format.as_str()))?;
    let target = if a.format.is_folder() {
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        format!("{} ({})", a.out.display(), names.join(", "))
    } else {
        a.out.display().to_string()
    };
    eprintln!(
        "wrote {}, {} to {target}",
        count(sub.nodes.len(), "entity", "entities"),
        count(sub.relations.len(), "relation", "relations")
    );
    if a.format == ExportFormat::Neo4j {
        eprintln!(
            "import with (from that folder): {}",
            crate::export::neo4j::import_command(g, &sub)
        );
    }
    Ok(0)
}
