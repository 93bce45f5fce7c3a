//! Where things go in the pictures of answers, deterministically: a
//! neighbourhood in rings by distance around its centre, paths left to
//! right with alternatives stacked. Positions only; `render::svg` draws.

use std::collections::HashMap;
use std::f64::consts::PI;

use crate::graph::Graph;
use crate::query::{Neighbourhood, PathAnswer};

/// A neighbourhood laid out in rings: the centre at the origin, ring `d`
/// holding the entities at distance `d`.
pub(crate) struct RingLayout {
    /// The node radius and label font size, smaller as the picture fills.
    pub(crate) r: f64,
    pub(crate) font: f64,
    /// Every entity's position, and its angle around the centre.
    pub(crate) pos: HashMap<u32, (f64, f64)>,
    pub(crate) angle: HashMap<u32, f64>,
    /// Each ring's radius, and whether its labels run outwards (a crowded
    /// ring) rather than sideways.
    pub(crate) ring_radius: Vec<f64>,
    pub(crate) radial: Vec<bool>,
    /// The view box (min x, min y, width, height), with room for labels
    /// and, on top, the legend.
    pub(crate) view: (f64, f64, f64, f64),
}

/// Lays out a neighbourhood in rings. An entity of ring 2 or further sits
/// near the smallest angle of the entities it is joined to one ring in, so
/// branches stay together; a ring of more than 24 entities turns its labels
/// outwards.
///
/// Complexity: O(V log V + E) for the neighbourhood's V entities and E
/// relations.
pub(crate) fn rings(g: &Graph, n: &Neighbourhood) -> RingLayout {
    let total = n.nodes.len();
    let r = match total {
        0..=30 => 13.0,
        31..=80 => 10.0,
        81..=200 => 7.0,
        _ => 5.0,
    };
    let font = match total {
        0..=30 => 13.0,
        31..=80 => 11.0,
        _ => 9.0,
    };
    let max_d = n.nodes.iter().map(|&(_, d)| d).max().unwrap_or(0);
    let mut rings: Vec<Vec<u32>> = vec![Vec::new(); max_d as usize + 1];
    for &(e, d) in &n.nodes {
        rings[d as usize].push(e);
    }
    // Adjacency among the kept nodes, for parents.
    let mut adj: HashMap<u32, Vec<u32>> = HashMap::new();
    for &rel in &n.edges {
        let rr = g.relation(rel);
        adj.entry(rr.from).or_default().push(rr.to);
        adj.entry(rr.to).or_default().push(rr.from);
    }
    let mut angle: HashMap<u32, f64> = HashMap::new();
    let mut pos: HashMap<u32, (f64, f64)> = HashMap::new();
    pos.insert(n.center, (0.0, 0.0));
    angle.insert(n.center, 0.0);
    let mut radius = 0.0f64;
    let mut ring_radius = vec![0.0];
    let mut radial = vec![false];
    let spacing = r * 2.0 + font * 1.3;
    for (d, ring) in rings.iter_mut().enumerate().skip(1) {
        if ring.is_empty() {
            ring_radius.push(radius);
            radial.push(false);
            continue;
        }
        if d >= 2 {
            let key = |e: &u32| {
                adj.get(e)
                    .into_iter()
                    .flatten()
                    .filter_map(|p| angle.get(p).copied())
                    .fold(f64::INFINITY, f64::min)
            };
            let mut keyed: Vec<(f64, usize, u32)> = ring
                .iter()
                .enumerate()
                .map(|(i, &e)| (key(&e), i, e))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            *ring = keyed.into_iter().map(|(_, _, e)| e).collect();
        }
        let count = ring.len() as f64;
        let is_radial = ring.len() > 24;
        let gap = if is_radial {
            r * 2.0 + 4.0
        } else {
            spacing * 1.2 + font * 5.0
        };
        let fit = count * gap / (2.0 * PI);
        let step = if is_radial { 60.0 + 9.0 * font } else { 150.0 };
        radius = (radius + step).max(fit);
        if d == 1 && ring.len() <= 2 {
            radius = radius.max(170.0);
        }
        ring_radius.push(radius);
        radial.push(is_radial);
        for (i, &e) in ring.iter().enumerate() {
            let a = -PI / 2.0 + 2.0 * PI * (i as f64 + 0.5) / count;
            let a = if d == 1 && ring.len() == 1 { 0.0 } else { a };
            angle.insert(e, a.rem_euclid(2.0 * PI));
            pos.insert(e, (radius * a.cos(), radius * a.sin()));
        }
    }
    let outer_radial = *radial.last().unwrap_or(&false);
    // Room for labels: outside labels run sideways (up to ~22 characters),
    // radial labels outwards on every side.
    let label_room = if outer_radial {
        17.0 * font
    } else {
        14.0 * font
    };
    let half = radius + r * 2.0 + label_room;
    let half_y = if outer_radial {
        half
    } else {
        radius + r * 2.0 + font * 2.5
    };
    let legend_h = 34.0;
    RingLayout {
        r,
        font,
        pos,
        angle,
        ring_radius,
        radial,
        view: (
            -half,
            -half_y - legend_h,
            2.0 * half,
            2.0 * half_y + legend_h,
        ),
    }
}

/// Paths laid out on a grid: path `i` is row `i`, its `j`-th entity in
/// column `j`, under a legend.
pub(crate) struct PathGrid {
    col: f64,
    row: f64,
    margin_x: f64,
    legend_h: f64,
    pub(crate) r: f64,
    pub(crate) font: f64,
    pub(crate) w: f64,
    pub(crate) h: f64,
}

impl PathGrid {
    pub(crate) fn of(a: &PathAnswer) -> PathGrid {
        let (col, row, r, font) = (190.0, 110.0, 13.0, 13.0);
        let margin_x = 60.0;
        let legend_h = 40.0;
        let longest = a.paths.iter().map(|p| p.nodes.len()).max().unwrap_or(1);
        let w = margin_x * 2.0 + (longest.max(2) - 1) as f64 * col;
        let rows = a.paths.len().max(1);
        let h = legend_h + rows as f64 * row + 10.0;
        PathGrid {
            col,
            row,
            margin_x,
            legend_h,
            r,
            font,
            w,
            h,
        }
    }

    /// The x of column `j`.
    pub(crate) fn x(&self, j: usize) -> f64 {
        self.margin_x + j as f64 * self.col
    }

    /// The y of row `i`'s line.
    pub(crate) fn y(&self, i: usize) -> f64 {
        self.legend_h + i as f64 * self.row + self.row / 2.0 - 10.0
    }
}
