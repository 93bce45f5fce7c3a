//! `jejaring path --chronological`: the shortest time-respecting path,
//! each hop dated no earlier than the one before.

use std::path::Path;

use anyhow::Result;

use super::{Format, WINDOW_FROM, json, only, print, refused};
use crate::graph::Graph;
use crate::query::Limits;
use crate::query::analysis::chrono_path;
use crate::query::analysis::graphs::chrono_subgraph;
use crate::query::request::PathRequest;
use crate::render;
use crate::view::{ChronoPathView, resolved_args};

/// Runs a chronological path request; exit 1 when there is no such path.
pub(super) fn run(g: &Graph, r: &PathRequest, format: Format, out: Option<&Path>) -> Result<u8> {
    only(
        format,
        &[
            Format::Text,
            Format::Json,
            Format::Csv,
            Format::Gexf,
            Format::Graphml,
            Format::Gephi,
        ],
    )?;
    let q = r
        .chrono_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    let ends = r
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    super::note_resolutions(g, &ends.resolved);
    let found = chrono_path(g, ends.from, ends.to, &q).map_err(|e| refused(e.into()))?;
    let text = match (format, &found) {
        (Format::Json, _) => {
            let mut v = ChronoPathView::new(g, ends.from, ends.to, found.as_ref());
            v.resolved = Some(resolved_args(g, &ends.resolved));
            json(&v)?
        }
        (_, None) => String::new(),
        (Format::Csv, Some(p)) => {
            render::csv::relations(g, p.hops.iter().map(|h| (None, h.relation)))?
        }
        (Format::Gexf | Format::Graphml | Format::Gephi, Some(p)) => {
            super::graph_out::write(g, format, &chrono_subgraph(p), out)?;
            String::new()
        }
        (_, Some(p)) => render::text::chrono_path(g, p),
    };
    print(&text)?;
    if found.is_none() {
        eprintln!(
            "no time-respecting path from {} to {} within {} hops{}",
            g.entity(ends.from).name(),
            g.entity(ends.to).name(),
            q.max_hops,
            if q.allow_undated {
                ""
            } else {
                " (undated relations are not used; --allow-undated uses them)"
            }
        );
        return Ok(1);
    }
    Ok(0)
}
