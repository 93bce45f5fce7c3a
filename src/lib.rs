//! # jejaring — a graph explorer of diplomatic and corporate relationships
//!
//! jejaring loads datasets of people, institutions, companies, countries,
//! agreements, events and topics, joined by typed, dated relations that
//! each cite a source document, and answers: who is connected to whom,
//! through what, when, and on whose word.
//!
//! ## Bird's-eye view
//!
//! ```text
//!  CSV folders ──► dataset (read, check, merge) ──► Graph (adjacency + indexes)
//!  (or the embedded                                    │
//!   default dataset)            ┌──────────────────────┼───────────────────────┐
//!                               ▼                      ▼                       ▼
//!                        query (resolve,         export (gephi, gexf,    render (text, svg,
//!                        search, neighbours,     graphml, json, dot,     csv, dot of answers)
//!                        paths) — pure           neo4j, parquet)                │
//!                               │                      │                       │
//!                               └──────────┬───────────┴───────────────────────┘
//!                                          ▼
//!                         front ends: cli (clap) and web (actix + askama)
//! ```
//!
//! A row flows from a CSV file through [`dataset::load`], which checks every
//! cell and either returns every problem as `PATH:LINE: message` or hands
//! the checked rows to `graph::Graph::build`. Queries take the graph and
//! return indexes into it; [`view`] turns answers into the JSON shapes both
//! front ends print; [`render`] turns them into text and pictures.
//!
//! ## Code map
//!
//! - [`error`] — typed errors; data errors carry file and line.
//! - [`model`] — entities, relations, sources, kinds, partial dates, time
//!   filters, the relation vocabulary, interned strings. An entity's id,
//!   name, description and aliases are one string with three ends
//!   (`model::EntityTexts`, aliases joined by `|`): one allocation per
//!   entity, read from a snapshot as one run of bytes.
//! - [`text`] — folding of case, accents and punctuation for matching
//!   (`text::CaseFold` for many names in a row).
//! - [`atomic`] — the one way a file is written: to a temporary file
//!   beside its target, synced, then renamed over it. Exports and
//!   generated datasets both write through it.
//! - [`dataset`] — reading dataset folders, checking them, the embedded
//!   default dataset. `dataset::records` watches the byte stream: it
//!   bounds every record ([`store::MAX_RECORD_BYTES`], 16 MiB) and finds
//!   unclosed quotes; `dataset::source` opens the files, whole or from an
//!   offset. `dataset::checks` (`CheckedRows`) gathers the rows checked
//!   so far from every folder and hands them to the graph
//!   (`graph::GraphParts`, `Graph::build`, crate-internal);
//!   `dataset::halves` reads relations in one piece or two;
//!   `dataset::spans` finds relations dated outside an entity's span (for
//!   `validate`). `dataset::merge` makes one entity of those sharing an
//!   external id (the `ids` column) or joined by `same_as`, before the graph
//!   is built: the first in file order stands for the group, every member
//!   id maps to it, relations are re-pointed (`same_as` stays as a loop, no
//!   hop), and its `merged` attribute lists each member's id, file and
//!   line. Both cores
//!   work on a big dataset (files of 8 MiB or more): sources and entities are parsed on one core
//!   and checked on the other (batches of 256 records over a channel); the
//!   name index is then built on a thread of its own while the relations
//!   file is read in two halves at once, split at a record start guessed
//!   near the middle and confirmed by the first half ending exactly there
//!   (else the file is read in one piece; `load` splits only with two
//!   cores, tests split on any machine). The halves are checked against
//!   the same read-only entities and sources and merged in file order, so
//!   graph, warnings and errors are the same as from one piece
//!   (`dataset/tests.rs` loads every fixture both ways and compares). The
//!   traversal indexes are built from the halves as read (relations
//!   numbered across them), the adjacency on two threads; then the second
//!   half is appended to the first, in place (a `concat` into a third
//!   vector held every relation twice at the peak). Rows are read in batches
//!   whose id lookups are warmed first, so their cache misses overlap.
//! - [`ids`] — the entity id → index table: one cache miss per lookup for
//!   ids of up to 20 bytes, kept whole in their slots.
//! - [`store`] — long, rarely read texts (evidence) left in the relations
//!   files: the graph keeps where each record starts (8 bytes a relation)
//!   and holds the files open; showing evidence re-reads the record. A file
//!   changed in place since loading is noticed and said, never misread. It
//!   owns the record limit the loader enforces.
//! - [`graph`] — the [`graph::Graph`] and its accessors (`graph/mod.rs`);
//!   `graph::adjacency`, a compact two-way adjacency (all relation ends in
//!   one array, entity by entity, in file order) that every traversal
//!   walks; `graph::names`, the name/alias index (whole names in sorted
//!   keys, words in an fst), crate-internal (query's resolve and search
//!   read it); id maps; and
//!   [`graph::visit`], petgraph's visit traits on `&Graph` (node `i` is
//!   entity `i`, edge ids and weights are relation indexes), so petgraph's
//!   algorithms (dijkstra, page_rank, connected_components, Bfs) walk the
//!   adjacency itself, with no second copy of the graph.
//! - [`snapshot`] — a built graph (and its load warnings) written to one
//!   checksummed file and read back (format 5: counts little-endian, the
//!   big fixed-width arrays — id slots, adjacency, offsets — as they lie
//!   in memory, each read back by one `read_exact` into a vector of its
//!   plain-data type, casts derived by `zerocopy`; the whole graph's
//!   components stored, not found again), under a key of the CSV
//!   files (path, length, modification time, CRC-32 of both ends); a
//!   stale, truncated, corrupt, foreign-version or foreign-byte-order
//!   snapshot is refused and never used. `dataset::load_cached` decides
//!   when to use one (`--cache DIR`, `--no-cache`, the default folder for
//!   data of 8 MiB or more) and writes it through [`atomic`].
//!   `JEJARING_MEMORY=1` prints `Graph::memory`, the bytes per structure.
//! - [`keys`] — sorted distinct keys end to end, looked up exactly and by
//!   prefix: the name index's whole names, at no build cost beyond the sort
//!   it does anyway (its words, searched by edit distance, are an fst).
//! - [`query`] — resolve, search, neighbourhood, paths: pure, bounded.
//!   `resolve` says how an argument matched (id, name, alias or search,
//!   with score and runners-up) and refuses close search candidates as
//!   ambiguous; `search` scores with named constants, counts every match
//!   (`total`) and filters by kind. `query::subgraph` selects a part of the
//!   graph (a time slice, a neighbourhood) as the `Subgraph` that exports
//!   and pictures consume. `query::analysis` ranks entities (degree,
//!   PageRank, Brandes betweenness — sampled with a standard error above
//!   50,000 entities — and column sums), finds common ties, shortest
//!   time-respecting paths, timelines, relation pages, connected
//!   components and the degree distribution. Its `request` holds the
//!   analyses' request types (`RankRequest`, `CommonRequest`,
//!   `TimelineRequest`, `RelationsRequest`, and `PathRequest::chrono_with`
//!   for `path --chronological`), checked like those of `query::request`;
//!   its `graphs` turns answers (an interlock, paths, a time-respecting
//!   path) into the `Subgraph` the GEXF, GraphML and Gephi writers take;
//!   its `metrics` measures each entity of an exported part (degree,
//!   PageRank, component number) for `export --with-metrics`, which the
//!   exporters only write as declared columns.
//!   `query::paths` ranks paths specific first by default (`Ranking`):
//!   `query::weighted` prices a hop by the entity entered
//!   (`1 + log2(degree)`) and generic relation types (×3), and searches
//!   with a Dijkstra that replays petgraph's `astar` step for step but
//!   stops once the budget is spent, over an `EdgeFiltered` view of
//!   `&Graph` that applies the constraints and charges the budget (a
//!   hop-bounded Dijkstra of its own for `max_hops`); Yen's algorithm on top gives k paths, and
//!   `paths::fold` leaves out near duplicates. `Ranking::Plain` is the
//!   bidirectional BFS by hop count. The weighted search grows from one
//!   end, so it stops at `paths::SPECIFIC_BUDGET` relation ends and the
//!   answer falls back to the plain ranking, saying so (`fell_back`).
//!   `query::neighbourhood` walks every relation that held at the time
//!   asked, narrowed only by its `through` filter, then shows what its
//!   `filter` keeps (kinds, types) and counts what each filter removed
//!   (`Removed`). Every time filter reads a relation's span within both
//!   entities' spans, point events on their date (`query::relation_span`,
//!   `model::Span`, `model::POINT_EVENTS`).
//!   `query::request` holds one request type per query (search, entity,
//!   neighbours, path, export) as the user gave it, with the one set of
//!   defaults; `validate_with(&Graph, &Limits)` checks it and resolves its
//!   entity arguments (recording how each matched, for the notices), and
//!   the front ends differ only by the `Limits` they pass (`Limits::CLI`,
//!   `Limits::WEB`). Long relation lists are paged (`Paging`); a
//!   neighbourhood's page may hold 4 relations per entity of its node cap
//!   (`request::neighbourhood_page_cap`), so a dense one comes whole.
//!   `query::explore` groups an entity's neighbours by relation type, most
//!   important first (by a score the caller gives — the web's PageRank —
//!   then relation count) and paged, and lists every relation between two
//!   entities: what the web's canvas grows its picture from.
//!   `query::table` orders the relation tables of the entity and
//!   neighbourhood pages (by type, date, the other party's name or
//!   relation count), narrows them to types and counts each type.
//! - [`view`] — serialisable answer shapes (DESIGN.md's ENT, REL, …).
//! - [`export`] — whole-graph and subgraph exports, each to `impl Write`
//!   (`export::ftm` writes FollowTheMoney lines that `import ftm` reads
//!   back to the same dataset; `export::parquet` writes typed Parquet
//!   tables of nodes, edges and sources with the `parquet` crate's
//!   column writer, row group by row group, for Spark and DuckDB);
//!   `export::xml` holds what GEXF and GraphML share (declared columns,
//!   edge values, escaping); `export::save` writes the files through
//!   [`atomic`], so no half file is ever left.
//! - [`render`] — text, CSV, DOT and SVG renderings of answers, shared by
//!   the CLI and the web; a layer above [`export`], whose DOT writer and
//!   spreadsheet-safe cells (`export::safe_cell`) it reuses.
//!   `render::layout` places the pictures' nodes (rings by distance, paths
//!   left to right); `render::svg` draws them and escapes its own text;
//!   `render::timeline` draws an entity's timeline on a time axis.
//! - [`cli`] — one file per subcommand: clap arguments into the core's
//!   request, call the core, print; `cli::Session` is where the data is;
//!   `cli::graph_out` writes answers as graph files (`--format
//!   gexf|graphml|gephi`), `cli::chrono` is `path --chronological`.
//! - [`web`] — actix-web app: state (graph behind an `ArcSwap`, corpus
//!   texts, banner, what pages derive once per graph in `cache`: home
//!   lists, the Aho-Corasick corpus highlighter and the PageRank that
//!   orders the canvas's groups), routes in one
//!   `configure`, `params` reading URL parameters into the core's requests
//!   under `Limits::WEB`, askama pages over `templates/` with one module
//!   per route family (`pages::{home, entity, neighbours, path, sources,
//!   export, rank, common, timeline, relations}`, shared view models and
//!   the pager in `pages`; the path page says which ends were matched by
//!   search and offers a choice page for an ambiguous one, and answers
//!   `chronological=1` with the time-respecting path; the analysis
//!   pages and the path page answer a refused form with the form filled
//!   in and a 400, `pages::form`, and link their answers as graph files
//!   through the one download helper, `pages::download`:
//!   `/export/{path,common,relations}/{format}`,
//!   `/export/timeline/{id}/{format}`), the JSON API,
//!   embedded `assets/` (the canvas explorer `assets/explorer.js` over the
//!   vendored cytoscape.js in `assets/vendor/`, fed by `explore`'s JSON
//!   routes and, on the neighbourhood page, by a JSON data block of the
//!   entities at the places of the server's ring picture,
//!   `explore::canvas_data`; fcose is loaded only when a force layout
//!   runs; on the canvas pages the server picture is inside `<noscript>`,
//!   unparsed text to a browser running scripts, parsed back by
//!   `assets/app.js` only if the canvas cannot start), one error type for 400/404 pages and JSON;
//!   `create_app` for in-process tests. Its `pool` runs expensive queries on
//!   a bounded worker pool with deadlines, limits request size, and turns a
//!   panic into a logged 500 (a last line of defence no route reaches);
//!   `reload` is `serve --watch`; `edit` is `serve --edit`, the only
//!   routes that take a POST (an article form, its review, applying it
//!   through `ingest::review`), behind a per-process token, a same-origin
//!   check and a loopback `Host`. Logs go through `tracing`.
//! - [`ingest`] — from a news article to reviewed rows: `ingest::text`
//!   (bytes to text, HTML stripped, sentences with byte offsets, page
//!   furniture left out), `ingest::lexicon` (titles, cues, furniture and
//!   organisation patterns, nouns that refer back to agreements and events:
//!   the CSV files of `datasets/lexicon/`, compiled
//!   in), `ingest::mentions` (names and aliases matched word by word with
//!   Aho–Corasick over folded text; clitics, defined acronyms but not
//!   datelines, parts of names; `analyse` adds agreements and events
//!   referred to by a noun such as `MoU ini`), `ingest::candidates` (new names by pattern), `ingest::dates`,
//!   `ingest::relations` (titles and cue words to proposed relations) and
//!   `ingest::review` (the review CSV, and applying it to a dataset folder:
//!   checked row by row, then loaded by [`dataset`] from memory, then
//!   written through [`atomic`]; rows already there are skipped).
//! - [`generate`] — deterministic synthetic datasets of any size, shaped
//!   like real registries (hubs and leaves, aliases in several scripts),
//!   for trying scale, benchmarks and property tests; written through
//!   [`atomic`].
//! - [`import`] — other people's data into dataset folders: `import::table`
//!   reads CSV/TSV (streamed, records bounded like the loader's) and
//!   XLSX/XLS/ODS (calamine) as rows; `import::mapping` says which column
//!   means what (flags, a TOML file, or guessed from headers, printed back
//!   as TOML); [`import::slug`] makes stable, collision-safe ids from
//!   names; [`import::dates`] reads spreadsheet dates, refusing ambiguous
//!   ones; [`import::ftm`] maps FollowTheMoney JSON lines to our kinds and
//!   types; [`import::link`] proposes pairs of one entity in two loaded
//!   datasets (same folded name and kind, agreeing country and dates) as
//!   `same_as` review rows. `import::writer` streams the three files to a
//!   temporary folder, checking every row as it is written by the
//!   loader's rules (ids by `dataset::id_problem`, kinds, names, dates,
//!   every relation's ends and source written; an end named before its
//!   entity waits as its id and line), then renames the folder into
//!   place, so a failed import writes nothing; it encodes rows as CSV
//!   itself, byte for byte as the `csv` crate would. Delimited tables are
//!   parsed and checked as UTF-8 on a second thread while rows are mapped
//!   and written on the first.
//!
//! ## Invariants
//!
//! - Layers depend only downward. Lowest first (a module uses only
//!   modules of lower layers; `tests/architecture.rs` holds the same
//!   table and checks it on the source):
//!   1. error, text, keys, atomic
//!   2. model
//!   3. ids, store
//!   4. graph
//!   5. snapshot
//!   6. dataset, query
//!   7. generate, view, ingest, import
//!   8. export
//!   9. render
//!   10. web
//!   11. cli (its `serve` starts the web app)
//!
//!   The core never imports actix, askama, clap or anyhow; they live only
//!   in cli and web.
//! - Loading is all or nothing: a graph exists only for data with no error.
//! - A [`graph::Graph`] is immutable; a reload builds a new one.
//! - Every query is bounded in cost (node caps, visit budgets) and returns
//!   results in a stable order, so outputs are deterministic.
//! - Only [`web`] knows about HTTP; only [`cli`] writes to the terminal.
//! - File IO lives in [`dataset`] (reading), [`snapshot`] (reading
//!   snapshots and stamping the CSV files; writing through [`atomic`]),
//!   [`store`] (reading evidence
//!   back from the relations files the graph holds open), [`atomic`]
//!   (writing, for `export::save`, [`generate`] and `ingest::review`,
//!   which also reads the CSV files it appends to), [`import`] (reading
//!   foreign files, writing the dataset folder it makes) and the front ends;
//!   queries and rendering open no file.

pub mod atomic;
pub mod cli;
pub mod dataset;
pub mod error;
pub mod export;
pub mod generate;
pub mod graph;
pub mod ids;
pub mod import;
pub mod ingest;
pub mod keys;
pub mod model;
pub mod query;
pub mod render;
pub mod snapshot;
pub mod store;
pub mod text;
pub mod view;
pub mod web;
