use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::{Session, print};
use crate::ingest::{self, Article, IngestError, review};
use crate::model::Date;

/// Read a news article and propose rows for review; or apply a review.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  jejaring ingest article.txt --source-id antara-2025-x --published 2025-04-15 --out review.csv\n  jejaring ingest --apply review.csv --data datasets/mine"
)]
pub struct IngestArgs {
    /// The article: plain text or HTML (scripts and tags are dropped).
    #[arg(value_name = "ARTICLE", required_unless_present = "apply")]
    pub article: Option<PathBuf>,
    /// The id the article gets in sources.csv.
    #[arg(long, value_name = "ID", required_unless_present = "apply")]
    pub source_id: Option<String>,
    #[arg(long, default_value = "")]
    pub title: String,
    #[arg(long, default_value = "")]
    pub publisher: String,
    /// When the article was published (YYYY, YYYY-MM or YYYY-MM-DD); its
    /// year reads dates the text gives without one.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    #[arg(long, default_value = "")]
    pub url: String,
    /// The article's language (id or en).
    #[arg(long, default_value = "id")]
    pub language: String,
    /// Write the review CSV here; without it, a table goes to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Append the rows marked `yes` in this review CSV to the --data
    /// folder (one folder), after checking them all.
    #[arg(long, value_name = "REVIEW", conflicts_with_all = ["article", "out"])]
    pub apply: Option<PathBuf>,
}

pub(super) fn run(ctx: &Session, a: IngestArgs) -> Result<u8> {
    if let Some(review_path) = a.apply {
        return apply(ctx, &review_path);
    }
    let (Some(path), Some(source_id)) = (a.article, a.source_id) else {
        bail!("give an ARTICLE and --source-id, or --apply REVIEW");
    };
    let published = a
        .published
        .as_deref()
        .map(|p| {
            p.parse::<Date>()
                .with_context(|| format!("--published {p:?}"))
        })
        .transpose()?;
    let bytes = read_bounded(&path)?;
    let article = Article {
        source_id,
        title: a.title,
        publisher: a.publisher,
        published,
        url: a.url,
        language: a.language,
        file: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let loaded = ctx.load_for_query()?;
    let analysis = ingest::ingest(&loaded.graph, &bytes, &article)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let rows = review::rows(&loaded.graph, &analysis, &article);
    match a.out {
        Some(out) => {
            let dir = match out.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let name = out
                .file_name()
                .context("--out needs a file name")?
                .to_string_lossy()
                .into_owned();
            crate::atomic::write_file(&dir, &name, ".review-", |w| review::write(&rows, w))
                .with_context(|| format!("writing {}", out.display()))?;
            eprintln!(
                "{}: {} mentions, {} new entities, {} relations proposed",
                out.display(),
                analysis.mentions.len(),
                analysis.entities.len(),
                analysis.relations.len()
            );
        }
        None => print(&table(&rows))?,
    }
    Ok(0)
}

/// Reads a file, refusing one far bigger than any article before reading
/// it whole.
fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("{}", path.display()))?
        .len();
    if size > ingest::text::MAX_ARTICLE_BYTES as u64 {
        bail!(
            "{}: the file is {size} bytes; at most {} are read (is this an article?)",
            path.display(),
            ingest::text::MAX_ARTICLE_BYTES
        );
    }
    std::fs::read(path).with_context(|| format!("{}", path.display()))
}

fn apply(ctx: &Session, review_path: &std::path::Path) -> Result<u8> {
    let [dir] = ctx.data.as_slice() else {
        bail!("--apply needs exactly one --data folder to write to");
    };
    let bytes = std::fs::read(review_path).with_context(|| format!("{}", review_path.display()))?;
    let label = review_path.display().to_string();
    match review::apply(&label, &bytes, dir) {
        Ok(done) => {
            let verb = if done.changed() {
                "appended"
            } else {
                "nothing new;"
            };
            println!(
                "{verb} {} source{}, {} entit{}, {} relation{} to {} ({} already there, {} undecided)",
                done.sources,
                if done.sources == 1 { "" } else { "s" },
                done.entities,
                if done.entities == 1 { "y" } else { "ies" },
                done.relations,
                if done.relations == 1 { "" } else { "s" },
                dir.display(),
                done.already,
                done.undecided,
            );
            Ok(0)
        }
        Err(IngestError::Review(errors) | IngestError::Data(errors)) => {
            for e in &errors {
                eprintln!("{e}");
            }
            let n = errors.len();
            bail!(
                "{n} problem{}; nothing was written",
                if n == 1 { "" } else { "s" }
            )
        }
        Err(e) => bail!("{e}; nothing was written"),
    }
}

/// The proposals as an aligned table.
fn table(rows: &[review::ReviewRow]) -> String {
    let mut lines: Vec<[String; 4]> = vec![[
        "PROPOSAL".into(),
        "WHAT".into(),
        "CONF".into(),
        "CUE".into(),
    ]];
    for r in rows {
        let what = match r.proposal.as_str() {
            "source" => format!("{} {:?}", r.id, r.name),
            "relation" => {
                let date = if r.start.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.start)
                };
                let role = if r.role.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", r.role)
                };
                format!("{} -{}-> {}{role}{date}", r.from, r.rel_type, r.to)
            }
            _ => format!("{} ({}) {}", r.id, r.kind, r.name),
        };
        lines.push([
            r.proposal.clone(),
            what,
            r.confidence.clone(),
            r.cue.clone(),
        ]);
    }
    let w0 = lines
        .iter()
        .map(|l| l[0].chars().count())
        .max()
        .unwrap_or(0);
    let w1 = lines
        .iter()
        .map(|l| l[1].chars().count())
        .max()
        .unwrap_or(0);
    let w2 = lines
        .iter()
        .map(|l| l[2].chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        let line = format!("{:w0$}  {:w1$}  {:w2$}  {}", l[0], l[1], l[2], l[3]);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
