use anyhow::Result;
use clap::Args;

use super::{Format, Session, WINDOW_FROM, json, print, refused};
use crate::query::request::{DEFAULT_MAX_NODES, DEFAULT_PER_PAGE, NeighboursRequest};
use crate::query::{Limits, neighbourhood};
use crate::render;
use crate::render::text::count;
use crate::view::{NeighboursView, resolved_args};

#[derive(Debug, Args)]
pub struct NeighboursArgs {
    /// The centre: id, name or alias.
    pub entity: String,
    /// How many hops out, either direction.
    #[arg(long, default_value_t = 1)]
    pub depth: u32,
    /// The most entities in the answer (nearest kept); 0 for no cap.
    #[arg(long, default_value_t = DEFAULT_MAX_NODES)]
    pub max_nodes: usize,
    /// Show only entities of this kind (repeat or comma-separate); the
    /// walk still goes through every kind.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Show only relations of this type, and the entities they touch
    /// (repeat or comma-separate); the walk still follows every type.
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Walk on only from entities of this kind (repeat or comma-separate).
    #[arg(long = "through-kind", value_name = "KIND")]
    pub through_kinds: Vec<String>,
    /// Walk along only relations of this type (repeat or comma-separate).
    #[arg(long = "through-type", value_name = "TYPE")]
    pub through_types: Vec<String>,
    #[command(flatten)]
    pub time: super::TimeArgs,
    /// Which page of the relations among the entities (JSON only; the
    /// other formats list them all).
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Relations per page (JSON); 0 for all on one page.
    #[arg(long, default_value_t = DEFAULT_PER_PAGE)]
    pub per_page: usize,
    /// With --format gexf, graphml or gephi: where to write (a folder for
    /// gephi); stdout when absent.
    #[arg(long, value_name = "PATH")]
    pub out: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl NeighboursArgs {
    fn request(&self) -> NeighboursRequest {
        NeighboursRequest {
            entity: self.entity.clone(),
            depth: self.depth,
            max_nodes: self.max_nodes,
            kinds: self.kinds.clone(),
            types: self.types.clone(),
            through_kinds: self.through_kinds.clone(),
            through_types: self.through_types.clone(),
            time: self.time.request(),
            page: self.page,
            per_page: self.per_page,
        }
    }
}

pub(super) fn run(ctx: &Session, a: NeighboursArgs) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a
        .request()
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    super::note_resolutions(g, &q.resolved);
    let n = neighbourhood(g, q.center, &q.query);
    let out = match a.format {
        Format::Text => render::text::neighbourhood(g, &n),
        Format::Json => {
            let mut v = NeighboursView::page(g, &n, &q.paging).map_err(refused)?;
            v.resolved = Some(resolved_args(g, &q.resolved));
            json(&v)?
        }
        Format::Csv => render::csv::relations(g, n.edges.iter().map(|&r| (None, r)))?,
        Format::Dot => render::dot(
            g,
            &n.nodes.iter().map(|&(e, _)| e).collect::<Vec<_>>(),
            &n.edges,
        )?,
        Format::Svg => render::svg::neighbourhood(g, &n),
        Format::Gexf | Format::Graphml | Format::Gephi => {
            let sub = crate::export::Subgraph::of(&n);
            super::graph_out::write(g, a.format, &sub, a.out.as_deref())?;
            String::new()
        }
    };
    print(&out)?;
    if n.truncated {
        eprintln!(
            "truncated: more than {} are within {}; raise --max-nodes (0 for no cap) or narrow the walk with --through-kind/--through-type",
            count(q.query.max_nodes, "entity", "entities"),
            count(q.query.depth as usize, "hop", "hops")
        );
    }
    Ok(0)
}
