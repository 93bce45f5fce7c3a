use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::{Context_, Format, json, parse_date, print};
use crate::graph::Graph;
use crate::model::{Date, TimeFilter};
use crate::query::{PathMode, PathQuery, parse_kinds, parse_types, paths, resolve_arg};
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
    /// The k shortest loopless paths, shortest first.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
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
    /// Use only what held on this date.
    #[arg(long, value_parser = parse_date)]
    pub at: Option<Date>,
    /// A CSV file with columns from,to: one JSON line per row.
    #[arg(long, value_name = "FILE.csv", conflicts_with_all = ["from", "to"])]
    pub pairs: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl PathArgs {
    fn query(&self, g: &Graph) -> Result<PathQuery> {
        let avoid = self
            .avoid
            .iter()
            .map(|a| {
                super::search::resolve_noting(g, a)
                    .map(|r| r.entity)
                    .context("--avoid")
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PathQuery {
            mode: match (self.all, self.k) {
                (true, _) => PathMode::All,
                (_, Some(k)) => PathMode::K(k as usize),
                _ => PathMode::Shortest,
            },
            max_hops: self.max_hops,
            directed: self.directed,
            exclude_kinds: parse_kinds("--exclude-kind", &self.exclude_kinds)?,
            avoid,
            types: parse_types(g, "--type", &self.types)?,
            time: self.at.map_or(TimeFilter::Always, TimeFilter::At),
            ..PathQuery::default()
        })
    }
}

pub(super) fn run(ctx: &Context_, a: PathArgs) -> Result<u8> {
    if let Some(file) = &a.pairs {
        return pairs(ctx, &a, file);
    }
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let (Some(from), Some(to)) = (&a.from, &a.to) else {
        anyhow::bail!("give FROM and TO, or --pairs FILE.csv");
    };
    let from_r = super::search::resolve_noting(g, from).context("FROM")?;
    let to_r = super::search::resolve_noting(g, to).context("TO")?;
    let (from, to) = (from_r.entity, to_r.entity);
    let q = a.query(g)?;
    let answer = paths(g, from, to, &q);
    let out = match a.format {
        Format::Text => render::text::paths(g, &answer, &q),
        Format::Json => {
            let mut v = PathsView::new(g, &answer);
            v.resolved = Some(resolved_args(g, &[("from", &from_r), ("to", &to_r)]));
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
fn pairs(ctx: &Context_, a: &PathArgs, file: &std::path::Path) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a.query(g)?;
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
                        let answer = paths(g, f.entity, t.entity, &q);
                        let mut view = PathsView::new(g, &answer);
                        view.resolved = Some(resolved_args(g, &[("from", &f), ("to", &t)]));
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
