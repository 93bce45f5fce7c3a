//! SVG pictures of answers, drawn at the positions `render::layout`
//! computes: a neighbourhood in rings by distance around its centre, paths
//! left to right with alternatives stacked. This file draws (shapes,
//! labels, arrows, legend, escaping); it decides no position.
//!
//! Every node is drawn with a shape *and* an Okabe–Ito colour per kind (so
//! colour is never the only cue), is an `<a href="/entity/{id}">` with an
//! accessible name, and carries `data-n`; every edge carries `data-a` and
//! `data-b`, which the web's script uses to highlight a node's relations.
//! Each picture has a `<title>`, a `<desc>` and a legend of the kinds it
//! shows. No `style` attributes (the web's Content-Security-Policy forbids
//! inline styles): presentation attributes give the standalone defaults and
//! the web stylesheet's classes refine them (dark mode). All text is
//! escaped. The same input always gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::PI;
use std::fmt::Write;

use super::layout::{self, RingLayout};
use crate::graph::Graph;
use crate::model::Kind;
use crate::query::{Neighbourhood, PathAnswer};

/// The colour of a kind (Okabe–Ito, colour-blind safe).
pub fn colour(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "#E69F00",
        Kind::Organization => "#56B4E9",
        Kind::Company => "#009E73",
        Kind::Country => "#F0E442",
        Kind::Agreement => "#0072B2",
        Kind::Event => "#D55E00",
        Kind::Topic => "#CC79A7",
        Kind::Place => "#999999",
    }
}

/// The symbol of a kind's shape, for text legends.
pub fn symbol(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "●",
        Kind::Organization => "■",
        Kind::Company => "◆",
        Kind::Country => "⬢",
        Kind::Agreement => "▭",
        Kind::Event => "★",
        Kind::Topic => "▬",
        Kind::Place => "▲",
    }
}

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment or query value (everything but
/// unreserved characters), so ids and names make safe URLs.
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Shortens a label to `max` characters, with an ellipsis.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A number with at most one decimal, so output is compact and stable.
fn f(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The outline of a kind's shape centred at (x, y), size r.
fn shape(kind: Kind, x: f64, y: f64, r: f64) -> String {
    let fill = colour(kind);
    let attrs = format!(
        "class=\"shape k-{}\" fill=\"{fill}\" stroke=\"#222\" stroke-width=\"1\"",
        kind.as_str()
    );
    let poly = |pts: &[(f64, f64)]| {
        let p: Vec<String> = pts
            .iter()
            .map(|(px, py)| format!("{},{}", f(x + px), f(y + py)))
            .collect();
        format!("<polygon points=\"{}\" {attrs}/>", p.join(" "))
    };
    match kind {
        Kind::Person => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}/>",
            f(x),
            f(y),
            f(r)
        ),
        Kind::Organization => {
            let s = r * 0.9;
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}/>",
                f(x - s),
                f(y - s),
                f(2.0 * s),
                f(2.0 * s)
            )
        }
        Kind::Company => {
            let s = r * 1.2;
            poly(&[(0.0, -s), (s, 0.0), (0.0, s), (-s, 0.0)])
        }
        Kind::Country => {
            let pts: Vec<(f64, f64)> = (0..6)
                .map(|i| {
                    let a = PI / 6.0 + f64::from(i) * PI / 3.0;
                    (r * 1.05 * a.cos(), r * 1.05 * a.sin())
                })
                .collect();
            poly(&pts)
        }
        Kind::Agreement => {
            // A document: a rectangle with a folded corner.
            let (w, h, c) = (r * 0.8, r * 1.05, r * 0.45);
            poly(&[(-w, -h), (w - c, -h), (w, -h + c), (w, h), (-w, h)])
        }
        Kind::Event => {
            let pts: Vec<(f64, f64)> = (0..10)
                .map(|i| {
                    let a = -PI / 2.0 + f64::from(i) * PI / 5.0;
                    let rr = if i % 2 == 0 { r * 1.3 } else { r * 0.55 };
                    (rr * a.cos(), rr * a.sin())
                })
                .collect();
            poly(&pts)
        }
        Kind::Topic => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" {attrs}/>",
            f(x - r * 1.4),
            f(y - r * 0.7),
            f(r * 2.8),
            f(r * 1.4),
            f(r * 0.7)
        ),
        Kind::Place => poly(&[(0.0, -r * 1.2), (r * 1.1, r * 0.8), (-r * 1.1, r * 0.8)]),
    }
}

/// A legend of the given kinds as one row starting at (x, y); returns
/// the markup and its width.
fn legend(kinds: &BTreeSet<Kind>, x: f64, y: f64) -> (String, f64) {
    let mut out = String::from("<g class=\"legend\" aria-label=\"Legend\">");
    let mut cx = x;
    for &k in kinds {
        let _ = write!(
            out,
            "{}<text x=\"{}\" y=\"{}\" class=\"legend-label\" font-size=\"12\" fill=\"#222\">{}</text>",
            shape(k, cx + 7.0, y, 6.0),
            f(cx + 18.0),
            f(y + 4.0),
            k.as_str()
        );
        cx += 26.0 + 7.5 * k.as_str().len() as f64;
    }
    out.push_str("</g>");
    (out, cx - x)
}

/// The arrow marker for directed relations.
fn defs(prefix: &str) -> String {
    format!(
        "<defs><marker id=\"{prefix}-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">\
         <path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow\" fill=\"#555\"/></marker></defs>"
    )
}

/// One node: a link to its entity page with an accessible name.
fn node(g: &Graph, e: u32, x: f64, y: f64, r: f64, label: Option<Label>) -> String {
    let ent = g.entity(e);
    let name = format!("{} ({})", ent.name(), ent.kind);
    let mut out = format!(
        "<a href=\"/entity/{}\" class=\"node\" data-n=\"{e}\" aria-label=\"{}\"><title>{}</title>{}",
        esc(&pct(ent.id())),
        esc(&name),
        esc(&name),
        shape(ent.kind, x, y, r)
    );
    if let Some(l) = label {
        let text = esc(&short(ent.name(), l.max_chars));
        match l.angle {
            None => {
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"label\" font-size=\"{}\" fill=\"#222\">{text}</text>",
                    f(x),
                    f(y + r * 1.35 + l.size),
                    f(l.size)
                );
            }
            Some(a) if !l.rotate => {
                // Outside the node, away from the centre, read horizontally.
                let (c, sn) = (a.cos(), a.sin());
                let anchor = if c > 0.3 {
                    "start"
                } else if c < -0.3 {
                    "end"
                } else {
                    "middle"
                };
                let tx = x + (r + 4.0) * c;
                let ty = if anchor == "middle" {
                    if sn > 0.0 {
                        y + r * 1.35 + l.size
                    } else {
                        y - r * 1.35 - 3.0
                    }
                } else {
                    y + (r + 4.0) * sn + l.size * 0.35
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"label\" font-size=\"{}\" fill=\"#222\">{text}</text>",
                    f(tx),
                    f(ty),
                    f(l.size)
                );
            }
            Some(a) => {
                // Radial labels on crowded rings, turned so they never read
                // upside down.
                let deg = a.to_degrees();
                let left = a.cos() < 0.0;
                let (tx, ty) = (x + (r + 3.0) * a.cos(), y + (r + 3.0) * a.sin());
                let (rot, anchor) = if left {
                    (deg + 180.0, "end")
                } else {
                    (deg, "start")
                };
                let _ = write!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"middle\" transform=\"rotate({} {} {})\" class=\"label\" font-size=\"{}\" fill=\"#222\">{text}</text>",
                    f(tx),
                    f(ty),
                    f(rot),
                    f(tx),
                    f(ty),
                    f(l.size)
                );
            }
        }
    }
    out.push_str("</a>");
    out
}

#[derive(Clone, Copy)]
struct Label {
    size: f64,
    max_chars: usize,
    /// Label outside the node at this angle (radians), or below it.
    angle: Option<f64>,
    /// Whether an outside label is turned along its radius (crowded rings).
    rotate: bool,
}

/// An edge between two placed nodes, stopping short of their shapes.
#[allow(clippy::too_many_arguments)]
fn edge(
    out: &mut String,
    prefix: &str,
    a: (u32, f64, f64),
    b: (u32, f64, f64),
    r: f64,
    directed: bool,
    label: Option<&str>,
    label_size: f64,
    label_t: f64,
    undated: bool,
) {
    let (dx, dy) = (b.1 - a.1, b.2 - a.2);
    let len = (dx * dx + dy * dy).sqrt().max(0.001);
    let (ux, uy) = (dx / len, dy / len);
    let pad = (r * 1.3).min(len / 3.0);
    let (x1, y1, x2, y2) = (
        a.1 + ux * pad,
        a.2 + uy * pad,
        b.1 - ux * pad,
        b.2 - uy * pad,
    );
    let _ = write!(
        out,
        "<g class=\"edge\" data-a=\"{}\" data-b=\"{}\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\" stroke-width=\"1.2\"{}{}/>",
        a.0,
        b.0,
        f(x1),
        f(y1),
        f(x2),
        f(y2),
        if directed {
            format!(" marker-end=\"url(#{prefix}-arrow)\"")
        } else {
            String::new()
        },
        // Dashed when no relation of the pair has a date of its own, so a
        // picture never passes an undated tie off as a dated one.
        if undated {
            " stroke-dasharray=\"5 4\" class=\"undated\""
        } else {
            ""
        }
    );
    if let Some(l) = label {
        let (mx, my) = (x1 + (x2 - x1) * label_t, y1 + (y2 - y1) * label_t);
        // Keep text upright along the line.
        let mut deg = uy.atan2(ux).to_degrees();
        if deg > 90.0 {
            deg -= 180.0;
        } else if deg < -90.0 {
            deg += 180.0;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate({} {} {})\" class=\"edge-label\" font-size=\"{}\" fill=\"#555\">{}</text>",
            f(mx),
            f(my - 3.0),
            f(deg),
            f(mx),
            f(my),
            f(label_size),
            esc(l)
        );
    }
    out.push_str("</g>");
}

/// The relation types joining each unordered pair, and whether all of
/// them point from the first entity of the pair to the second.
fn pair_types(g: &Graph, rels: &[u32]) -> BTreeMap<(u32, u32), (Vec<String>, bool, bool)> {
    let mut pairs: BTreeMap<(u32, u32), (Vec<String>, bool, bool)> = BTreeMap::new();
    for &rel in rels {
        let r = g.relation(rel);
        let key = (r.from.min(r.to), r.from.max(r.to));
        let sym = g.is_symmetric(r.rel_type);
        let entry = pairs.entry(key).or_insert((Vec::new(), false, false));
        let t = g.str(r.rel_type).to_string();
        if !entry.0.contains(&t) {
            entry.0.push(t);
        }
        if !sym {
            if r.from == key.0 {
                entry.1 = true;
            } else {
                entry.2 = true;
            }
        }
    }
    pairs
}

fn type_label(types: &[String], max: usize) -> String {
    let first = short(&types[0], max);
    if types.len() > 1 {
        format!("{first} +{}", types.len() - 1)
    } else {
        first
    }
}

/// A neighbourhood in rings by distance, the centre in the middle.
///
/// Nodes on ring 1 keep the answer's order (kind, then name), so kinds
/// sit together; on outer rings each node follows the angle of its
/// nearest-placed parent, so children sit near their parent. Rings grow to
/// fit their nodes; node size, labels and edge labels adapt to the count
/// (radial labels past 24 nodes on a ring, edge labels only up to 60
/// edges), so 200 nodes stay readable when zoomed.
pub fn neighbourhood(g: &Graph, n: &Neighbourhood) -> String {
    let total = n.nodes.len();
    let RingLayout {
        r,
        font,
        pos,
        angle,
        ring_radius,
        radial,
        view: (min_x, min_y, w, h),
    } = layout::rings(g, n);
    let kinds: BTreeSet<Kind> = n.nodes.iter().map(|&(e, _)| g.entity(e).kind).collect();
    let center = g.entity(n.center);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph neighbourhood\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"nb-title nb-desc\" font-family=\"system-ui, sans-serif\">",
        f(min_x),
        f(min_y),
        f(w),
        f(h),
        f(w),
        f(h)
    );
    let _ = write!(
        out,
        "<title id=\"nb-title\">Neighbourhood of {}</title><desc id=\"nb-desc\">{} entities within {} hop{} of {} ({}), {} relations{}. Rings by distance; each node links to its entity page.</desc>",
        esc(center.name()),
        total,
        n.depth,
        if n.depth == 1 { "" } else { "s" },
        esc(center.name()),
        center.kind,
        n.edges.len(),
        if n.truncated {
            "; truncated at the node cap"
        } else {
            ""
        }
    );
    out.push_str(&defs("nb"));
    out.push_str("<rect class=\"backdrop\" x=\"-100000\" y=\"-100000\" width=\"200000\" height=\"200000\" fill=\"none\"/>");
    let (leg, _) = legend(&kinds, min_x + 12.0, min_y + 20.0);
    out.push_str(&leg);
    // Ring guides.
    out.push_str("<g class=\"rings\">");
    for rr in ring_radius.iter().skip(1) {
        let _ = write!(
            out,
            "<circle cx=\"0\" cy=\"0\" r=\"{}\" fill=\"none\" stroke=\"#ddd\" stroke-dasharray=\"3 5\" class=\"ring\"/>",
            f(*rr)
        );
    }
    out.push_str("</g><g class=\"edges\">");
    let pairs = pair_types(g, &n.edges);
    let edge_labels = pairs.len() <= 40;
    let dated: std::collections::HashSet<(u32, u32)> = n
        .edges
        .iter()
        .filter(|&&rel| !crate::query::is_undated(g, rel))
        .map(|&rel| {
            let r = g.relation(rel);
            (r.from.min(r.to), r.from.max(r.to))
        })
        .collect();
    for (&(a, b), (types, ab, ba)) in &pairs {
        let (Some(&pa), Some(&pb)) = (pos.get(&a), pos.get(&b)) else {
            continue;
        };
        let label = edge_labels.then(|| type_label(types, 18));
        // One arrow when every directed relation of the pair points one way.
        let (s, t, directed) = match (ab, ba) {
            (true, false) => ((a, pa), (b, pb), true),
            (false, true) => ((b, pb), (a, pa), true),
            _ => ((a, pa), (b, pb), false),
        };
        edge(
            &mut out,
            "nb",
            (s.0, s.1.0, s.1.1),
            (t.0, t.1.0, t.1.1),
            r,
            directed,
            label.as_deref(),
            font * 0.8,
            // Away from the crowded centre: nearer the outer end.
            if t.1.0.hypot(t.1.1) > s.1.0.hypot(s.1.1) {
                0.62
            } else {
                0.38
            },
            !dated.contains(&(a.min(b), a.max(b))),
        );
    }
    out.push_str("</g><g class=\"nodes\">");
    for &(e, d) in n.nodes.iter().rev() {
        let (x, y) = pos[&e];
        let is_radial = radial.get(d as usize).copied().unwrap_or(false);
        let label = Label {
            size: if e == n.center { font + 2.0 } else { font },
            max_chars: if is_radial { 28 } else { 22 },
            angle: (e != n.center).then(|| angle[&e]),
            rotate: is_radial,
        };
        let rr = if e == n.center { r * 1.4 } else { r };
        out.push_str(&node(g, e, x, y, rr, Some(label)));
    }
    out.push_str("</g></svg>\n");
    out
}

/// Paths left to right, one row per path, alternatives stacked; each hop's
/// relation types over its line, arrows in the relations' direction.
pub fn paths(g: &Graph, a: &PathAnswer) -> String {
    let grid = layout::PathGrid::of(a);
    let (r, font, w, h) = (grid.r, grid.font, grid.w, grid.h);
    let kinds: BTreeSet<Kind> = a
        .paths
        .iter()
        .flat_map(|p| p.nodes.iter().map(|&e| g.entity(e).kind))
        .collect();
    let (from, to) = (g.entity(a.from), g.entity(a.to));
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph paths\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-labelledby=\"pa-title pa-desc\" font-family=\"system-ui, sans-serif\">",
        f(w),
        f(h),
        f(w),
        f(h)
    );
    let lengths: Vec<String> = a.paths.iter().map(|p| p.len().to_string()).collect();
    let _ = write!(
        out,
        "<title id=\"pa-title\">Paths from {} to {}</title><desc id=\"pa-desc\">{} path{} ({} hops), one per row, left to right; each node links to its entity page.</desc>",
        esc(from.name()),
        esc(to.name()),
        a.paths.len(),
        if a.paths.len() == 1 { "" } else { "s" },
        if lengths.is_empty() {
            "no".to_string()
        } else {
            lengths.join(", ")
        }
    );
    out.push_str(&defs("pa"));
    out.push_str("<rect class=\"backdrop\" x=\"-100000\" y=\"-100000\" width=\"200000\" height=\"200000\" fill=\"none\"/>");
    let (leg, _) = legend(&kinds, 12.0, 20.0);
    out.push_str(&leg);
    for (i, p) in a.paths.iter().enumerate() {
        let y = grid.y(i);
        let _ = write!(
            out,
            "<g class=\"path\" data-path=\"{}\"><text x=\"14\" y=\"{}\" class=\"path-number\" font-size=\"14\" font-weight=\"bold\" fill=\"#222\">{}</text>",
            i + 1,
            f(y + 5.0),
            i + 1
        );
        let x_of = |j: usize| grid.x(j);
        for (j, hop) in p.hops.iter().enumerate() {
            let (na, nb) = (p.nodes[j], p.nodes[j + 1]);
            let mut types: Vec<String> = Vec::new();
            let (mut fwd, mut back) = (false, false);
            for &rel in hop {
                let rr = g.relation(rel);
                let t = g.str(rr.rel_type).to_string();
                if !types.contains(&t) {
                    types.push(t);
                }
                if !g.is_symmetric(rr.rel_type) {
                    if rr.from == na {
                        fwd = true;
                    } else {
                        back = true;
                    }
                }
            }
            let (s, t, directed) = match (fwd, back) {
                (true, false) => ((na, x_of(j)), (nb, x_of(j + 1)), true),
                (false, true) => ((nb, x_of(j + 1)), (na, x_of(j)), true),
                _ => ((na, x_of(j)), (nb, x_of(j + 1)), false),
            };
            edge(
                &mut out,
                "pa",
                (s.0, s.1, y),
                (t.0, t.1, y),
                r,
                directed,
                Some(&type_label(&types, 22)),
                11.0,
                0.5,
                hop.iter().all(|&rel| crate::query::is_undated(g, rel)),
            );
        }
        for (j, &e) in p.nodes.iter().enumerate() {
            let label = Label {
                size: font,
                max_chars: 26,
                angle: None,
                rotate: false,
            };
            out.push_str(&node(g, e, x_of(j), y, r, Some(label)));
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::embedded;
    use crate::query::{NeighbourhoodQuery, PathMode, PathQuery, neighbourhood, paths, resolve};

    #[test]
    fn pictures_are_deterministic_linked_and_have_legends() {
        let g = embedded::graph();
        let c = resolve(&g, "komdigi").unwrap();
        let q = NeighbourhoodQuery {
            depth: 2,
            ..Default::default()
        };
        let n = neighbourhood(&g, c, &q);
        let a = neighbourhood(&g, c, &q);
        let svg = super::neighbourhood(&g, &n);
        assert_eq!(svg, super::neighbourhood(&g, &a));
        assert!(svg.contains("href=\"/entity/komdigi\""));
        assert!(svg.contains("class=\"legend\""));
        assert!(!svg.contains("style="));
        assert_eq!(svg.matches("class=\"node\"").count(), n.nodes.len());
        let from = resolve(&g, "meutya hafid").unwrap();
        let to = resolve(&g, "tejas networks").unwrap();
        let ans = paths(
            &g,
            from,
            to,
            &PathQuery {
                mode: PathMode::K(3),
                ..Default::default()
            },
        );
        let svg = super::paths(&g, &ans);
        assert!(svg.contains("href=\"/entity/meutya-hafid\""));
        assert_eq!(svg.matches("class=\"path\"").count(), ans.paths.len());
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
