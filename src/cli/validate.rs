use anyhow::Result;
use clap::Args;

use super::Session;
use crate::dataset;
use crate::render::text::count;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Treat warnings (types outside the vocabulary, unused rows) as errors.
    #[arg(long)]
    pub strict: bool,
}

/// Prints every problem as `PATH:LINE: message` on stderr, then a summary.
/// Exit 0 when the data loads (warnings allowed unless --strict), 2 when not.
pub(super) fn run(ctx: &Session, a: ValidateArgs) -> Result<u8> {
    match dataset::load_dirs(&ctx.data, &dataset::Quiet) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{w} (warning)");
            }
            let g = &loaded.graph;
            println!(
                "ok: {}, {}, {}; {}",
                count(g.entities.len(), "entity", "entities"),
                count(g.relations.len(), "relation", "relations"),
                count(g.sources.len(), "source", "sources"),
                count(loaded.warnings.len(), "warning", "warnings")
            );
            Ok(if a.strict && !loaded.warnings.is_empty() {
                2
            } else {
                0
            })
        }
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("{e}");
            }
            let n = errors.0.len();
            eprintln!(
                "{n} error{}; nothing was loaded",
                if n == 1 { "" } else { "s" }
            );
            Ok(2)
        }
    }
}
