//! The canvas explorer in a real browser: the built binary serves the
//! embedded dataset (and a generated one with hubs) on free ports,
//! Debian's Chromium is driven headless through chromedriver. Expand,
//! collapse, undo and redo; a hub group opened page by page; the edge
//! panel's evidence; the time window; the view surviving a reload; the
//! visible subgraph exported and read back by networkx; paths listed and
//! highlighted; no console error and no CSP violation on any page; no
//! horizontal overflow at 390 px.
//!
//! Needs `chromium`, `chromium-driver` and python3 with networkx. When
//! chromedriver is missing this test FAILS: CI must not pass without a
//! browser.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/browser.rs"]
mod browser;
use browser::{Browser, Console, Guard, TestResult, free_port, screenshot_dir, wait_for_port};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

fn serve(args: &[&str]) -> (Guard, String) {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jejaring"));
    cmd.arg("serve")
        .args(args)
        .args(["--addr", &format!("127.0.0.1:{port}")]);
    let guard = Guard(
        cmd.stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jejaring serve"),
    );
    wait_for_port(port);
    (guard, format!("http://127.0.0.1:{port}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canvas_explorer_grows_and_tells() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args([
            "generate",
            "--entities",
            "2000",
            "--relations",
            "10000",
            "--out",
        ])
        .arg(data.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let (_web, base) = serve(&[]);
    let (_hubs, hub_base) = serve(&["--data", data.path().to_str().unwrap()]);
    let browser = Browser::start((1440, 900), Console::Checked).await;
    let mut result = run(&browser, &base, &hub_base).await;
    if result.is_ok() {
        result = without_the_library(&browser, &base).await;
    }
    browser.finish(result, "explore-last.png").await;
}

/// When the graph library cannot load, each canvas page parses its server
/// picture back from the <noscript> text, with its zoom controls, and
/// keeps the canvas hidden.
async fn without_the_library(b: &Browser, base: &str) -> TestResult {
    let script = b
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "Object.defineProperty(window, 'cytoscape', { configurable: false, get: function () { return undefined; }, set: function () {} });" }),
        )
        .await?;
    for page in [
        "/entity/komdigi",
        "/neighbours/komdigi",
        "/path?from=meutya-hafid&to=tejas-networks&k=3",
    ] {
        b.goto(&format!("{base}{page}")).await?;
        b.wait()
            .for_element(Locator::Css("figure.picture .zoom button"))
            .await?;
        let v = b
            .execute(
                "var f = document.querySelector('figure.picture'); return [typeof window.cytoscape, f.hidden, f.querySelectorAll('noscript').length, f.querySelectorAll('svg a[href=\"/entity/komdigi\"], svg a[href=\"/entity/meutya-hafid\"]').length > 0, document.getElementById('explorer').hidden];",
                vec![],
            )
            .await?;
        assert_eq!(v, json!(["undefined", false, 0, true, true]), "{page}");
    }
    std::fs::write(
        screenshot_dir().join("explore-fallback.png"),
        b.screenshot().await?,
    )?;
    b.cdp(
        "Page.removeScriptToEvaluateOnNewDocument",
        json!({ "identifier": script["identifier"] }),
    )
    .await?;
    Ok(())
}

/// Waits until the canvas says it is ready, then until `ops` operations
/// are done (the script records the count on its container).
async fn ready(c: &Client, ops: usize) -> TestResult {
    let start = Instant::now();
    loop {
        let v = c
            .execute(
                "var r = document.getElementById('explorer'); return r ? [r.getAttribute('data-ready'), r.getAttribute('data-ops')] : null;",
                vec![],
            )
            .await?;
        if v[0] == "1" && v[1] == json!(ops.to_string()) {
            return Ok(());
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the canvas did not become ready with {ops} operations: {v}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs a script and waits until its operations are through.
async fn act(c: &Client, script: &str) -> TestResult {
    c.execute(
        &format!("var x = window.jejaringExplorer, cy = x.cy; {script}; return true;"),
        vec![],
    )
    .await?;
    c.execute_async(
        "var done = arguments[arguments.length - 1]; window.jejaringExplorer.busy.then(function () { done(true); });",
        vec![],
    )
    .await?;
    Ok(())
}

/// The ids of the entity nodes on the canvas.
async fn shown(c: &Client) -> Result<BTreeSet<String>, Box<dyn std::error::Error>> {
    let v = c
        .execute(
            "return window.jejaringExplorer.cy.nodes().not('.group').map(function (n) { return n.id(); });",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect())
}

async fn fetch_json(c: &Client, url: &str) -> Result<Value, Box<dyn std::error::Error>> {
    Ok(c.execute_async(
        "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(function (r) { return r.json(); }).then(done);",
        vec![json!(url)],
    )
    .await?)
}

/// The centre and every member of every group of at most 25 (what
/// expanding an entity shows), from the API.
async fn expansion(c: &Client, id: &str) -> Result<BTreeSet<String>, Box<dyn std::error::Error>> {
    let x = fetch_json(c, &format!("/api/explore/{id}?per_page=100")).await?;
    let mut out = BTreeSet::from([id.to_string()]);
    for g in x["groups"].as_array().unwrap() {
        if g["total"].as_u64().unwrap() <= 25 {
            for m in g["members"].as_array().unwrap() {
                out.insert(m["id"].as_str().unwrap().to_string());
            }
        }
    }
    Ok(out)
}

async fn run(c: &Client, base: &str, hub_base: &str) -> TestResult {
    // The entity page: the canvas replaces the server picture, which stays
    // in the page as <noscript> text, its figure hidden; no <style>
    // element was injected.
    c.goto(&format!("{base}/entity/komdigi")).await?;
    ready(c, 0).await?;
    let first = expansion(c, "komdigi").await?;
    assert_eq!(shown(c).await?, first);
    let v = c
        .execute(
            "var f = document.querySelector('figure.picture'); return [f.hidden, f.querySelectorAll('svg').length, f.querySelectorAll('noscript').length, document.querySelectorAll('style').length];",
            vec![],
        )
        .await?;
    assert_eq!(v, json!([true, 0, 1, 0]));

    // Expand a neighbour by double-click: its neighbours join.
    act(c, "cy.getElementById('meutya-hafid').emit('dbltap')").await?;
    ready(c, 1).await?;
    let mut grown = first.clone();
    grown.extend(expansion(c, "meutya-hafid").await?);
    assert!(grown.len() > first.len());
    assert_eq!(shown(c).await?, grown);
    // Undo, redo.
    c.find(Locator::Css(".x-undo")).await?.click().await?;
    act(c, "").await?;
    assert_eq!(shown(c).await?, first);
    c.find(Locator::Css(".x-redo")).await?.click().await?;
    act(c, "").await?;
    assert_eq!(shown(c).await?, grown);
    // Collapse from the keyboard: focus the node, press Delete.
    act(c, "x.focusNode(cy.getElementById('meutya-hafid'))").await?;
    c.find(Locator::Css(".x-canvas"))
        .await?
        .send_keys("\u{e017}")
        .await?;
    ready(c, 2).await?;
    let after = shown(c).await?;
    assert!(after.contains("meutya-hafid") && after.is_subset(&grown) && after.len() < grown.len());
    // Enter expands again from the keyboard.
    c.find(Locator::Css(".x-canvas"))
        .await?
        .send_keys("\u{e007}")
        .await?;
    ready(c, 3).await?;
    assert_eq!(shown(c).await?, grown);

    // The view survives a reload: the URL holds the operations.
    let url = c.current_url().await?;
    assert!(url.fragment().unwrap_or("").contains("ops="), "{url}");
    c.goto(url.as_str()).await?;
    c.refresh().await?;
    ready(c, 3).await?;
    assert_eq!(shown(c).await?, grown);

    // The edge panel: every relation of the pair, with evidence and source.
    let between = fetch_json(c, "/api/relations-between?a=komdigi&b=meutya-hafid").await?;
    act(
        c,
        "cy.edges().filter(function (e) { var s = e.source().id(), t = e.target().id(); return (s === 'komdigi' && t === 'meutya-hafid') || (t === 'komdigi' && s === 'meutya-hafid'); }).emit('tap')",
    )
    .await?;
    let panel = c
        .wait()
        .for_element(Locator::Css(".x-panel[data-loaded]"))
        .await?;
    let rows = panel.find_all(Locator::Css("li.x-rel")).await?;
    let rels = between["relations"].as_array().unwrap();
    assert_eq!(rows.len(), rels.len());
    for (row, r) in rows.iter().zip(rels) {
        let text = row.text().await?;
        for field in ["type", "evidence", "source_title", "publisher"] {
            let want = r[field].as_str().unwrap_or("");
            assert!(text.contains(want), "{field} {want:?} not in {text:?}");
        }
    }
    // A node's card links to its page.
    act(c, "cy.getElementById('nezar-patria').emit('tap')").await?;
    let link = c.find(Locator::Css(".x-panel a.x-open")).await?;
    assert_eq!(
        link.attr("href").await?.as_deref(),
        Some("/entity/nezar-patria")
    );

    // A dragged node stays where it was put when the force layout runs
    // again; the others move.
    let v = c
        .execute(
            r#"var x = window.jejaringExplorer, cy = x.cy, n = cy.getElementById('nezar-patria');
               n.position({ x: 4321, y: -1234 }); n.emit('dragfree');
               var other = cy.nodes().not(n).not('.root').first(); other.position({ x: 9999, y: 9999 });
               x.layout();
               return [n.position(), other.position()];"#,
            vec![],
        )
        .await?;
    assert_eq!(v[0], json!({"x": 4321, "y": -1234}));
    assert_ne!(v[1], json!({"x": 9999, "y": 9999}));

    // The time window: undated relations off and a window of one year fade
    // exactly the edges with no relation inside.
    let v = c
        .execute(
            r#"var x = window.jejaringExplorer;
               x.undated.checked = false; x.undated.dispatchEvent(new Event('input'));
               x.from.value = x.until.value = x.from.max; x.until.dispatchEvent(new Event('input'));
               return [x.from.value, x.cy.edges().not('.group-edge').map(function (e) {
                 return [e.data('rels'), e.hasClass('faded')]; }), location.hash];"#,
            vec![],
        )
        .await?;
    let y: i64 = v[0].as_str().unwrap().parse()?;
    let mut faded = 0;
    for e in v[1].as_array().unwrap() {
        let inside = e[0].as_array().unwrap().iter().any(|r| {
            let year = |k: &str| r[k].as_str().map(|d| d[..4].parse::<i64>().unwrap());
            match (year("start"), year("end")) {
                (None, None) => false,
                (s, t) => s.unwrap_or(i64::MIN) <= y && t.or(s).unwrap_or(i64::MAX) >= y,
            }
        });
        assert_eq!(e[1].as_bool().unwrap(), !inside, "{e}");
        faded += usize::from(!inside);
    }
    assert!(faded > 0);
    assert!(v[2].as_str().unwrap().contains("undated=0"));

    // The visible subgraph, exported, read back by networkx.
    let v = c
        .execute(
            r#"var x = window.jejaringExplorer, out = {};
               x.download = function () {};
               var vis = x.visible();
               ['graphml', 'gexf'].forEach(function (f) { x.exportView(f); out[f] = x.lastExport; });
               out.nodes = vis.nodes.map(function (n) { return n.id(); });
               out.edges = vis.edges.length;
               return out;"#,
            vec![],
        )
        .await?;
    let dir = tempfile::tempdir()?;
    for f in ["graphml", "gexf"] {
        let file = dir.path().join(format!("view.{f}"));
        std::fs::write(&file, v[f].as_str().unwrap())?;
        let out = Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import networkx as nx, json, sys; g = nx.read_{f}(sys.argv[1]); print(json.dumps([sorted(g.nodes()), g.number_of_edges()]))"
            ))
            .arg(&file)
            .output()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read: Value = serde_json::from_slice(&out.stdout)?;
        let mut want: Vec<&str> = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        want.sort_unstable();
        assert_eq!(read[0], json!(want), "{f}");
        assert_eq!(read[1], v["edges"], "{f}");
    }

    // The picture and the spreadsheets of the view: a PNG, an SVG that
    // parses with every visible entity named, and Gephi CSVs with one row
    // per visible edge and node.
    let v = c
        .execute(
            r#"var x = window.jejaringExplorer, out = {};
               x.download = function (blob, name) { out.last = [blob.type, blob.size, name]; };
               var vis = x.visible();
               ['svg', 'csv', 'nodes.csv'].forEach(function (f) { x.exportView(f); out[f] = x.lastExport; });
               x.exportView('png');
               out.nodes = vis.nodes.map(function (n) { return [n.id(), n.data('name')]; });
               out.edges = vis.edges.map(function (e) { return [e.source().id(), e.target().id()].join(','); });
               return out;"#,
            vec![],
        )
        .await?;
    assert_eq!(v["last"][0], "image/png", "{}", v["last"]);
    assert!(v["last"][1].as_u64().unwrap() > 2000, "{}", v["last"]);
    assert!(v["last"][2].as_str().unwrap().ends_with("-canvas.png"));
    let svg_file = dir.path().join("view.svg");
    std::fs::write(&svg_file, v["svg"].as_str().unwrap())?;
    let out = Command::new("python3")
        .arg("-c")
        .arg("import xml.etree.ElementTree as ET, sys; r = ET.parse(sys.argv[1]).getroot(); print(r.tag)")
        .arg(&svg_file)
        .output()?;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "{http://www.w3.org/2000/svg}svg",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let nodes = v["nodes"].as_array().unwrap();
    for n in nodes {
        let name = n[1].as_str().unwrap();
        assert!(
            v["svg"].as_str().unwrap().contains(name),
            "{name} not in the SVG"
        );
    }
    let csv_rows = |f: &str| -> Vec<String> {
        v[f].as_str()
            .unwrap()
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect()
    };
    let mut edges: Vec<String> = csv_rows("csv")
        .iter()
        .map(|r| r.splitn(3, ',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    let mut want: Vec<String> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect();
    edges.sort();
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(edges, want);
    let mut ids: Vec<String> = csv_rows("nodes.csv")
        .iter()
        .map(|r| r.split(',').next().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = nodes
        .iter()
        .map(|n| n[0].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    want.sort();
    assert_eq!(ids, want);

    // The layout selector: rings put each distance from the subject on
    // one circle around it, left to right puts the subject leftmost, and
    // every layout places the nodes differently.
    let v = c
        .execute(
            r#"var x = window.jejaringExplorer, cy = x.cy, sel = x.layoutSelect, out = {};
               var root = cy.nodes('.root').first().id();
               ['rings', 'ltr', 'force'].forEach(function (l) {
                 sel.value = l; sel.dispatchEvent(new Event('change'));
                 out[l] = cy.nodes().not('.pinned').map(function (n) {
                   return [n.id(), n.position().x, n.position().y]; });
                 out[l + '-hash'] = location.hash;
               });
               out.root = root; out.levels = x.distances();
               return out;"#,
            vec![],
        )
        .await?;
    let root = v["root"].as_str().unwrap();
    let pos = |l: &str| -> BTreeMap<String, (f64, f64)> {
        v[l].as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n[0].as_str().unwrap().to_string(),
                    (n[1].as_f64().unwrap(), n[2].as_f64().unwrap()),
                )
            })
            .collect()
    };
    let (rings, ltr, force) = (pos("rings"), pos("ltr"), pos("force"));
    assert!(rings.len() > 5);
    let centre = rings[root];
    let mut radii: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (id, (x, y)) in &rings {
        if let Some(level) = v["levels"][id.as_str()].as_i64() {
            radii
                .entry(level)
                .or_default()
                .push((x - centre.0).hypot(y - centre.1));
        }
    }
    let mut last = -1.0;
    for (level, rs) in &radii {
        let (lo, hi) = rs
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &r| (a.min(r), b.max(r)));
        assert!(hi - lo < 2.0, "distance {level}: radii {rs:?}");
        assert!(lo > last, "rings grow outwards: {radii:?}");
        last = hi;
    }
    let min_x = ltr.values().map(|p| p.0).fold(f64::MAX, f64::min);
    assert!((ltr[root].0 - min_x).abs() < 1.0, "the subject is leftmost");
    assert_ne!(rings, ltr);
    assert_ne!(ltr, force);
    assert_ne!(rings, force);
    assert!(v["rings-hash"].as_str().unwrap().contains("layout=rings"));
    assert!(v["ltr-hash"].as_str().unwrap().contains("layout=ltr"));
    std::fs::write(
        screenshot_dir().join("explore-entity.png"),
        c.screenshot().await?,
    )?;

    // Paths: drawn as one graph, each highlightable from the list.
    c.goto(&format!(
        "{base}/path?from=meutya-hafid&to=tejas-networks&k=3"
    ))
    .await?;
    ready(c, 0).await?;
    let answer = fetch_json(c, "/api/path?from=meutya-hafid&to=tejas-networks&k=3").await?;
    let mut want = BTreeSet::new();
    for p in answer["paths"].as_array().unwrap() {
        for n in p["nodes"].as_array().unwrap() {
            want.insert(n["id"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(shown(c).await?, want);
    let buttons = c.find_all(Locator::Css("button.x-path")).await?;
    assert_eq!(buttons.len(), 3);
    buttons[1].click().await?;
    let lit = c
        .execute(
            "return window.jejaringExplorer.cy.nodes().not('.path-dim').map(function (n) { return n.id(); }).sort();",
            vec![],
        )
        .await?;
    let mut second: Vec<&str> = answer["paths"][1]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    second.sort_unstable();
    assert_eq!(lit, json!(second));
    std::fs::write(
        screenshot_dir().join("explore-path.png"),
        c.screenshot().await?,
    )?;

    // The neighbourhood page draws the server's neighbourhood.
    c.goto(&format!("{base}/neighbours/komdigi?depth=2"))
        .await?;
    ready(c, 0).await?;
    let n = fetch_json(c, "/api/neighbours/komdigi?depth=2&per_page=500").await?;
    let want: BTreeSet<String> = n["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(shown(c).await?, want);

    // A hub: its big groups are single nodes; opening one adds the 25 most
    // connected members, and the group node counts down.
    let stats = hub(c, hub_base).await?;
    let (hub_id, t, total) = stats;
    c.goto(&format!("{hub_base}/entity/{hub_id}")).await?;
    ready(c, 0).await?;
    let gid = format!("g:{hub_id}\u{1}{t}");
    let label = c
        .execute(
            "return window.jejaringExplorer.cy.getElementById(arguments[0]).data('label');",
            vec![json!(gid)],
        )
        .await?;
    assert_eq!(label, json!(format!("+{} {t}", thousands(total))));
    let before = shown(c).await?;
    act(
        c,
        &format!("cy.getElementById({}).emit('dbltap')", json!(gid)),
    )
    .await?;
    ready(c, 1).await?;
    let added: BTreeSet<String> = shown(c).await?.difference(&before).cloned().collect();
    let page = fetch_json(
        c,
        &format!("/api/explore/{hub_id}?type={t}&per_page=25&page=1"),
    )
    .await?;
    let first_page: BTreeSet<String> = page["groups"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(first_page.len(), 25);
    assert!(added.is_subset(&first_page) && !added.is_empty());
    let label = c
        .execute(
            "return window.jejaringExplorer.cy.getElementById(arguments[0]).data('label');",
            vec![json!(gid)],
        )
        .await?;
    assert_eq!(label, json!(format!("+{} {t}", thousands(total - 25))));

    // A phone: 390 px wide, nothing sticks out sideways.
    c.set_window_size(390, 844).await?;
    for page in [
        format!("{base}/entity/komdigi"),
        format!("{base}/path?from=meutya-hafid&to=tejas-networks&k=3"),
        format!("{base}/neighbours/komdigi?depth=2"),
    ] {
        c.goto(&page).await?;
        ready(c, 0).await?;
        let w = c
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
                vec![],
            )
            .await?;
        assert!(w[0].as_i64() <= w[1].as_i64(), "{page}: {w}");
    }
    std::fs::write(
        screenshot_dir().join("explore-390.png"),
        c.screenshot().await?,
    )?;
    Ok(())
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The entity of the generated data with the biggest group of one type
/// over 25, found through the API from the entities the home page lists.
async fn hub(
    c: &Client,
    hub_base: &str,
) -> Result<(String, String, u64), Box<dyn std::error::Error>> {
    c.goto(hub_base).await?;
    let ids = c
        .execute(
            "return Array.from(document.querySelectorAll('main a[href^=\"/entity/\"]')).map(function (a) { return decodeURIComponent(a.getAttribute('href').slice(8)); });",
            vec![],
        )
        .await?;
    let mut best: Option<(String, String, u64)> = None;
    for id in ids.as_array().unwrap() {
        let id = id.as_str().unwrap();
        let x = fetch_json(c, &format!("/api/explore/{id}?per_page=1")).await?;
        for g in x["groups"].as_array().unwrap() {
            let total = g["total"].as_u64().unwrap();
            if total > 25 && best.as_ref().is_none_or(|b| total > b.2) {
                best = Some((
                    id.to_string(),
                    g["type"].as_str().unwrap().to_string(),
                    total,
                ));
            }
        }
    }
    Ok(best.expect("the generated data's most connected entities include a hub"))
}
