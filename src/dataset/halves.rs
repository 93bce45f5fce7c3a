//! Reading relations, in one piece or in two halves at once (a big file
//! on two cores): each piece is checked against the same read-only
//! sources and entities ([`Known`]) into a [`RelationPart`], and the parts
//! are merged in file order, so the result is the same either way.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;

use crate::error::DataError;
use crate::ids::IdMap;
use crate::model::{Attrs, Interner, Origin, Relation, Source, Sym, in_vocabulary};
use crate::text::did_you_mean_hint;
use rustc_hash::FxHashMap;

use super::checks::{CheckedRows, MAX_SUGGESTION_SCANS};
use super::reader::{CsvFile, Header, Records, Row, cols};
use super::{DatasetSource, Progress, RELATIONS, origin, records};

/// What relation rows are checked against: the sources and entities read
/// before them. Read-only, so the threads reading relations share it.
pub(super) struct Known<'a> {
    pub(super) entity_ids: &'a IdMap,
    pub(super) source_ids: &'a FxHashMap<Box<str>, u32>,
    pub(super) sources: &'a [Source],
    pub(super) rejected_entities: &'a HashSet<Box<str>>,
    pub(super) rejected_sources: &'a HashSet<Box<str>>,
    pub(super) entities_failed: bool,
    pub(super) sources_failed: bool,
    pub(super) suggestions_made: usize,
}

impl<'a> Known<'a> {
    pub(super) fn of(st: &'a CheckedRows) -> Self {
        Known {
            entity_ids: &st.entity_ids,
            source_ids: &st.source_ids,
            sources: &st.sources,
            rejected_entities: &st.rejected_entities,
            rejected_sources: &st.rejected_sources,
            entities_failed: st.entities_failed,
            sources_failed: st.sources_failed,
            suggestions_made: st.suggestions_made,
        }
    }

    /// Warms the lookups of both ends of a batch of relation rows.
    pub(super) fn warm(&self, rows: &[Row<'_>]) {
        self.entity_ids.warm(
            rows.iter()
                .flat_map(|r| [r.cell(cols::FROM), r.cell(cols::TO)])
                .flatten(),
        );
    }
}

/// Relations read from one stretch of a relations file, with what was
/// found on the way. Its strings are its own: [`CheckedRows::merge`] moves them.
#[derive(Default)]
pub(super) struct RelationPart {
    pub(super) strings: Interner,
    pub(super) relations: Vec<Relation>,
    /// Where each relation's record starts: its evidence is read from
    /// there when shown.
    pub(super) offsets: Vec<u64>,
    /// Where the evidence is in a record, from the header.
    pub(super) column: Option<usize>,
    /// Extra columns, by relation index within the part.
    pub(super) attrs: FxHashMap<u32, Attrs>,
    /// Per relation type: whether it is in the vocabulary (asked once).
    pub(super) type_known: FxHashMap<Sym, bool>,
    pub(super) off_vocabulary: BTreeMap<Sym, (Origin, u64)>,
    pub(super) warnings: Vec<DataError>,
    pub(super) errors: Vec<DataError>,
    /// How many "did you mean" searches were run: each scans every id, so
    /// a file of a million dangling ids must not run a million of them.
    pub(super) suggestions_made: usize,
}

impl RelationPart {
    pub(super) fn new(known: &Known<'_>) -> Self {
        RelationPart {
            suggestions_made: known.suggestions_made,
            ..RelationPart::default()
        }
    }

    /// Moves every line this part names `lines` further down the file:
    /// the second half of a file is read before its first line is known.
    pub(super) fn move_down(&mut self, lines: u64) {
        let shift = |line: u32| (u64::from(line) + lines).min(u64::from(u32::MAX)) as u32;
        for r in &mut self.relations {
            r.origin.line = shift(r.origin.line);
        }
        for (origin, _) in self.off_vocabulary.values_mut() {
            origin.line = shift(origin.line);
        }
        for e in self.errors.iter_mut().chain(&mut self.warnings) {
            e.line = e.line.map(|l| l + lines);
        }
    }

    /// Reads the rows of `records` into this part.
    pub(super) fn read<R: Read + Send>(
        &mut self,
        csv: &CsvFile,
        records: &mut Records<R>,
        header: &Header,
        known: &Known<'_>,
        progress: &dyn Progress,
        pipelined: bool,
    ) {
        self.column = header.known[cols::EVIDENCE.0];
        let mut errors = Vec::new();
        csv.rows(
            records,
            header,
            &mut errors,
            progress,
            pipelined,
            |rows| known.warm(rows),
            |row| self.row(known, row),
        );
        self.errors.extend(errors);
    }

    pub(super) fn row(&mut self, known: &Known<'_>, row: &mut Row<'_>) {
        let from = row.required(cols::FROM);
        let to = row.required(cols::TO);
        let rel_type = row.required(cols::TYPE);
        let source = row.required(cols::SOURCE);
        let (start, end) = row.span();
        let from = from.and_then(|id| self.lookup_entity(known, row, "from", id));
        let to = to.and_then(|id| self.lookup_entity(known, row, "to", id));
        let source = source.and_then(|id| match known.source_ids.get(id) {
            Some(&s) => Some(s),
            None if known.sources_failed || known.rejected_sources.contains(id) => None,
            None => {
                let hint = self.suggest(id, known.sources.iter().map(|s| &*s.id));
                row.error(format!("unknown source id \"{id}\"{hint}"));
                None
            }
        });
        let rel_type = rel_type.and_then(|t| {
            if t.chars().any(char::is_whitespace) {
                row.error(format!(
                    "bad relation type \"{t}\": types are snake_case words such as signed or holds_position"
                ));
                None
            } else {
                Some(t)
            }
        });
        let (Some(from), Some(to), Some(rel_type), Some(source)) = (from, to, rel_type, source)
        else {
            self.errors.append(&mut row.errors);
            return;
        };
        let type_sym = self.strings.intern(rel_type);
        let known_type = *self
            .type_known
            .entry(type_sym)
            .or_insert_with(|| in_vocabulary(rel_type) || rel_type == super::merge::SAME_AS);
        if !known_type {
            self.off_vocabulary
                .entry(type_sym)
                .or_insert((origin(row), 0))
                .1 += 1;
        }
        if from == to {
            self.warnings.push(DataError::at(
                row.path,
                row.line,
                format!("relation from \"{}\" to itself", row.optional(cols::FROM)),
            ));
        }
        let role = row.optional(cols::ROLE);
        let relation = Relation {
            from,
            to,
            rel_type: type_sym,
            role: (!role.is_empty()).then(|| self.strings.intern(role)),
            start,
            end,
            source,
            origin: origin(row),
        };
        if row.errors.is_empty() {
            let attrs = row.attrs(&mut self.strings);
            if !attrs.is_empty() {
                self.attrs.insert(self.relations.len() as u32, attrs);
            }
            self.offsets.push(row.offset);
            self.relations.push(relation);
        }
        self.errors.append(&mut row.errors);
    }

    pub(super) fn lookup_entity(
        &mut self,
        known: &Known<'_>,
        row: &mut Row<'_>,
        column: &str,
        id: &str,
    ) -> Option<u32> {
        match known.entity_ids.get(id) {
            Some(e) => Some(e),
            None if known.entities_failed || known.rejected_entities.contains(id) => None,
            None => {
                let hint = self.suggest(id, known.entity_ids.ids());
                row.error(format!(
                    "unknown entity id \"{id}\" in column {column}{hint}"
                ));
                None
            }
        }
    }

    pub(super) fn suggest<'i>(&mut self, id: &str, ids: impl Iterator<Item = &'i str>) -> String {
        if self.suggestions_made >= MAX_SUGGESTION_SCANS {
            return String::new();
        }
        self.suggestions_made += 1;
        did_you_mean_hint(id, ids)
    }
}

/// Reads a relations file of `size` bytes in two halves at once: this
/// thread reads from the start to a record start guessed near the middle,
/// another thread from there to the end, counting its lines from 1 until
/// the first half says where they really start. The guess holds only if
/// the first half ends exactly at a record boundary; `None` when it does
/// not (a line end inside a long quoted cell, a file that changed under
/// us) or no guess could be made: the caller then reads the file in one
/// piece, which also reports whatever was wrong.
pub(super) fn read_halves(
    ds: &DatasetSource,
    csv: &CsvFile,
    known: &Known<'_>,
    progress: &dyn Progress,
    size: u64,
) -> Option<Vec<RelationPart>> {
    let middle = size / 2;
    let split = middle + records::guess_record_start(ds.open_at(RELATIONS, middle)?.reader())?;
    let mut first_input = ds.open(RELATIONS).ok()?;
    let mut first = Records::new(first_input.reader().take(split), 1, 0);
    let mut a = RelationPart::new(known);
    let header = csv.header(&mut first, &mut a.errors)?;
    let (first_end, b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut input = ds.open_at(RELATIONS, split)?;
            let mut records = Records::new(input.reader(), 1, split);
            let mut b = RelationPart::new(known);
            b.read(csv, &mut records, &header, known, progress, false);
            Some(b)
        });
        a.read(csv, &mut first, &header, known, progress, false);
        (first.ended_at_boundary(), second.join().ok().flatten())
    });
    let (Some(next_line), Some(mut b)) = (first_end, b) else {
        return None;
    };
    b.move_down(next_line - 1);
    progress.phase("relations read in two halves");
    Some(vec![a, b])
}
