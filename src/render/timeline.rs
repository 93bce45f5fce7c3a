//! An entity's timeline as an SVG time axis: one mark per dated relation
//! at its start (a bar to its end when it has one), labelled with the
//! relation type and the other end, years ticked along the axis. Like the
//! other pictures: no `style` attributes (the web's CSP forbids them), all
//! text escaped, the same input always the same bytes.

use std::fmt::Write;

use super::svg::{colour, esc, pct};
use crate::graph::Graph;
use crate::model::Date;
use crate::query::analysis::Timeline;

const WIDTH: f64 = 900.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 40.0;
const ROW: f64 = 22.0;
const TOP: f64 = 40.0;

/// A date as a day number, the first day it may mean.
fn day(d: Date) -> f64 {
    f64::from(d.first_day())
}

/// The timeline's dated relations on a time axis (an empty picture with
/// a note when none is dated).
pub fn timeline(g: &Graph, t: &Timeline) -> String {
    let mut out = String::new();
    let name = &g.entity(t.entity).name();
    let rows = t.dated.len().max(1);
    let height = TOP + ROW * rows as f64 + 30.0;
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline-axis" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="tl-title tl-desc"><title id="tl-title">Timeline of {}</title><desc id="tl-desc">{} dated relations from left (earliest) to right (latest).</desc>"#,
        esc(name),
        t.dated.len()
    );
    if t.dated.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{LEFT}" y="{TOP}" font-size="14" fill="currentColor">No dated relations.</text></svg>"#
        );
        return out;
    }
    let lo = t
        .dated
        .iter()
        .filter_map(|e| e.start)
        .map(day)
        .fold(f64::MAX, f64::min);
    let hi = t
        .dated
        .iter()
        .flat_map(|e| [e.start, e.end])
        .flatten()
        .map(|d| f64::from(d.last_day()))
        .fold(f64::MIN, f64::max)
        .max(lo + 1.0);
    let x = |d: f64| LEFT + (d - lo) / (hi - lo) * (WIDTH - LEFT - RIGHT);
    let axis_y = height - 20.0;
    let _ = write!(
        out,
        r#"<line x1="{LEFT}" y1="{axis_y}" x2="{}" y2="{axis_y}" stroke="currentColor" stroke-width="1"/>"#,
        WIDTH - RIGHT
    );
    // A tick at every year boundary, at most 30 of them.
    let (y0, y1) = (
        t.dated
            .iter()
            .filter_map(|e| e.start)
            .map(|d| d.year())
            .min()
            .unwrap_or(0),
        t.dated
            .iter()
            .flat_map(|e| [e.start, e.end])
            .flatten()
            .map(|d| d.year())
            .max()
            .unwrap_or(0),
    );
    let step = ((y1 - y0) / 30 + 1).max(1);
    let mut year = y0;
    while year <= y1 + 1 {
        if let Ok(d) = format!("{year:04}").parse::<Date>() {
            let dx = day(d);
            if dx >= lo && dx <= hi {
                let px = x(dx);
                let _ = write!(
                    out,
                    r#"<line x1="{px:.1}" y1="{axis_y}" x2="{px:.1}" y2="{}" stroke="currentColor"/><text x="{px:.1}" y="{}" font-size="11" text-anchor="middle" fill="currentColor">{year}</text>"#,
                    axis_y + 5.0,
                    axis_y + 17.0
                );
            }
        }
        year += step;
    }
    for (i, e) in t.dated.iter().enumerate() {
        let Some(start) = e.start else { continue };
        let y = TOP + ROW * i as f64;
        let x0 = x(day(start));
        let x1 = e.end.map_or(x0, |d| x(f64::from(d.last_day())));
        let other = g.entity(e.other);
        let ty = g.str(g.relation(e.relation).rel_type);
        let fill = colour(other.kind);
        let _ = write!(
            out,
            r#"<a href="/entity/{}"><title>{} {} {} ({})</title>"#,
            esc(&pct(other.id())),
            esc(ty),
            if e.outgoing { "→" } else { "←" },
            esc(other.name()),
            esc(&super::text::span(e.start, e.end))
        );
        if x1 > x0 + 1.0 {
            let _ = write!(
                out,
                r#"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="8" fill="{fill}" opacity="0.6"/>"#,
                y - 4.0,
                x1 - x0
            );
        }
        let _ = write!(
            out,
            r#"<circle cx="{x0:.1}" cy="{y:.1}" r="5" fill="{fill}" stroke="currentColor"/>"#
        );
        let (anchor, lx) = if x0 > WIDTH / 2.0 {
            ("end", x0 - 9.0)
        } else {
            ("start", x0 + 9.0)
        };
        let _ = write!(
            out,
            r#"<text x="{lx:.1}" y="{:.1}" font-size="12" text-anchor="{anchor}" fill="currentColor">{start} {} {}</text></a>"#,
            y + 4.0,
            esc(ty),
            esc(other.name())
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::analysis::timeline as build;

    #[test]
    fn every_dated_relation_is_a_mark_and_text_is_escaped() {
        let g = crate::dataset::embedded::graph();
        for e in 0..g.entities.len() as u32 {
            let t = build(&g, e, &Default::default()).unwrap();
            let svg = timeline(&g, &t);
            assert_eq!(svg.matches("<circle").count(), t.dated.len());
            assert!(!svg.contains("style="));
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            // Names with an ampersand or quotes never reach the markup raw.
            assert!(!svg.contains("& "), "{svg}");
        }
    }
}
