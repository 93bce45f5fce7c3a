use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::{Format, Session, WINDOW_FROM, json, print, refused};
use crate::query::request::{PathRequest, PathsQuery, bound_paths};
use crate::query::{Limits, paths, resolve_arg};
use crate::render;
use crate::view::{PathsView, resolved_args};

#[derive(Debug, Args)]
pub struct PathArgs {
    /// Where the path starts: id, name or alias.
    #[arg(required_unless_present = "pairs")]
    pub from: Option<String>,
    /// Where it ends.
    #[arg(required_unless_present = "pairs")]
    pub to: Option<String>,
    /// Every shortest path, not just one.
    #[arg(long, conflicts_with = "k")]
    pub all: bool,
    /// The k shortest loopless paths, shortest first (1 to 1000).
    #[arg(long)]
    pub k: Option<u32>,
    /// The most hops a path may have.
    #[arg(long)]
    pub max_hops: Option<u32>,
    /// Follow relations in their direction only (symmetric types both ways).
    #[arg(long)]
    pub directed: bool,
    /// Do not pass through entities of this kind, e.g. country,topic.
    #[arg(long = "exclude-kind", value_name = "KIND")]
    pub exclude_kinds: Vec<String>,
    /// Do not pass through this entity (repeatable).
    #[arg(long, value_name = "ENTITY")]
    pub avoid: Vec<String>,
    /// Use only relations of this type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    #[command(flatten)]
    pub time: super::TimeArgs,
    /// Rank paths by hop count alone. By default the most specific paths
    /// come first: crossing a hub (a country, a topic) or following a
    /// generic relation (located_in, member_of, covers, part_of) costs more.
    #[arg(long)]
    pub plain: bool,
    /// A CSV file with columns from,to: one JSON line per row.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["from", "to"])]
    pub pairs: Option<PathBuf>,
    /// A time-respecting path: each hop dated no earlier than the one
    /// before (undated relations only with --allow-undated).
    #[arg(long, conflicts_with_all = ["all", "k", "pairs", "directed", "avoid"])]
    pub chronological: bool,
    /// With --chronological: relations without a start date may be hops.
    #[arg(long, requires = "chronological")]
    pub allow_undated: bool,
    /// With --format gexf, graphml or gephi: where to write (a folder for
    /// gephi); stdout when absent.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl PathArgs {
    fn request(&self) -> PathRequest {
        PathRequest {
            from: self.from.clone().unwrap_or_default(),
            to: self.to.clone().unwrap_or_default(),
            all: self.all,
            k: self.k,
            max_hops: self.max_hops,
            directed: self.directed,
            exclude_kinds: self.exclude_kinds.clone(),
            avoid: self.avoid.clone(),
            types: self.types.clone(),
            time: self.time.request(),
            plain: self.plain,
            chronological: self.chronological,
            allow_undated: self.allow_undated,
        }
    }
}

pub(super) fn run(ctx: &Session, a: PathArgs) -> Result<u8> {
    if let Some(file) = &a.pairs {
        return pairs(ctx, &a, file);
    }
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    if a.from.is_none() || a.to.is_none() {
        anyhow::bail!("give FROM and TO, or --pairs FILE.csv");
    }
    if a.chronological {
        return super::chrono::run(g, &a.request(), a.format, a.out.as_deref());
    }
    let PathsQuery {
        from,
        to,
        query: q,
        resolved,
    } = a
        .request()
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    super::note_resolutions(g, &resolved);
    let mut answer = paths(g, from, to, &q);
    bound_paths(&mut answer, &Limits::CLI);
    let out = match a.format {
        Format::Text => render::text::paths(g, &answer, &q),
        Format::Json => {
            let mut v = PathsView::new(g, &answer);
            v.resolved = Some(resolved_args(g, &resolved));
            json(&v)?
        }
        Format::Csv => render::csv::relations(
            g,
            answer
                .paths
                .iter()
                .enumerate()
                .flat_map(|(i, p)| p.edges().map(move |r| (Some(i + 1), r))),
        )?,
        Format::Dot => {
            let mut nodes: Vec<u32> = answer
                .paths
                .iter()
                .flat_map(|p| p.nodes.iter().copied())
                .collect();
            nodes.sort_unstable();
            nodes.dedup();
            let mut edges: Vec<u32> = answer.paths.iter().flat_map(|p| p.edges()).collect();
            edges.sort_unstable();
            edges.dedup();
            render::dot(g, &nodes, &edges)?
        }
        Format::Svg => render::svg::paths(g, &answer),
        Format::Gexf | Format::Graphml | Format::Gephi => {
            let sub = crate::query::analysis::graphs::paths_subgraph(&answer);
            super::graph_out::write(g, a.format, &sub, a.out.as_deref())?;
            return Ok(if answer.paths.is_empty() { 1 } else { 0 });
        }
    };
    if answer.paths.is_empty() {
        if matches!(a.format, Format::Json) {
            print(&out)?;
        }
        eprintln!("{}", render::text::no_path_reason(g, &answer, &q));
        return Ok(1);
    }
    print(&out)?;
    Ok(0)
}

/// `path --pairs FILE.csv`: one JSON line per data row, in input order.
fn pairs(ctx: &Session, a: &PathArgs, file: &std::path::Path) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a
        .request()
        .options_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    let bytes =
        std::fs::read(file).with_context(|| format!("failed to read `{}`", file.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let headers = rdr
        .headers()
        .with_context(|| format!("{}:1: cannot read the header", file.display()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(fc), Some(tc)) = (col("from"), col("to")) else {
        anyhow::bail!("{}:1: the pairs file needs columns from,to", file.display());
    };
    let mut out = String::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 1;
        let line = match rec {
            Err(e) => serde_json::json!({"row": row, "error": e.to_string()}),
            Ok(rec) => {
                let f = rec.get(fc).unwrap_or("");
                let t = rec.get(tc).unwrap_or("");
                match (resolve_arg(g, f), resolve_arg(g, t)) {
                    (Ok(f), Ok(t)) => {
                        let mut answer = paths(g, f.entity, t.entity, &q);
                        bound_paths(&mut answer, &Limits::CLI);
                        let ends = [("from", f), ("to", t)];
                        let mut view = PathsView::new(g, &answer);
                        view.resolved = Some(resolved_args(g, &ends));
                        let mut v = serde_json::to_value(view)?;
                        v["row"] = row.into();
                        v
                    }
                    (Err(e), _) => serde_json::json!({"row": row, "error": format!("from: {e}")}),
                    (_, Err(e)) => serde_json::json!({"row": row, "error": format!("to: {e}")}),
                }
            }
        };
        out.push_str(&serde_json::to_string(&line)?);
        out.push('\n');
    }
    print(&out)?;
    Ok(0)
}
