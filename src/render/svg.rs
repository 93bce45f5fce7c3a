//! SVG pictures of answers (placeholder until the layouts land).

use crate::graph::Graph;
use crate::query::{Neighbourhood, PathAnswer};

pub fn neighbourhood(_g: &Graph, _n: &Neighbourhood) -> String {
    String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
}

pub fn paths(_g: &Graph, _a: &PathAnswer) -> String {
    String::from("<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
}
