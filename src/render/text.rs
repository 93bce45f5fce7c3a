//! Plain text for people: aligned, readable, every relation with its date,
//! source and evidence — what a researcher pastes into notes.

use std::fmt::Write;

use crate::graph::Graph;
use crate::model::Date;
use crate::query::analysis::{
    ChronoPath, CommonAnswer, RankAnswer, RankBy, RelationList, Timeline, TimelineEntry,
};
use crate::query::neighbourhood::Removed;
use crate::query::search::{Hit, SearchAnswer};
use crate::query::{Neighbourhood, PathAnswer, PathQuery, Resolved};
use crate::view::StatsView;

/// `2025-01 – 2025-06`, `2024-10 –` (open end), `– 2024-10`, or nothing.
pub fn span(start: Option<Date>, end: Option<Date>) -> String {
    match (start, end) {
        (Some(s), Some(e)) if s == e => s.to_string(),
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => format!("{s} –"),
        (None, Some(e)) => format!("– {e}"),
        (None, None) => String::new(),
    }
}

/// How a source is cited: `Title — Publisher, 2025-04 [id]`.
pub fn citation_of_source(g: &Graph, source: u32) -> String {
    let s = g.source(source);
    let mut out = s.title.to_string();
    let mut meta = Vec::new();
    if !s.publisher.is_empty() {
        meta.push(s.publisher.to_string());
    }
    if let Some(d) = s.published {
        meta.push(d.to_string());
    }
    if !meta.is_empty() {
        let _ = write!(out, " — {}", meta.join(", "));
    }
    if let Some(url) = s.link() {
        let _ = write!(out, " <{url}>");
    }
    let _ = write!(out, " [{}]", s.id);
    out
}

/// One relation under a hop or a group: what, when, evidence, source.
fn relation_block(g: &Graph, rel: u32, indent: &str, out: &mut String) {
    let r = g.relation(rel);
    let mut head = vec![];
    if let Some(role) = r.role {
        head.push(format!("role: {}", g.str(role)));
    }
    let when = span(r.start, r.end);
    if when.is_empty() {
        // Said outright, so an undated relation is never taken for one
        // known to hold at the time asked.
        head.push("undated".to_string());
    } else {
        head.push(when);
    }
    if !head.is_empty() {
        let _ = writeln!(out, "{indent}{}", head.join(" · "));
    }
    let evidence = g.evidence(rel);
    if !evidence.is_empty() {
        let _ = writeln!(out, "{indent}“{evidence}”");
    }
    let _ = writeln!(out, "{indent}source: {}", citation_of_source(g, r.source));
}

/// `1 entity`, `2 entities`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The sentence saying what the filters of a neighbourhood took out, or
/// `None` when they took nothing, so a short or empty answer says why.
pub fn removed(r: &Removed) -> Option<String> {
    let mut parts = Vec::new();
    if r.kind > 0 {
        parts.push(format!("{} by kind", count(r.kind, "entity", "entities")));
    }
    if r.rel_type > 0 {
        parts.push(format!("{} by type", count(r.rel_type, "item", "items")));
    }
    if r.time > 0 {
        parts.push(format!(
            "{} by time",
            count(r.time, "relation", "relations")
        ));
    }
    if r.through > 0 {
        parts.push(format!(
            "{} by the walk's through-kind/through-type",
            count(r.through, "item", "items")
        ));
    }
    (!parts.is_empty()).then(|| format!("filtered out: {}", parts.join(", ")))
}

fn ent_line(g: &Graph, e: u32) -> String {
    let ent = g.entity(e);
    format!("{} ({}, {})", ent.name(), ent.kind, ent.id())
}

/// A search answer: a count line (`131 hits, showing 50`), then a hit a
/// line.
pub fn search(g: &Graph, answer: &SearchAnswer) -> String {
    let shown = answer.hits.len();
    let mut out = match (answer.total, shown) {
        (0, _) => String::from("0 hits\n"),
        (1, _) => String::from("1 hit\n"),
        (t, s) if t == s => format!("{t} hits\n"),
        (t, s) => format!("{t} hits, showing {s}\n"),
    };
    out.push_str(&hit_lines(g, &answer.hits));
    out
}

/// The line saying an argument was matched by search, not exactly: which
/// entity, with what score, and the runners-up. `None` for exact matches,
/// which need no saying.
pub fn resolution_notice(g: &Graph, r: &Resolved) -> Option<String> {
    if !r.is_guess() {
        return None;
    }
    let ent = g.entity(r.entity);
    let mut s = format!(
        "\"{}\" matched {} ({}) by {} (score {:.3})",
        r.query,
        ent.name(),
        ent.id(),
        r.by.as_str(),
        r.score
    );
    if !r.alternatives.is_empty() {
        let also: Vec<String> = r
            .alternatives
            .iter()
            .map(|&a| {
                let e = g.entity(a);
                format!("{} ({})", e.name(), e.id())
            })
            .collect();
        s.push_str("; also: ");
        s.push_str(&also.join(", "));
    }
    Some(s)
}

fn hit_lines(g: &Graph, hits: &[Hit]) -> String {
    let width = hits
        .iter()
        .map(|h| g.entity(h.entity).name().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for h in hits {
        let e = g.entity(h.entity);
        let pad = " ".repeat(width - e.name().chars().count());
        let _ = write!(
            out,
            "{:.3}  {}{pad}  {:<12}  {}",
            h.score,
            e.name(),
            e.kind.as_str(),
            e.id()
        );
        if let Some(a) = h
            .matched_alias
            .and_then(|i| e.aliases().get(usize::from(i)))
        {
            let _ = write!(out, "  (matched alias “{a}”)");
        }
        out.push('\n');
    }
    out
}

pub fn entity(g: &Graph, e: u32) -> String {
    let v = crate::view::EntityView::new(g, e);
    let ent = g.entity(e);
    let mut out = String::new();
    let _ = writeln!(out, "{}", ent.name());
    let _ = writeln!(out, "  id:       {}", ent.id());
    let _ = writeln!(out, "  kind:     {}", ent.kind);
    if !ent.aliases().is_empty() {
        let _ = writeln!(out, "  aliases:  {}", v.aliases.join(" | "));
    }
    if let Some(c) = v.country {
        let _ = writeln!(out, "  country:  {c}");
    }
    let life = span(ent.start, ent.end);
    if !life.is_empty() {
        let _ = writeln!(out, "  dates:    {life}");
    }
    if !ent.description().is_empty() {
        let _ = writeln!(out, "  about:    {}", ent.description());
    }
    for (k, val) in &v.attributes {
        let _ = writeln!(out, "  {k}: {val}");
    }
    let by_type = g.relations_by_type(e);
    for (ty, rels) in by_type {
        let _ = writeln!(out, "\n{ty} ({})", rels.len());
        for r in rels {
            let rel = g.relation(r);
            let line = if rel.from == e {
                format!("  → {}", ent_line(g, rel.to))
            } else {
                format!("  ← {}", ent_line(g, rel.from))
            };
            let _ = writeln!(out, "{line}");
            relation_block(g, r, "      ", &mut out);
        }
    }
    out
}

pub fn neighbourhood(g: &Graph, n: &Neighbourhood) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} within {}, {}{}",
        ent_line(g, n.center),
        count(n.nodes.len(), "entity", "entities"),
        count(n.depth as usize, "hop", "hops"),
        count(n.edges.len(), "relation", "relations"),
        if n.truncated {
            " (truncated: the nearest kept)"
        } else {
            ""
        }
    );
    if let Some(line) = removed(&n.removed) {
        let _ = writeln!(out, "{line}");
    }
    let mut last = u32::MAX;
    for &(e, d) in &n.nodes {
        if d != last {
            let _ = writeln!(out, "\ndistance {d}");
            last = d;
        }
        let _ = writeln!(out, "  {}", ent_line(g, e));
    }
    let _ = writeln!(out, "\nrelations");
    relation_list(g, &n.edges, &mut out);
    out
}

/// Relations one under another: "from —type→ to", then the relation's
/// details indented beneath.
fn relation_list(g: &Graph, relations: &[u32], out: &mut String) {
    for &r in relations {
        let rel = g.relation(r);
        let _ = writeln!(
            out,
            "  {} —{}→ {}",
            g.entity(rel.from).name(),
            g.str(rel.rel_type),
            g.entity(rel.to).name()
        );
        relation_block(g, r, "      ", out);
    }
}

/// The hops of one path: each entity, then how it joins the next.
pub fn path(g: &Graph, p: &crate::query::Path) -> String {
    let mut out = String::new();
    for (i, &n) in p.nodes.iter().enumerate() {
        let _ = writeln!(out, "  {}", ent_line(g, n));
        let Some(hop) = p.hops.get(i) else { break };
        for (j, &r) in hop.iter().enumerate() {
            let rel = g.relation(r);
            let ty = g.str(rel.rel_type);
            let arrow = if rel.from == n {
                format!("──{ty}──▶")
            } else {
                format!("◀──{ty}──")
            };
            let _ = writeln!(out, "     {}{arrow}", if j == 0 { "" } else { "also " });
            relation_block(g, r, "        ", &mut out);
        }
    }
    out
}

pub fn paths(g: &Graph, a: &PathAnswer, _q: &PathQuery) -> String {
    let mut out = String::new();
    let n = a.paths.len();
    for (i, p) in a.paths.iter().enumerate() {
        let _ = write!(
            out,
            "{}Path {} of {n} — {} → {}, {} hop{}",
            if i == 0 { "" } else { "\n" },
            i + 1,
            g.entity(a.from).name(),
            g.entity(a.to).name(),
            p.len(),
            if p.len() == 1 { "" } else { "s" }
        );
        // The plain ranking's cost is the hop count already said.
        if a.ranking == crate::query::Ranking::Specific {
            let _ = write!(out, ", cost {}", path_cost(p.cost));
        }
        out.push('\n');
        out.push_str(&path(g, p));
    }
    if a.fell_back && n > 0 {
        let _ = writeln!(
            out,
            "\n(ranked by hop count: the most-specific search ran out of its budget on this graph)"
        );
    }
    if a.folded > 0 {
        let _ = writeln!(
            out,
            "\n({} near-duplicate path{} folded: {} only through another generic hop)",
            a.folded,
            if a.folded == 1 { "" } else { "s" },
            if a.folded == 1 {
                "it differs"
            } else {
                "each differs"
            }
        );
    }
    if a.truncated {
        let _ = writeln!(out, "\n(more shortest paths exist; showing the first {n})");
    }
    out
}

/// A path's cost in thousandths as a short decimal ("6.17").
pub fn path_cost(thousandths: u64) -> String {
    let s = format!(
        "{:.3}",
        thousandths as f64 / crate::query::weighted::COST_SCALE as f64
    );
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Why no path was found, naming the constraints and whether lifting them
/// helps.
pub fn no_path_reason(g: &Graph, a: &PathAnswer, q: &PathQuery) -> String {
    let mut why = Vec::new();
    if let Some(h) = q.max_hops {
        why.push(format!("at most {h} hops"));
    }
    if q.directed {
        why.push("following relations in their direction".to_string());
    }
    if !q.exclude_kinds.is_empty() {
        let k: Vec<_> = q.exclude_kinds.iter().map(|k| k.as_str()).collect();
        why.push(format!("not through kinds {}", k.join(", ")));
    }
    if !q.avoid.is_empty() {
        let names: Vec<_> = q
            .avoid
            .iter()
            .map(|&e| g.entity(e).name().to_string())
            .collect();
        why.push(format!("avoiding {}", names.join(", ")));
    }
    if !q.types.is_empty() {
        let t: Vec<_> = q.types.iter().map(|&s| g.str(s)).collect();
        why.push(format!("only relation types {}", t.join(", ")));
    }
    if !q.time.is_always() {
        why.push(format!("only what held {}", q.time));
    }
    let mut msg = format!(
        "no path from {} to {}",
        g.entity(a.from).name(),
        g.entity(a.to).name()
    );
    if !why.is_empty() {
        let _ = write!(msg, " ({})", why.join("; "));
    }
    if a.budget_exhausted {
        msg.push_str(": the search budget ran out before it finished");
    }
    match a.unconstrained_length {
        Some(n) if !why.is_empty() => {
            let _ = write!(
                msg,
                "; without these constraints there is a path of {n} hop{}",
                if n == 1 { "" } else { "s" }
            );
        }
        None if !why.is_empty() => msg.push_str("; there is none without them either"),
        _ => {}
    }
    msg
}

/// Plain-text citation of a path: one line per hop with its sources.
pub fn citation(g: &Graph, p: &crate::query::Path) -> String {
    let mut out = String::new();
    let names: Vec<&str> = p.nodes.iter().map(|&n| g.entity(n).name()).collect();
    let _ = writeln!(out, "{}", names.join(" → "));
    for (i, hop) in p.hops.iter().enumerate() {
        for &r in hop {
            let rel = g.relation(r);
            let when = span(rel.start, rel.end);
            let _ = writeln!(
                out,
                "{}. {} {} {}{}: {}",
                i + 1,
                g.entity(rel.from).name(),
                g.str(rel.rel_type),
                g.entity(rel.to).name(),
                if when.is_empty() {
                    String::new()
                } else {
                    format!(" ({when})")
                },
                citation_of_source(g, rel.source)
            );
        }
    }
    out
}

pub fn stats(s: &StatsView) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}, {}, {}",
        count(s.entities, "entity", "entities"),
        count(s.relations, "relation", "relations"),
        count(s.sources, "source", "sources")
    );
    let _ = writeln!(out, "\nentities by kind");
    let w = s.by_kind.keys().map(|k| k.len()).max().unwrap_or(0);
    for (k, n) in &s.by_kind {
        let _ = writeln!(out, "  {k:<w$}  {n:>7}");
    }
    let _ = writeln!(out, "\nrelations by type");
    let w = s
        .by_type
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, n) in &s.by_type {
        let _ = writeln!(out, "  {k:<w$}  {n:>7}");
    }
    let c = &s.components;
    let _ = writeln!(
        out,
        "\nconnected components  {} (largest {} entities, {} standing alone)",
        c.count, c.largest, c.isolated
    );
    let d = &s.degrees;
    let _ = writeln!(
        out,
        "relations per entity  min {}, median {}, mean {:.2}, p90 {}, p99 {}, max {}",
        d.min,
        score(d.median),
        d.mean,
        d.p90,
        d.p99,
        d.max
    );
    out
}

/// A score as people read it: whole numbers without decimals, others to
/// four significant places.
pub fn score(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    }
}

/// A ranking: a header saying what was measured (and, for a sampled
/// estimate, how many sources were drawn and the spread of each score),
/// then one entity a line with its rank and score.
pub fn rank(g: &Graph, by: &RankBy, a: &RankAnswer) -> String {
    let mut out = String::new();
    let name = crate::view::rank_by_name(by);
    let _ = writeln!(
        out,
        "{} of {} entities by {name}{}",
        a.entries.len(),
        a.total,
        match a.samples {
            Some(k) => format!(
                " (estimated from {k} sampled sources; ± is one standard error, \
                 a score within two of it is the likely truth)"
            ),
            None => String::new(),
        }
    );
    let w = a
        .entries
        .iter()
        .map(|r| g.entity(r.entity).name().chars().count())
        .max()
        .unwrap_or(0);
    for r in &a.entries {
        let ent = g.entity(r.entity);
        let spread = r
            .std_error
            .map(|e| format!(" ± {}", score(e)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:>4}. {:<w$}  {:>12}{spread}  ({}, {})",
            r.rank,
            ent.name(),
            score(r.score),
            ent.kind,
            ent.id()
        );
    }
    out
}

/// What several entities have in common: each shared entity, then how it
/// reaches each given one (the relations with their receipts, or the
/// entities in between).
pub fn common(g: &Graph, a: &CommonAnswer) -> String {
    let mut out = String::new();
    let names: Vec<&str> = a.entities.iter().map(|&e| g.entity(e).name()).collect();
    let _ = writeln!(
        out,
        "{} entit{} in common to {}{}",
        a.total,
        if a.total == 1 { "y" } else { "ies" },
        names.join(", "),
        if a.hits.len() < a.total {
            format!(" (showing {})", a.hits.len())
        } else {
            String::new()
        }
    );
    for h in &a.hits {
        let _ = writeln!(
            out,
            "\n{} — {} hop{} in all, {} relation{}",
            ent_line(g, h.entity),
            h.distance,
            if h.distance == 1 { "" } else { "s" },
            h.relations,
            if h.relations == 1 { "" } else { "s" }
        );
        for (l, &given) in h.links.iter().zip(&a.entities) {
            if l.distance == 1 {
                let _ = writeln!(out, "  with {}:", g.entity(given).name());
                for &r in &l.relations {
                    let rel = g.relation(r);
                    let _ = writeln!(
                        out,
                        "    {} —{}→ {}",
                        g.entity(rel.from).name(),
                        g.str(rel.rel_type),
                        g.entity(rel.to).name()
                    );
                    relation_block(g, r, "        ", &mut out);
                }
            } else {
                let via: Vec<&str> = l.via.iter().map(|&e| g.entity(e).name()).collect();
                let more = l.via_total - l.via.len();
                let _ = writeln!(
                    out,
                    "  with {}: 2 hops, via {}{}",
                    g.entity(given).name(),
                    via.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
    out
}

/// One line of a timeline: date, direction, type, the other end.
fn timeline_entry(g: &Graph, t: &TimelineEntry, out: &mut String) {
    let rel = g.relation(t.relation);
    let when = span(t.start, t.end);
    let (arrow, ty) = if t.outgoing {
        ("→", g.str(rel.rel_type))
    } else {
        ("←", g.str(rel.rel_type))
    };
    let _ = writeln!(out, "  {when:<24} {arrow} {ty} {}", ent_line(g, t.other));
    relation_block(g, t.relation, "      ", out);
}

/// An entity's timeline: dated relations in date order with their
/// receipts, then the undated ones.
pub fn timeline(g: &Graph, t: &Timeline) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} dated relation{}, {} undated",
        ent_line(g, t.entity),
        t.dated.len(),
        if t.dated.len() == 1 { "" } else { "s" },
        t.undated.len()
    );
    for e in &t.dated {
        timeline_entry(g, e, &mut out);
    }
    if !t.undated.is_empty() {
        let _ = writeln!(out, "\nundated");
        for e in &t.undated {
            timeline_entry(g, e, &mut out);
        }
    }
    out
}

/// A page of relations: a count line, then each relation with its
/// receipts.
pub fn relations(g: &Graph, list: &RelationList) -> String {
    let mut out = String::new();
    let shown = list.relations.len();
    let _ = writeln!(
        out,
        "{} relation{} match{}{}",
        list.total,
        if list.total == 1 { "" } else { "s" },
        if list.total == 1 { "es" } else { "" },
        if shown < list.total {
            format!(
                "; showing {} to {}",
                list.offset + 1.min(shown),
                list.offset + shown
            )
        } else {
            String::new()
        }
    );
    relation_list(g, &list.relations, &mut out);
    out
}

/// A time-respecting path: each entity, then the dated hop to the next.
pub fn chrono_path(g: &Graph, p: &ChronoPath) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Time-respecting path — {} → {}, {} hop{}",
        g.entity(p.nodes[0]).name(),
        g.entity(*p.nodes.last().unwrap_or(&p.nodes[0])).name(),
        p.hops.len(),
        if p.hops.len() == 1 { "" } else { "s" }
    );
    for (i, &n) in p.nodes.iter().enumerate() {
        let _ = writeln!(out, "  {}", ent_line(g, n));
        let Some(hop) = p.hops.get(i) else { break };
        let rel = g.relation(hop.relation);
        let ty = g.str(rel.rel_type);
        let date = hop.date.map_or("undated".to_string(), |d| d.to_string());
        let arrow = if rel.from == n {
            format!("──{ty}──▶")
        } else {
            format!("◀──{ty}──")
        };
        let _ = writeln!(out, "     {arrow} [{date}]");
        relation_block(g, hop.relation, "        ", &mut out);
    }
    out
}
