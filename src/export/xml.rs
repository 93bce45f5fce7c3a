//! What the XML formats (GEXF, GraphML) share: their extra attribute
//! columns, a relation's fields in the order both declare them, start
//! tags, and attribute and text values that survive any string a dataset
//! may hold.
//!
//! quick-xml escapes the five markup characters (`<`, `>`, `&`, `'`, `"`).
//! Two more things are needed for values to come back as they went in:
//!
//! - A reader normalises a literal newline, carriage return or tab inside
//!   an attribute value to a space (XML 1.0 §3.3.3), and a carriage return
//!   in text to a newline (§2.11); written as character references they
//!   survive.
//! - XML 1.0 cannot hold most control characters (U+0000–U+001F but tab,
//!   newline and carriage return; U+FFFE, U+FFFF) even as references; they
//!   are replaced by U+FFFD, the replacement character.

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, BytesText};
use quick_xml::name::QName;

use super::{Subgraph, attr_columns, attr_value};
use crate::graph::Graph;
use crate::model::{Date, Sym};

/// Escapes a value for an attribute or text: quick-xml's escaping, then
/// white space that readers would normalise as character references.
fn escape(s: &str) -> Cow<'_, str> {
    let needs_more = s
        .chars()
        .any(|c| matches!(c, '\n' | '\r' | '\t') || !allowed(c));
    let escaped = quick_xml::escape::escape(s);
    if !needs_more {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 8);
    for c in escaped.chars() {
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 can hold a character.
fn allowed(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// An attribute whose value comes back from any XML reader as given.
pub(crate) fn attr<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(escape(value).into_owned().into_bytes()),
    }
}

/// Element text that comes back from any XML reader as given.
pub(crate) fn text(value: &str) -> BytesText<'static> {
    BytesText::from_escaped(escape(value).into_owned())
}

/// A start (or empty) tag with attributes escaped by [`attr`].
pub(crate) fn tag<'a>(name: &'a str, attrs: &[(&'a str, &str)]) -> BytesStart<'a> {
    let mut t = BytesStart::new(name);
    for (k, v) in attrs {
        t.push_attribute(attr(k, v));
    }
    t
}

/// The extra columns of a subgraph's entities and of its relations, each
/// with the name it is declared under: names in `node_reserved` or
/// `edge_reserved` (the format's own) get an `attr_` prefix.
pub(crate) struct Extras {
    pub(crate) nodes: Vec<(Sym, String)>,
    pub(crate) edges: Vec<(Sym, String)>,
}

impl Extras {
    pub(crate) fn of(
        g: &Graph,
        sub: &Subgraph,
        node_reserved: &[&str],
        edge_reserved: &[&str],
    ) -> Extras {
        Extras {
            nodes: attr_columns(
                g,
                sub.nodes.iter().map(|&n| &g.entity(n).attrs),
                node_reserved,
                str::to_string,
            ),
            edges: attr_columns(
                g,
                sub.relations.iter().map(|&r| g.relation_attrs(r)),
                edge_reserved,
                str::to_string,
            ),
        }
    }
}

/// A relation's fields as text, in the order the XML formats declare
/// their edge attributes: type, role, start, end, source id, source title,
/// source date, evidence, symmetric; then the extra columns.
pub(crate) fn edge_values(
    g: &Graph,
    r: u32,
    extras: &[(Sym, String)],
) -> std::io::Result<Vec<String>> {
    let rel = g.relation(r);
    let src = g.source(rel.source);
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut vals = vec![
        g.str(rel.rel_type).to_string(),
        rel.role.map_or("", |s| g.str(s)).to_string(),
        date(rel.start),
        date(rel.end),
        src.id.to_string(),
        src.title.to_string(),
        date(src.published),
        g.try_evidence(r)?,
        g.is_symmetric(rel.rel_type).to_string(),
    ];
    vals.extend(
        extras
            .iter()
            .map(|(k, _)| attr_value(g.relation_attrs(r), *k).to_string()),
    );
    Ok(vals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_white_space_and_forbidden_characters() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(escape("one\ntwo\r\tthree"), "one&#10;two&#13;&#9;three");
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        assert_eq!(escape("Мутья 東京 मुंबई"), "Мутья 東京 मुंबई");
    }
}
