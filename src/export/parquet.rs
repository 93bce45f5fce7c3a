//! Apache Parquet, for Spark, DuckDB, pandas and the rest of the columnar
//! world: `nodes.parquet`, `edges.parquet` and `sources.parquet`, one row
//! per entity, relation and cited source of the subgraph, in file order.
//!
//! Written column by column with the `parquet` crate's low-level writer
//! (no Arrow), Snappy-compressed, in row groups of [`ROW_GROUP`] rows so
//! memory stays bounded whatever the size of the graph.
//!
//! - Every column of the dataset's CSVs is there, with nulls for empty
//!   cells, and extra columns under their own names (`attr_` in front on a
//!   clash, characters Spark refuses in a column name — space, `,;{}()=`,
//!   tab, newline — made `_`).
//! - Dates are typed `DATE`, partial ones widened as in every export: a
//!   start (and a publication) to its first day, an end to its last. The
//!   date as curated is kept beside it as text (`start_text`, `end_text`,
//!   `published_text`), which also tells a partial date from a full one.
//! - `aliases` is a list of strings.
//! - An edge's ends are `src` and `dst` (the entity ids of `from` and
//!   `to`: GraphFrames' names, and `from`/`to` are SQL keywords); the
//!   cited document is `source_id`; `symmetric` says the type reads the
//!   same both ways (`met_with`, `cooperates_with`).

use std::io::{self, Write};
use std::sync::Arc;

use ::parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::{Type, TypePtr};

use super::{Subgraph, attr_columns, attr_value, sources_of};
use crate::graph::Graph;
use crate::model::Date;

/// The three files, in the order they are written.
pub const FILES: [&str; 3] = ["nodes.parquet", "edges.parquet", "sources.parquet"];

/// Rows per row group: a few MiB of column buffers at most.
pub const ROW_GROUP: usize = 65_536;

/// What a column holds: its Parquet type and whether it may be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A UTF-8 string that is never empty.
    Key,
    /// A UTF-8 string, null when empty.
    Text,
    /// A `DATE` (days since 1970-01-01), null when unknown.
    Date,
    /// A boolean, never null.
    Flag,
    /// A list of strings, null when empty.
    List,
}

const NODE_COLUMNS: &[(&str, Kind)] = &[
    ("id", Kind::Key),
    ("kind", Kind::Key),
    ("name", Kind::Key),
    ("aliases", Kind::List),
    ("country", Kind::Text),
    ("start", Kind::Date),
    ("end", Kind::Date),
    ("start_text", Kind::Text),
    ("end_text", Kind::Text),
    ("description", Kind::Text),
];

const EDGE_COLUMNS: &[(&str, Kind)] = &[
    ("id", Kind::Key),
    ("src", Kind::Key),
    ("dst", Kind::Key),
    ("type", Kind::Key),
    ("symmetric", Kind::Flag),
    ("role", Kind::Text),
    ("start", Kind::Date),
    ("end", Kind::Date),
    ("start_text", Kind::Text),
    ("end_text", Kind::Text),
    ("source_id", Kind::Key),
    ("evidence", Kind::Text),
];

const SOURCE_COLUMNS: &[(&str, Kind)] = &[
    ("id", Kind::Key),
    ("title", Kind::Key),
    ("publisher", Kind::Text),
    ("published", Kind::Date),
    ("published_text", Kind::Text),
    ("url", Kind::Text),
    ("language", Kind::Text),
    ("file", Kind::Text),
];

/// Writes one of [`FILES`].
pub fn write_file(
    g: &Graph,
    sub: &Subgraph,
    name: &str,
    w: &mut (impl Write + Send),
) -> io::Result<()> {
    match name {
        "nodes.parquet" => write_nodes(g, sub, w),
        "edges.parquet" => write_edges(g, sub, w),
        "sources.parquet" => write_sources(g, sub, w),
        other => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "no file \"{other}\" in a parquet export (nodes.parquet, edges.parquet, sources.parquet)"
            ),
        )),
    }
}

/// Writes `nodes.parquet`: one row per entity of the subgraph.
pub fn write_nodes(g: &Graph, sub: &Subgraph, w: &mut (impl Write + Send)) -> io::Result<()> {
    let extras = extras(
        g,
        sub.nodes.iter().map(|&n| &g.entity(n).attrs),
        NODE_COLUMNS,
    );
    let mut t = Table::new(w, NODE_COLUMNS, &extras)?;
    for &n in &sub.nodes {
        let e = g.entity(n);
        t.text(e.id());
        t.text(e.kind.as_str());
        t.text(e.name());
        t.list(e.aliases().iter());
        t.text(e.country.map_or("", |c| g.str(c)));
        t.date(e.start.map(first_day));
        t.date(e.end.map(last_day));
        t.text(&date_text(e.start));
        t.text(&date_text(e.end));
        t.text(e.description());
        for (k, _) in &extras {
            t.text(attr_value(&e.attrs, *k));
        }
        t.end_row()?;
    }
    t.finish()
}

/// Writes `edges.parquet`: one row per relation of the subgraph, with the
/// id `r{index}` the other formats use too.
pub fn write_edges(g: &Graph, sub: &Subgraph, w: &mut (impl Write + Send)) -> io::Result<()> {
    let extras = extras(
        g,
        sub.relations.iter().map(|&r| g.relation_attrs(r)),
        EDGE_COLUMNS,
    );
    let mut t = Table::new(w, EDGE_COLUMNS, &extras)?;
    for &r in &sub.relations {
        let rel = g.relation(r);
        let evidence = g.try_evidence(r)?;
        t.text(&format!("r{r}"));
        t.text(g.entity(rel.from).id());
        t.text(g.entity(rel.to).id());
        t.text(g.str(rel.rel_type));
        t.flag(g.is_symmetric(rel.rel_type));
        t.text(rel.role.map_or("", |s| g.str(s)));
        t.date(rel.start.map(first_day));
        t.date(rel.end.map(last_day));
        t.text(&date_text(rel.start));
        t.text(&date_text(rel.end));
        t.text(&g.source(rel.source).id);
        t.text(&evidence);
        for (k, _) in &extras {
            t.text(attr_value(g.relation_attrs(r), *k));
        }
        t.end_row()?;
    }
    t.finish()
}

/// Writes `sources.parquet`: the sources the subgraph's relations cite
/// (every source for the whole graph).
pub fn write_sources(g: &Graph, sub: &Subgraph, w: &mut (impl Write + Send)) -> io::Result<()> {
    let sources = sources_of(g, sub);
    let extras = extras(
        g,
        sources.iter().map(|&s| &g.source(s).attrs),
        SOURCE_COLUMNS,
    );
    let mut t = Table::new(w, SOURCE_COLUMNS, &extras)?;
    for &s in &sources {
        let src = g.source(s);
        t.text(&src.id);
        t.text(&src.title);
        t.text(&src.publisher);
        t.date(src.published.map(first_day));
        t.text(&date_text(src.published));
        t.text(&src.url);
        t.text(&src.language);
        t.text(&src.file);
        for (k, _) in &extras {
            t.text(attr_value(&src.attrs, *k));
        }
        t.end_row()?;
    }
    t.finish()
}

fn extras<'a>(
    g: &Graph,
    rows: impl IntoIterator<Item = &'a crate::model::Attrs>,
    fixed: &[(&str, Kind)],
) -> Vec<(crate::model::Sym, String)> {
    let reserved: Vec<&str> = fixed.iter().map(|(n, _)| *n).collect();
    attr_columns(g, rows, &reserved, clean)
}

/// A column name Spark accepts: the characters it refuses become `_`.
fn clean(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| if " ,;{}()\n\t=".contains(c) { '_' } else { c })
        .collect();
    if s.is_empty() { "attr".to_string() } else { s }
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Days from 1970-01-01 to a day of the proleptic Gregorian calendar: the
/// value of a Parquet `DATE`. Counts whole 400-year eras of 146,097 days
/// from 0000-03-01, years starting in March so the leap day comes last.
pub fn epoch_days(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400; // 0..=399
    let m = month as i32;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days from 0000-03-01 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// A partial date widened to its first day, as a Parquet `DATE`.
pub fn first_day(d: Date) -> i32 {
    epoch_days(
        i32::from(d.year()),
        u32::from(d.month().unwrap_or(1)),
        u32::from(d.day().unwrap_or(1)),
    )
}

/// A partial date widened to its last day, as a Parquet `DATE`.
pub fn last_day(d: Date) -> i32 {
    let (y, m, day) = super::last_day_of(d);
    epoch_days(i32::from(y), u32::from(m), u32::from(day))
}

fn pq(e: ParquetError) -> io::Error {
    match e {
        ParquetError::External(e) => match e.downcast::<io::Error>() {
            Ok(e) => *e,
            Err(e) => io::Error::other(e),
        },
        other => io::Error::other(other),
    }
}

/// One column's values for the row group being filled, with Parquet's
/// definition levels (how much of an optional value is there) and, for
/// the list, repetition levels (0 starts a row, 1 goes on with it).
#[derive(Default)]
struct Buffer {
    strings: Vec<ByteArray>,
    dates: Vec<i32>,
    flags: Vec<bool>,
    def: Vec<i16>,
    rep: Vec<i16>,
}

/// A Parquet file being written row by row: values go to column buffers,
/// and every [`ROW_GROUP`] rows the buffers are written as a row group.
struct Table<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    kinds: Vec<Kind>,
    columns: Vec<Buffer>,
    at: usize,
    rows: usize,
}

impl<W: Write + Send> Table<W> {
    fn new(
        w: W,
        fixed: &[(&str, Kind)],
        extras: &[(crate::model::Sym, String)],
    ) -> io::Result<Self> {
        let mut kinds: Vec<Kind> = fixed.iter().map(|(_, k)| *k).collect();
        kinds.extend(extras.iter().map(|_| Kind::Text));
        let names = fixed
            .iter()
            .map(|(n, _)| *n)
            .chain(extras.iter().map(|(_, n)| n.as_str()));
        let fields = names
            .zip(&kinds)
            .map(|(name, &kind)| field(name, kind))
            .collect::<Result<Vec<_>, _>>()
            .map_err(pq)?;
        let schema = Type::group_type_builder("schema")
            .with_fields(fields)
            .build()
            .map_err(pq)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("jejaring {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(w, Arc::new(schema), Arc::new(props)).map_err(pq)?;
        let columns = kinds.iter().map(|_| Buffer::default()).collect();
        Ok(Table {
            writer,
            kinds,
            columns,
            at: 0,
            rows: 0,
        })
    }

    fn next(&mut self, kind: Kind) -> &mut Buffer {
        debug_assert!(
            self.kinds[self.at] == kind || (self.kinds[self.at] == Kind::Key && kind == Kind::Text),
            "column {} is {:?}, given {kind:?}",
            self.at,
            self.kinds[self.at]
        );
        self.at += 1;
        &mut self.columns[self.at - 1]
    }

    fn text(&mut self, s: &str) {
        let required = self.kinds[self.at] == Kind::Key;
        let b = self.next(Kind::Text);
        if required {
            b.strings.push(ByteArray::from(s));
        } else if s.is_empty() {
            b.def.push(0);
        } else {
            b.def.push(1);
            b.strings.push(ByteArray::from(s));
        }
    }

    fn date(&mut self, d: Option<i32>) {
        let b = self.next(Kind::Date);
        match d {
            Some(d) => {
                b.def.push(1);
                b.dates.push(d);
            }
            None => b.def.push(0),
        }
    }

    fn flag(&mut self, f: bool) {
        self.next(Kind::Flag).flags.push(f);
    }

    fn list<'a>(&mut self, items: impl Iterator<Item = &'a str>) {
        let b = self.next(Kind::List);
        let mut empty = true;
        for (i, item) in items.enumerate() {
            b.def.push(2);
            b.rep.push(i16::from(i > 0));
            b.strings.push(ByteArray::from(item));
            empty = false;
        }
        if empty {
            b.def.push(0);
            b.rep.push(0);
        }
    }

    fn end_row(&mut self) -> io::Result<()> {
        debug_assert_eq!(self.at, self.columns.len(), "a row of every column");
        self.at = 0;
        self.rows += 1;
        if self.rows == ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(pq)?;
        for (kind, b) in self.kinds.iter().zip(&mut self.columns) {
            let mut col = group
                .next_column()
                .map_err(pq)?
                .ok_or_else(|| io::Error::other("parquet schema has fewer columns"))?;
            let def = (!b.def.is_empty()).then_some(&b.def[..]);
            let rep = (!b.rep.is_empty()).then_some(&b.rep[..]);
            match kind {
                Kind::Key | Kind::Text | Kind::List => col
                    .typed::<ByteArrayType>()
                    .write_batch(&b.strings, def, rep),
                Kind::Date => col.typed::<Int32Type>().write_batch(&b.dates, def, rep),
                Kind::Flag => col.typed::<BoolType>().write_batch(&b.flags, def, rep),
            }
            .map_err(pq)?;
            col.close().map_err(pq)?;
            *b = Buffer::default();
        }
        group.close().map_err(pq)?;
        self.rows = 0;
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        self.writer.close().map_err(pq)?;
        Ok(())
    }
}

/// The schema field of a column.
fn field(name: &str, kind: Kind) -> Result<TypePtr, ParquetError> {
    let leaf = |name: &str, physical, logical, repetition| {
        Type::primitive_type_builder(name, physical)
            .with_repetition(repetition)
            .with_logical_type(logical)
            .build()
            .map(Arc::new)
    };
    match kind {
        Kind::Key => leaf(
            name,
            Physical::BYTE_ARRAY,
            Some(LogicalType::String),
            Repetition::REQUIRED,
        ),
        Kind::Text => leaf(
            name,
            Physical::BYTE_ARRAY,
            Some(LogicalType::String),
            Repetition::OPTIONAL,
        ),
        Kind::Date => leaf(
            name,
            Physical::INT32,
            Some(LogicalType::Date),
            Repetition::OPTIONAL,
        ),
        Kind::Flag => leaf(name, Physical::BOOLEAN, None, Repetition::REQUIRED),
        Kind::List => {
            // The standard three-level list: optional group (LIST) of a
            // repeated group `list` of one required `element`.
            let element = leaf(
                "element",
                Physical::BYTE_ARRAY,
                Some(LogicalType::String),
                Repetition::REQUIRED,
            )?;
            let list = Type::group_type_builder("list")
                .with_repetition(Repetition::REPEATED)
                .with_fields(vec![element])
                .build()?;
            Type::group_type_builder(name)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(Some(LogicalType::List))
                .with_fields(vec![Arc::new(list)])
                .build()
                .map(Arc::new)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_count_from_1970() {
        assert_eq!(epoch_days(1970, 1, 1), 0);
        assert_eq!(epoch_days(1969, 12, 31), -1);
        assert_eq!(epoch_days(2000, 3, 1), 11_017);
        assert_eq!(epoch_days(2024, 2, 29), 19_782);
        assert_eq!(epoch_days(2025, 6, 19), 20_258);
        assert_eq!(epoch_days(1, 1, 1), -719_162);
        assert_eq!(epoch_days(9999, 12, 31), 2_932_896);
        // Consecutive days are consecutive numbers across month and leap ends.
        let mut prev = epoch_days(1899, 12, 31);
        for y in 1900..=2100 {
            for m in 1..=12u8 {
                for d in 1..=31u8 {
                    if Date::new(y, m, d).is_some() {
                        let n = epoch_days(i32::from(y), u32::from(m), u32::from(d));
                        assert_eq!(n, prev + 1, "{y}-{m}-{d}");
                        prev = n;
                    }
                }
            }
        }
    }

    #[test]
    fn partial_dates_widen_to_their_first_and_last_days() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(first_day(d("2025")), epoch_days(2025, 1, 1));
        assert_eq!(last_day(d("2025")), epoch_days(2025, 12, 31));
        assert_eq!(first_day(d("2024-02")), epoch_days(2024, 2, 1));
        assert_eq!(last_day(d("2024-02")), epoch_days(2024, 2, 29));
        assert_eq!(last_day(d("2025-06-19")), epoch_days(2025, 6, 19));
    }

    #[test]
    fn column_names_spark_refuses_are_cleaned() {
        assert_eq!(clean(" a b(c)=d "), "a_b_c__d");
        assert_eq!(clean("  "), "attr");
        assert_eq!(clean("naïve"), "naïve");
    }
}
