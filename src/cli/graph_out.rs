//! Answers written as graphs (`--format gexf|graphml|gephi`): to `--out`,
//! or to stdout for the single-file formats.

use std::path::Path;

use anyhow::{Context, Result};

use super::Format;
use crate::export::{ExportFormat, Subgraph, save, write_file};
use crate::graph::Graph;

/// The export format of a graph output format.
fn export_format(format: Format) -> ExportFormat {
    match format {
        Format::Gephi => ExportFormat::Gephi,
        Format::Graphml => ExportFormat::Graphml,
        _ => ExportFormat::Gexf,
    }
}

/// Writes an answer's subgraph in a graph format: to `out` when given
/// (a folder for gephi), else to stdout, which gephi's two files cannot
/// share.
pub(crate) fn write(g: &Graph, format: Format, sub: &Subgraph, out: Option<&Path>) -> Result<()> {
    let fmt = export_format(format);
    match out {
        Some(path) => {
            save(g, fmt, sub, path).with_context(|| format!("failed to write {}", fmt.as_str()))?;
            eprintln!(
                "wrote {} entities, {} relations to {}",
                sub.nodes.len(),
                sub.relations.len(),
                path.display()
            );
        }
        None if fmt.is_folder() => {
            anyhow::bail!("--format gephi writes a folder of two files: give it with --out DIR")
        }
        None => {
            let mut bytes = Vec::new();
            let name = crate::export::file_names(g, fmt, sub).remove(0);
            write_file(g, fmt, sub, &name, &mut bytes)
                .with_context(|| format!("failed to write {}", fmt.as_str()))?;
            super::print(&String::from_utf8_lossy(&bytes))?;
        }
    }
    Ok(())
}
