//! The relation tables of the entity and neighbourhood pages (sorted by
//! date, neighbour name or the neighbour's relation count, narrowed to a
//! type, paged — on the server, without JavaScript), their downloads in
//! every format named after what they hold, and page titles.

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::embedded;
use jejaring::export::ExportFormat;
use jejaring::graph::Graph;
use jejaring::web::{AppState, create_app};

struct Got {
    status: StatusCode,
    disposition: String,
    body: String,
}

async fn get(uri: &str) -> Got {
    let app = init_service(create_app(AppState::new(embedded::graph()))).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let status = res.status();
    let disposition = res
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&read_body(res).await).into_owned();
    Got {
        status,
        disposition,
        body,
    }
}

async fn page(uri: &str) -> String {
    let got = get(uri).await;
    assert_eq!(got.status, StatusCode::OK, "{uri}: {}", got.body);
    got.body
}

/// The entity with the most relations: a table worth sorting.
fn hub(g: &Graph) -> u32 {
    (0..g.entities.len() as u32)
        .max_by_key(|&e| (g.degree(e), std::cmp::Reverse(e)))
        .unwrap()
}

/// The other party of each row of an entity page's relation tables: the
/// first entity link in each body row.
fn others(body: &str) -> Vec<String> {
    body.split("<tbody>")
        .skip(1)
        .flat_map(|t| t.split("</tbody>").next().unwrap().split("<tr>").skip(1))
        .map(|row| {
            let at = row.find("href=\"/entity/").expect("a link in the row") + 14;
            row[at..].split('"').next().unwrap().to_string()
        })
        .collect()
}

/// The relations of `e` seen from it: (relation, other party).
fn rows_of(g: &Graph, e: u32) -> Vec<(u32, u32)> {
    let mut rels: Vec<u32> = g.relations_by_type(e).into_values().flatten().collect();
    rels.sort_unstable();
    rels.dedup();
    rels.into_iter()
        .map(|r| {
            let rel = g.relation(r);
            (r, if rel.from == e { rel.to } else { rel.from })
        })
        .collect()
}

fn ids(g: &Graph, rows: &[(u32, u32)]) -> Vec<String> {
    rows.iter()
        .map(|&(_, o)| g.entity(o).id().to_string())
        .collect()
}

#[actix_web::test]
async fn entity_table_sorts_by_date_name_and_relation_count() {
    let g = embedded::graph();
    let e = hub(&g);
    let id = g.entity(e).id().to_string();
    let rows = rows_of(&g, e);
    assert!(rows.len() > 10);

    // Date: oldest first (by start, else end), undated last, ties in file
    // order; and reversed.
    let day = |r: u32| {
        let rel = g.relation(r);
        rel.start.or(rel.end).map(|d| d.first_day())
    };
    let mut by_date = rows.clone();
    by_date.sort_by_key(|&(r, _)| (day(r).is_none(), day(r), r));
    let body = page(&format!("/entity/{id}?sort=date&per_page=500")).await;
    assert_eq!(others(&body), ids(&g, &by_date));
    let mut newest = rows.clone();
    newest.sort_by_key(|&(r, _)| (day(r).is_none(), day(r).map(std::cmp::Reverse), r));
    let body = page(&format!("/entity/{id}?sort=date&order=desc&per_page=500")).await;
    assert_eq!(others(&body), ids(&g, &newest));

    // Name: A to Z ignoring case and accents.
    let body = page(&format!("/entity/{id}?sort=name&per_page=500")).await;
    let names: Vec<String> = others(&body)
        .iter()
        .map(|o| jejaring::text::normalize(g.entity(g.entity_index(o).unwrap()).name()))
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    assert_eq!(names.len(), rows.len());

    // Relation count: most connected first by default, fewest with asc.
    for (order, most_first) in [("", true), ("&order=asc", false)] {
        let body = page(&format!("/entity/{id}?sort=degree{order}&per_page=500")).await;
        let degrees: Vec<usize> = others(&body)
            .iter()
            .map(|o| g.degree(g.entity_index(o).unwrap()))
            .collect();
        assert_eq!(degrees.len(), rows.len());
        assert!(
            degrees.windows(2).all(|w| if most_first {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }),
            "{order}: {degrees:?}"
        );
        assert!(degrees.first() != degrees.last(), "a real spread of counts");
    }

    // Pages of a sorted table follow each other.
    let mut paged = Vec::new();
    for p in 1..=rows.len().div_ceil(4) {
        let body = page(&format!("/entity/{id}?sort=date&per_page=4&page={p}")).await;
        paged.extend(others(&body));
    }
    assert_eq!(paged, ids(&g, &by_date));
}

#[actix_web::test]
async fn type_counts_link_to_the_table_of_one_type() {
    let g = embedded::graph();
    let e = hub(&g);
    let id = g.entity(e).id().to_string();
    let by_type = g.relations_by_type(e);
    assert!(by_type.len() > 2);
    let body = page(&format!("/entity/{id}?sort=degree")).await;
    let total: usize = by_type.values().map(Vec::len).sum();
    assert!(body.contains(&format!("all ({total})</strong>")), "{body}");
    for (t, rels) in &by_type {
        assert!(
            body.contains(&format!(
                "<a href=\"/entity/{id}?sort=degree&#38;rel_type={t}\">{t} ({})</a>",
                rels.len()
            )),
            "{t}"
        );
    }
    let (t, rels) = by_type.iter().max_by_key(|(_, r)| r.len()).unwrap();
    let body = page(&format!("/entity/{id}?rel_type={t}&sort=date")).await;
    assert!(body.contains(&format!(
        "<strong aria-current=\"true\">{t} ({})</strong>",
        rels.len()
    )));
    let shown = others(&body);
    assert_eq!(shown.len(), rels.len());
    let want: std::collections::BTreeSet<String> = rels
        .iter()
        .map(|&r| {
            let rel = g.relation(r);
            g.entity(if rel.from == e { rel.to } else { rel.from })
                .id()
                .to_string()
        })
        .collect();
    assert_eq!(
        shown.into_iter().collect::<std::collections::BTreeSet<_>>(),
        want
    );
}

#[actix_web::test]
async fn neighbourhood_table_sorts_and_filters_too() {
    let body = page("/neighbours/komdigi?depth=2&sort=date&order=desc&per_page=500").await;
    let table = body.split("<table class=\"rels\">").nth(1).unwrap();
    let years: Vec<Option<u32>> = table
        .split("<td class=\"when\">")
        .skip(1)
        .map(|c| c[..4].parse().ok())
        .collect();
    assert!(years.len() > 5);
    let dated: Vec<u32> = years.iter().map_while(|y| *y).collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    assert!(
        years[dated.len()..].iter().all(Option::is_none),
        "undated last"
    );
    let body = page("/neighbours/komdigi?depth=2&rel_type=holds_position").await;
    let table = body.split("<table class=\"rels\">").nth(1).unwrap();
    let types: Vec<&str> = table
        .split("<td class=\"type\">")
        .skip(1)
        .map(|c| c.split(['<', ' ']).next().unwrap())
        .collect();
    assert!(!types.is_empty());
    assert!(types.iter().all(|t| *t == "holds_position"), "{types:?}");
    assert!(body.contains("<strong aria-current=\"true\">holds_position ("));
}

#[actix_web::test]
async fn bad_table_parameters_are_400_naming_them() {
    for path in ["/entity/komdigi", "/neighbours/komdigi"] {
        for (q, param) in [
            ("sort=size", "sort"),
            ("sort=date&order=up", "order"),
            ("rel_type=nonsense", "rel_type"),
        ] {
            let got = get(&format!("{path}?{q}")).await;
            assert_eq!(got.status, StatusCode::BAD_REQUEST, "{path}?{q}");
            assert!(got.body.contains(&format!("{param}: ")), "{path}?{q}");
        }
    }
}

/// The hrefs of a page's download links, `&#38;` decoded.
fn downloads(body: &str) -> Vec<String> {
    body.split("<a href=\"")
        .skip(1)
        .filter_map(|a| {
            let (href, rest) = a.split_once('"')?;
            rest.starts_with(" download>")
                .then(|| href.replace("&#38;", "&"))
        })
        .collect()
}

#[actix_web::test]
async fn every_format_downloads_with_the_filters_and_a_telling_name() {
    let body = page("/entity/komdigi").await;
    let links = downloads(&body);
    for f in ExportFormat::ALL {
        let href = links
            .iter()
            .find(|h| h.starts_with(&format!("/export/{}?", f.as_str())))
            .unwrap_or_else(|| panic!("no {} link in {links:?}", f.as_str()));
        let got = get(href).await;
        assert_eq!(got.status, StatusCode::OK, "{href}: {}", got.body);
        let ext = if f.is_folder() {
            format!("-{}.zip", f.as_str())
        } else {
            format!(".{}", f.extension())
        };
        assert_eq!(
            got.disposition,
            format!("attachment; filename=\"jejaring-komdigi-depth1{ext}\""),
            "{href}"
        );
    }
    for own in ["format=csv", "format=svg"] {
        assert!(links.iter().any(|h| h.ends_with(own)), "{own}: {links:?}");
    }

    // A filtered neighbourhood: every download keeps depth, type and the
    // time window, and says so in its name.
    let q = "depth=2&type=holds_position&from_date=2019&until=2026";
    let body = page(&format!("/neighbours/komdigi?{q}")).await;
    let links = downloads(&body);
    assert_eq!(links.len(), ExportFormat::ALL.len() + 2, "{links:?}");
    for href in &links {
        for part in [
            "depth=2",
            "type=holds_position",
            "from_date=2019",
            "until=2026",
        ] {
            assert!(href.contains(part), "{href} lacks {part}");
        }
    }
    let gexf = links
        .iter()
        .find(|h| h.starts_with("/export/gexf?"))
        .unwrap();
    let got = get(gexf).await;
    assert_eq!(
        got.disposition,
        "attachment; filename=\"jejaring-komdigi-depth2-holds-position-2019-to-2026.gexf\""
    );
    let csv = get(links.iter().find(|h| h.ends_with("format=csv")).unwrap()).await;
    assert_eq!(
        csv.disposition,
        "attachment; filename=\"jejaring-komdigi-depth2-holds-position-2019-to-2026.csv\""
    );
    // The same relations in both: one edge per CSV row, all of the type.
    let rows = csv.body.lines().skip(1).count();
    assert!(rows > 0);
    assert_eq!(got.body.matches("<edge ").count(), rows);
    assert!(
        csv.body
            .lines()
            .skip(1)
            .all(|l| l.contains(",holds_position,"))
    );
    // The table's type stands for the shown types in the downloads.
    let body = page("/entity/komdigi?rel_type=holds_position").await;
    assert!(
        downloads(&body)
            .iter()
            .all(|h| h.contains("type=holds_position")),
        "{body}"
    );
}

#[actix_web::test]
async fn every_page_title_names_its_subject_and_the_site() {
    let g = embedded::graph();
    let komdigi = g
        .entity(g.entity_index("komdigi").unwrap())
        .name()
        .to_string();
    for (uri, title) in [
        ("/", "Who is connected to whom — jejaring".to_string()),
        ("/entity/komdigi", format!("{komdigi} — jejaring")),
        (
            "/neighbours/komdigi",
            format!("Neighbours of {komdigi} — jejaring"),
        ),
        (
            "/timeline/komdigi",
            format!("Timeline of {komdigi} — jejaring"),
        ),
        ("/sources", "Sources — jejaring".to_string()),
        ("/relations", "Relations — jejaring".to_string()),
        ("/common", "In common — jejaring".to_string()),
        (
            "/search?q=meutya",
            "“meutya” — search — jejaring".to_string(),
        ),
        (
            "/entity/nobody-at-all",
            "404 Not Found — jejaring".to_string(),
        ),
    ] {
        let body = get(uri).await.body;
        assert!(
            body.contains(&format!("<title>{title}</title>")),
            "{uri}: {}",
            body.lines().find(|l| l.contains("<title>")).unwrap_or("")
        );
    }
    let body = page("/path?from=meutya-hafid&to=komdigi").await;
    let title = body
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(
        title.ends_with(" — jejaring") && title.len() > " — jejaring".len(),
        "{title}"
    );
}
