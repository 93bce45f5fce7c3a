//! One CSV row per relation, for `--format csv` of paths and neighbourhoods.

use crate::graph::Graph;

/// Writes relations as CSV rows; `path` numbers the path a row belongs to
/// (for path answers). Cells that a spreadsheet would run as a formula are
/// neutralised (see [`crate::export::safe_cell`]).
pub fn relations(
    g: &Graph,
    rows: impl IntoIterator<Item = (Option<usize>, u32)>,
) -> std::io::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = rows.into_iter().peekable();
    let with_path = rows.peek().is_some_and(|(p, _)| p.is_some());
    let mut header = vec![
        "from",
        "from_name",
        "to",
        "to_name",
        "type",
        "role",
        "start",
        "end",
        "source",
        "source_title",
        "source_published",
        "evidence",
    ];
    if with_path {
        header.insert(0, "path");
    }
    w.write_record(&header)?;
    for (path, rel) in rows {
        let r = g.relation(rel);
        let s = g.source(r.source);
        let date = |d: Option<crate::model::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut rec: Vec<String> = vec![
            g.entity(r.from).id().to_string(),
            g.entity(r.from).name().to_string(),
            g.entity(r.to).id().to_string(),
            g.entity(r.to).name().to_string(),
            g.str(r.rel_type).to_string(),
            r.role.map(|x| g.str(x).to_string()).unwrap_or_default(),
            date(r.start),
            date(r.end),
            s.id.to_string(),
            s.title.to_string(),
            date(s.published),
            g.evidence(rel),
        ];
        if with_path {
            rec.insert(0, path.map(|p| p.to_string()).unwrap_or_default());
        }
        w.write_record(rec.iter().map(|c| crate::export::safe_cell(c).into_owned()))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8"))
}
