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
        Ok(mut loaded) => {
            let spans = dataset::spans::warnings(&loaded.graph);
            loaded.warnings.extend(spans);
            for line in grouped(&loaded.warnings) {
                eprintln!("{line}");
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

/// The warnings of one shape shown in full; the rest of them are counted.
const EXAMPLES: usize = 3;

/// Warnings grouped by shape (the message with quoted names and numbers
/// blanked), in the order each shape first occurs: a few examples of each,
/// then a count of the rest, so a thousand rows with the same fault read
/// as one finding.
fn grouped(warnings: &[crate::error::DataError]) -> Vec<String> {
    let mut groups: Vec<Vec<&crate::error::DataError>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for w in warnings {
        let at = *index.entry(shape(&w.message)).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(w);
    }
    let mut out = Vec::new();
    for ws in groups {
        for w in ws.iter().take(EXAMPLES) {
            out.push(format!("{w} (warning)"));
        }
        if ws.len() > EXAMPLES {
            out.push(format!(
                "  … and {} more like this ({} in all)",
                ws.len() - EXAMPLES,
                count(ws.len(), "warning", "warnings")
            ));
        }
    }
    out
}

/// A message with its quoted parts blanked, and each number or date (a run
/// of digits with the dashes between and after them: `2019-04-17–2020`)
/// blanked as one, so dates of every precision, open or closed, read as
/// one shape.
fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push('"');
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            '-' | '–' if out.ends_with('#') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn dates_of_every_precision_have_one_shape() {
        let a = shape(
            r#"relation dated 2019-04-17– falls outside the span of "a" (1963-07-15–1964-09-21)"#,
        );
        let b = shape(r#"relation dated 2014– falls outside the span of "bb" (2003-11–)"#);
        assert_eq!(a, b);
        assert_eq!(a, r#"relation dated # falls outside the span of "" (#)"#);
        // Other punctuation still tells shapes apart.
        assert_ne!(shape("line 3: a-b"), shape("line 3: a b"));
    }
}
