use anyhow::Result;
use clap::Args;

use super::{Context_, Format, json, parse_date, print};
use crate::model::{Date, TimeFilter};
use crate::query::{Filter, NeighbourhoodQuery, neighbourhood, parse_kinds, parse_types};
use crate::render;
use crate::view::{NeighboursView, resolved_args};

#[derive(Debug, Args)]
pub struct NeighboursArgs {
    /// The centre: id, name or alias.
    pub entity: String,
    /// How many hops out, either direction.
    #[arg(long, default_value_t = 1)]
    pub depth: u32,
    /// The most entities in the answer (nearest kept); 0 for no cap.
    #[arg(long, default_value_t = 500)]
    pub max_nodes: usize,
    /// Keep only entities of this kind (repeat or comma-separate).
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Follow only relations of this type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Keep only what held on this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub at: Option<Date>,
    /// Keep only what held during a window starting here.
    #[arg(long, value_parser = parse_date)]
    pub from: Option<Date>,
    /// … and ending here.
    #[arg(long, value_parser = parse_date)]
    pub until: Option<Date>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub(super) fn run(ctx: &Context_, a: NeighboursArgs) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let r = super::search::resolve_noting(g, &a.entity)?;
    let center = r.entity;
    let q = NeighbourhoodQuery {
        depth: a.depth,
        max_nodes: a.max_nodes,
        filter: Filter {
            kinds: parse_kinds("--kind", &a.kinds)?,
            types: parse_types(g, "--type", &a.types)?,
            time: TimeFilter::from_options(a.at, a.from, a.until)?,
        },
    };
    let n = neighbourhood(g, center, &q);
    let out = match a.format {
        Format::Text => render::text::neighbourhood(g, &n),
        Format::Json => {
            let mut v = NeighboursView::new(g, &n);
            v.resolved = Some(resolved_args(g, &[("entity", &r)]));
            json(&v)?
        }
        Format::Csv => render::csv::relations(g, n.edges.iter().map(|&r| (None, r)))?,
        Format::Dot => render::dot(
            g,
            &n.nodes.iter().map(|&(e, _)| e).collect::<Vec<_>>(),
            &n.edges,
        )?,
        Format::Svg => render::svg::neighbourhood(g, &n),
    };
    print(&out)?;
    if n.truncated {
        eprintln!(
            "truncated: more than {} entities are within {} hops; raise --max-nodes (0 for no cap) or narrow with --kind/--type",
            a.max_nodes, a.depth
        );
    }
    Ok(0)
}
