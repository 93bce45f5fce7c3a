//! The rows checked so far, from every dataset folder: each row is
//! checked as it is read (ids unique, references known, dates and kinds
//! valid) and every problem kept with its line; the rows that pass become
//! the graph.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::{DataError, LoadErrors};
use crate::graph::{Graph, GraphParts, NameIndex};
use crate::ids::IdMap;
use crate::model::{Attrs, Entity, EntityTexts, Interner, Kind, Origin, Relation, Source, Sym};
use crate::store::{FileBytes, TextFile, TextStoreBuilder};
use crate::text::did_you_mean_hint;
use rustc_hash::FxHashMap;

use super::Input;
use super::halves::{Known, RelationPart, read_halves};
use super::reader::{self, CsvFile, Records, Row, cols};
use super::{DatasetSource, ENTITIES, Loaded, Progress, RELATIONS, SOURCES, join, origin};

/// One dataset folder's rows, for merging checks: where each id was defined.
#[derive(Default)]
pub(super) struct CheckedRows {
    pub(super) files: Vec<String>,
    pub(super) errors: Vec<DataError>,
    pub(super) warnings: Vec<DataError>,
    pub(super) strings: Interner,
    pub(super) entities: Vec<Entity>,
    /// Relations in file order, in the pieces they were read in (a file
    /// read in two halves gives two): joined once, at the end, while the
    /// traversal indexes are built from the pieces.
    pub(super) relations: Vec<Vec<Relation>>,
    pub(super) sources: Vec<Source>,
    pub(super) entity_ids: IdMap,
    pub(super) source_ids: FxHashMap<Box<str>, u32>,
    /// Where the relations' evidence is (in relation order), and their
    /// extra columns.
    pub(super) evidence: TextStoreBuilder,
    pub(super) relation_attrs: FxHashMap<u32, Attrs>,
    /// Types outside the vocabulary: where first seen, and how often.
    pub(super) off_vocabulary: BTreeMap<Sym, (Origin, u64)>,
    /// Ids of entities and sources whose rows were rejected, and whether a
    /// whole file of them failed: references to these are not reported
    /// again as dangling, since their own rows already carry the error.
    pub(super) rejected_entities: HashSet<Box<str>>,
    pub(super) rejected_sources: HashSet<Box<str>>,
    pub(super) entities_failed: bool,
    pub(super) sources_failed: bool,
    /// How many "did you mean" searches were run: each scans every id, so
    /// a file of a million dangling ids must not run a million of them.
    pub(super) suggestions_made: usize,
    /// Files this big or bigger are read with both cores.
    pub(super) split_bytes: u64,
}

pub(super) const MAX_SUGGESTION_SCANS: usize = 200;

impl CheckedRows {
    /// Opens one file of a dataset and gives it a number, or records why
    /// it cannot be read.
    pub(super) fn open_file<'d>(
        &mut self,
        ds: &'d DatasetSource,
        name: &'static str,
        progress: &dyn Progress,
    ) -> Option<(Input<'d>, CsvFile)> {
        let path = ds.file_path(name);
        progress.file(&path);
        let input = match ds.open(name) {
            Ok(i) => i,
            Err(e) => {
                self.mark_failed(name);
                // A folder that is missing altogether is said once, not per file.
                if !self.errors.contains(&e) {
                    self.errors.push(e);
                }
                return None;
            }
        };
        if self.files.len() >= u16::MAX as usize {
            self.errors.push(DataError::file(
                path,
                "too many dataset files (at most 65535)",
            ));
            return None;
        }
        let file_index = self.files.len() as u16;
        self.files.push(path.clone());
        let spec = match name {
            SOURCES => &reader::SOURCES_COLUMNS,
            ENTITIES => &reader::ENTITIES_COLUMNS,
            _ => &reader::RELATIONS_COLUMNS,
        };
        Some((input, CsvFile::new(path, file_index, spec)))
    }

    pub(super) fn read_file(
        &mut self,
        ds: &DatasetSource,
        name: &'static str,
        progress: &dyn Progress,
        mut warm: impl FnMut(&mut CheckedRows, &[Row<'_>]),
        mut on_row: impl FnMut(&mut CheckedRows, &mut Row<'_>),
    ) {
        let Some((mut input, csv)) = self.open_file(ds, name, progress) else {
            return;
        };
        let mut errors = Vec::new();
        let pipelined = ds.size(name).is_some_and(|size| size >= self.split_bytes);
        let cell = std::cell::RefCell::new(self);
        let outcome = csv.read(
            &mut input,
            &mut errors,
            progress,
            pipelined,
            |rows| warm(&mut cell.borrow_mut(), rows),
            |row| on_row(&mut cell.borrow_mut(), row),
        );
        let this = cell.into_inner();
        if outcome.failed {
            this.mark_failed(name);
        }
        let rejected = match name {
            SOURCES => &mut this.rejected_sources,
            _ => &mut this.rejected_entities,
        };
        rejected.extend(outcome.rejected_ids.into_iter().map(String::into_boxed_str));
        // Row callbacks pushed their own errors into self.errors; the file's
        // structural errors go in line order with them.
        this.errors.extend(errors);
    }

    /// Reads a relations file: in two halves at once when it is at least
    /// `split_bytes` long, else in one piece. Either way the rows are
    /// checked in parts against what was read before them, and the parts
    /// are merged in file order, so the graph and the messages are the
    /// same as from one piece.
    pub(super) fn read_relations(&mut self, ds: &DatasetSource, progress: &dyn Progress) {
        let Some((input, csv)) = self.open_file(ds, RELATIONS, progress) else {
            return;
        };
        // The evidence stays in the file: hold it open as it is now.
        let held = match (&input, ds) {
            (Input::File(f), _) => FileBytes::held(f),
            (Input::Bytes(_), DatasetSource::Memory { relations, .. }) => {
                Ok(FileBytes::Memory(relations.clone()))
            }
            (Input::Bytes(b), DatasetSource::Dir(_)) => Ok(FileBytes::Memory(b.to_vec().into())),
        };
        let held = match held {
            Ok(h) => h,
            Err(e) => {
                self.errors.push(DataError::file(
                    csv.path().to_string(),
                    format!("cannot keep the file open to read evidence from: {e}"),
                ));
                return;
            }
        };
        let known = Known::of(self);
        let big = ds.size(RELATIONS).filter(|&size| size >= self.split_bytes);
        let parts = big
            .and_then(|size| read_halves(ds, &csv, &known, progress, size))
            .unwrap_or_else(|| {
                let mut input = input;
                let mut part = RelationPart::new(&known);
                let mut records = Records::new(input.reader(), 1, 0);
                if let Some(header) = csv.header(&mut records, &mut part.errors) {
                    part.read(&csv, &mut records, &header, &known, progress, big.is_some());
                }
                vec![part]
            });
        self.evidence.file(TextFile {
            path: csv.path().to_string(),
            column: parts.first().and_then(|p| p.column),
            bytes: held,
        });
        for part in parts {
            self.merge(part);
        }
    }

    pub(super) fn mark_failed(&mut self, name: &str) {
        match name {
            SOURCES => self.sources_failed = true,
            ENTITIES => self.entities_failed = true,
            _ => {}
        }
    }

    pub(super) fn source_row(&mut self, row: &mut Row<'_>) {
        let id = row.required(cols::SOURCE_ID);
        let title = row.required(cols::TITLE);
        let published = row.date(cols::PUBLISHED);
        let (Some(id), Some(title)) = (id, title) else {
            if let Some(id) = id {
                self.rejected_sources.insert(id.into());
            }
            self.errors.append(&mut row.errors);
            return;
        };
        let id: Box<str> = id.into();
        self.check_id(row, &id);
        if let Some(&prev) = self.source_ids.get(&id) {
            let at = self.sources[prev as usize].origin;
            let msg = format!(
                "duplicate source id \"{id}\" (already defined at {}:{})",
                self.files[at.file as usize], at.line
            );
            row.error(msg);
        }
        let source = Source {
            title: title.into(),
            publisher: row.optional(cols::PUBLISHER).into(),
            published: published.flatten(),
            url: row.optional(cols::URL).into(),
            language: row.optional(cols::LANGUAGE).into(),
            file: row.optional(cols::FILE).into(),
            attrs: row.attrs(&mut self.strings),
            origin: origin(row),
            id: id.clone(),
        };
        if row.errors.is_empty() {
            self.source_ids.insert(id, self.sources.len() as u32);
            self.sources.push(source);
        } else {
            self.rejected_sources.insert(id);
        }
        self.errors.append(&mut row.errors);
    }

    pub(super) fn entity_row(&mut self, row: &mut Row<'_>) {
        let id = row.required(cols::ENTITY_ID);
        let kind = row.required(cols::KIND);
        let name = row.required(cols::NAME);
        let kind = kind.and_then(|k| match k.parse::<Kind>() {
            Ok(k) => Some(k),
            Err(e) => {
                row.error(e.to_string());
                None
            }
        });
        let country = row.optional(cols::COUNTRY);
        let country = if country.is_empty() {
            None
        } else if country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()) {
            Some(self.strings.intern(&country.to_ascii_uppercase()))
        } else {
            row.error(format!(
                "bad country \"{country}\": expected an ISO 3166-1 alpha-2 code such as ID, IN, RU or JP"
            ));
            None
        };
        let (start, end) = row.span();
        let (Some(id), Some(kind), Some(name)) = (id, kind, name) else {
            if let Some(id) = id {
                self.rejected_entities.insert(id.into());
            }
            self.errors.append(&mut row.errors);
            return;
        };
        self.check_id(row, id);
        if let Some(prev) = self.entity_ids.get(id) {
            let at = self.entities[prev as usize].origin;
            let msg = format!(
                "duplicate entity id \"{id}\" (already defined at {}:{})",
                self.files[at.file as usize], at.line
            );
            row.error(msg);
        }
        let mut aliases: Vec<&str> = Vec::new();
        for a in row.optional(cols::ALIASES).split('|') {
            let a = reader::trim(a);
            if !a.is_empty() && a != name && !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        let entity = Entity {
            texts: EntityTexts::new(id, name, aliases, row.optional(cols::DESCRIPTION)),
            kind,
            country,
            start,
            end,
            attrs: row.attrs(&mut self.strings),
            origin: origin(row),
        };
        if row.errors.is_empty() {
            if self.entities.len() >= u32::MAX as usize - 1 {
                row.error("too many entities (at most 4294967294)");
            } else if self
                .entity_ids
                .insert(entity.id(), self.entities.len() as u32)
                .is_err()
            {
                row.error("too many entity ids (at most 4 GiB of them together)");
            } else {
                self.entities.push(entity);
            }
        } else {
            self.rejected_entities.insert(entity.id().into());
        }
        self.errors.append(&mut row.errors);
    }

    pub(super) fn relation_count(&self) -> usize {
        self.relations.iter().map(Vec::len).sum()
    }

    /// Adds a part's relations after those already read, moving its
    /// strings into the graph's interner.
    pub(super) fn merge(&mut self, part: RelationPart) {
        let RelationPart {
            strings,
            mut relations,
            offsets,
            attrs,
            off_vocabulary,
            warnings,
            errors,
            suggestions_made,
            ..
        } = part;
        let syms: Vec<Sym> = (0..strings.len())
            .map(|i| self.strings.intern(strings.resolve(Sym(i as u32))))
            .collect();
        let base = self.relation_count();
        let room = crate::graph::MAX_RELATIONS.saturating_sub(base);
        if relations.len() > room {
            let first = relations[room].origin;
            self.errors.push(DataError::at(
                self.files[first.file as usize].clone(),
                u64::from(first.line),
                format!(
                    "too many relations (at most {}): this one and the {} after it do not fit",
                    crate::graph::MAX_RELATIONS,
                    relations.len() - room - 1
                ),
            ));
            relations.truncate(room);
        }
        let relations_kept = relations.len();
        for r in &mut relations {
            r.rel_type = syms[r.rel_type.0 as usize];
            r.role = r.role.map(|s| syms[s.0 as usize]);
        }
        if !relations.is_empty() {
            self.relations.push(relations);
        }
        for (i, a) in attrs {
            let a = a
                .into_vec()
                .into_iter()
                .map(|(name, value)| (syms[name.0 as usize], value))
                .collect();
            self.relation_attrs.insert(base as u32 + i, a);
        }
        let mut offsets = offsets;
        offsets.truncate(relations_kept);
        self.evidence.append(offsets);
        for (sym, (first, count)) in off_vocabulary {
            self.off_vocabulary
                .entry(syms[sym.0 as usize])
                .or_insert((first, 0))
                .1 += count;
        }
        self.warnings.extend(warnings);
        self.errors.extend(errors);
        self.suggestions_made = self.suggestions_made.max(suggestions_made);
    }

    pub(super) fn check_id(&self, row: &mut Row<'_>, id: &str) {
        if let Some(problem) = id_problem(id) {
            row.error(problem);
        }
    }

    pub(super) fn finish(
        mut self,
        names: Option<NameIndex>,
        indexes: Option<crate::graph::Indexes>,
    ) -> Result<Loaded, LoadErrors> {
        if !self.errors.is_empty() {
            // Stable order: by file (in reading order), then line.
            let order: HashMap<&str, usize> = self
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.as_str(), i))
                .collect();
            self.errors.sort_by_key(|e| {
                (
                    order.get(e.path.as_str()).copied().unwrap_or(usize::MAX),
                    e.line.unwrap_or(0),
                )
            });
            return Err(LoadErrors(self.errors));
        }
        // Entities merged by shared ids or `same_as` change the indexes
        // the names and adjacency were built on: those are built again.
        let (names, indexes) = if super::merge::merge(&mut self) {
            (None, None)
        } else {
            (names, indexes)
        };
        let graph = Graph::build(GraphParts {
            entities: self.entities,
            relations: join(self.relations),
            sources: self.sources,
            strings: self.strings,
            files: self.files,
            entity_ids: self.entity_ids,
            source_ids: self.source_ids,
            names,
            indexes,
            evidence: self.evidence.finish(),
            relation_attrs: self.relation_attrs,
        });
        let mut warnings = self.warnings;
        for (sym, (first, count)) in self.off_vocabulary {
            let t = graph.str(sym);
            let hint = did_you_mean_hint(t, crate::model::VOCABULARY.iter().map(|(t, _)| *t));
            let rows = if count == 1 {
                String::new()
            } else {
                format!(" ({count} rows; this is the first)")
            };
            warnings.push(DataError::at(
                graph.files[first.file as usize].clone(),
                u64::from(first.line),
                format!("relation type \"{t}\" is not in the vocabulary{hint}{rows}"),
            ));
        }
        warnings.extend(graph.unused_warnings());
        Ok(Loaded { graph, warnings })
    }
}

/// What is wrong with an id of an entity or source, if anything: ids are
/// URL-safe slugs. Shared with `import`, which checks the ids it writes
/// by the rule the loader reads them with.
pub(crate) fn id_problem(id: &str) -> Option<String> {
    // Most ids are plain ASCII slugs: those are checked byte by byte.
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':');
    if id.bytes().all(plain) {
        return None;
    }
    id.chars()
        .find(|c| c.is_whitespace() || c.is_control() || "/\\?#%<>\"'`".contains(*c))
        .map(|c| {
            format!(
                "bad id \"{id}\": ids are URL-safe slugs, {c:?} is not allowed (use letters, digits, - _ . :)"
            )
        })
}
