//! End to end in a real browser: the built binary serves the embedded
//! dataset on a free port, Debian's Chromium is driven headless through
//! chromedriver (WebDriver, fantoccini). Search a name, open the entity,
//! follow a node of the canvas, ask for three paths, then a time-respecting
//! one, visit the analysis pages (rank, common, timeline, relations) and
//! their downloads' links, read what the pages show, save a screenshot
//! under the target folder; no page logs a console error or a CSP
//! violation.
//!
//! Needs `chromium` and `chromium-driver` (apt). When chromedriver is
//! missing this test FAILS: CI must not pass without a browser.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/browser.rs"]
mod browser;
use browser::{Browser, Console, Guard, free_port, wait_for_port};

use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_researcher_searches_follows_and_asks_for_paths() {
    let browser = Browser::start((1440, 900), Console::Checked).await;
    let web_port = free_port();
    let _server = Guard(
        Command::new(env!("CARGO_BIN_EXE_jejaring"))
            .args(["serve", "--addr", &format!("127.0.0.1:{web_port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jejaring serve"),
    );
    wait_for_port(web_port);
    let base = format!("http://127.0.0.1:{web_port}");
    let result = run(&browser, &base).await;
    browser.finish(result, "path-k3.png").await;
}

async fn run(c: &fantoccini::Client, base: &str) -> Result<(), Box<dyn std::error::Error>> {
    // Home: the search box is there and focused; type a name with a typo.
    c.goto(base).await?;
    let q = c.find(Locator::Css("#q")).await?;
    q.send_keys("Meutia Hafid").await?;
    c.find(Locator::Css(".big-search button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("ol.hits")).await?;
    assert!(
        c.current_url()
            .await?
            .as_str()
            .contains("/search?q=Meutia+Hafid")
    );
    let first = c.find(Locator::Css("ol.hits li .hit-head a")).await?;
    assert!(first.text().await?.contains("Meutya Hafid"));
    first.click().await?;

    // Entity page: name, evidence, source, picture (the canvas).
    c.wait()
        .for_element(Locator::Css("#explorer[data-ready='1']"))
        .await?;
    assert!(
        c.current_url()
            .await?
            .path()
            .ends_with("/entity/meutya-hafid")
    );
    let h1 = c.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "Meutya Hafid");
    let body = c.find(Locator::Css("main")).await?.text().await?;
    assert!(body.contains("Minister of Communication and Digital Affairs"));
    assert!(body.contains("Indonesia dan India Jalin Aliansi Strategis Digital"));
    // The server picture is still in the page for readers without
    // JavaScript, with a link per node, inside <noscript>: this browser
    // runs scripts, so it kept it as text and built no SVG.
    let v = c
        .execute(
            "var f = document.querySelector('figure.picture'); return [f.hidden, f.querySelectorAll('svg').length, f.querySelector('noscript').textContent.includes('href=\"/entity/komdigi\"')];",
            vec![],
        )
        .await?;
    assert_eq!(v, serde_json::json!([true, 0, true]));
    // Follow a node of the canvas to its page, through its card.
    c.execute(
        "window.jejaringExplorer.cy.getElementById('komdigi').emit('tap'); return 1;",
        vec![],
    )
    .await?;
    c.find(Locator::Css(".x-panel a.x-open[href='/entity/komdigi']"))
        .await?
        .click()
        .await?;
    let start = Instant::now();
    while !c.current_url().await?.path().ends_with("/entity/komdigi") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the node link did not navigate"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let h1 = c.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "Ministry of Communication and Digital Affairs");

    // Path query with k = 3 through the form.
    c.goto(&format!("{base}/path")).await?;
    c.find(Locator::Css("#from"))
        .await?
        .send_keys("meutya hafid")
        .await?;
    c.find(Locator::Css("#to"))
        .await?
        .send_keys("tejas networks")
        .await?;
    let k = c.find(Locator::Css("#k")).await?;
    k.clear().await?;
    k.send_keys("3").await?;
    c.find(Locator::Css(".path-form button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait()
        .for_element(Locator::Css("section.path-block"))
        .await?;
    let blocks = c.find_all(Locator::Css("section.path-block")).await?;
    assert_eq!(blocks.len(), 3);
    let first = blocks[0].find(Locator::Css("h3")).await?.text().await?;
    assert!(first.starts_with("Path 1 — 2 hops, cost "), "{first}");
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(main.contains("3 paths, most specific first"));
    assert!(main.contains("Meutya Hafid met the Indian ambassador"));
    let cite = c
        .find(Locator::Css("#cite-1"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(cite.starts_with("Meutya Hafid → "), "{cite}");
    assert!(cite.contains("[unattributed-2025-indonesia-india-5g-ai-meeting]"));
    // The copy button the script adds.
    c.find(Locator::XPath("//button[text()='Copy citation']"))
        .await?;
    // The three paths: on the canvas's list, and in the server picture
    // kept for readers without JavaScript.
    c.wait()
        .for_element(Locator::Css("#explorer[data-ready='1']"))
        .await?;
    assert_eq!(
        c.find_all(Locator::Css(".x-path-list button")).await?.len(),
        3
    );
    let v = c
        .execute(
            "return document.querySelector('figure.picture noscript').textContent.split('<g class=\"path\"').length - 1;",
            vec![],
        )
        .await?;
    assert_eq!(v, serde_json::json!(3));
    c.find(Locator::Css("a[href^='/export/path/gexf?']"))
        .await?;

    // The same ends, dates never going backwards: one path, tick the box
    // and ask.
    let k = c.find(Locator::Css("#k")).await?;
    k.clear().await?;
    k.send_keys("1").await?;
    c.find(Locator::Css(".path-form input[name=chronological]"))
        .await?
        .click()
        .await?;
    c.find(Locator::Css(".path-form button[type=submit]"))
        .await?
        .click()
        .await?;
    // The k=3 page has path blocks too: wait for what only the new answer
    // has, its time-respecting download, so the old page is gone.
    c.wait()
        .for_element(Locator::Css(
            "a[href*='/export/path/graphml?'][href*='chronological=1']",
        ))
        .await?;
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(
        main.contains("1 path, time-respecting"),
        "the time-respecting answer: {main}"
    );
    assert_eq!(
        c.find_all(Locator::Css("section.path-block")).await?.len(),
        1
    );
    assert!(c.current_url().await?.as_str().contains("chronological=1"));
    c.find(Locator::Css(
        "a[href*='/export/path/graphml?'][href*='chronological=1']",
    ))
    .await?;
    // The canvas reads the time-respecting answer and gets ready.
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#explorer[data-ready='1']"))
        .await?;

    // The analyses: a ranking, an interlock through the form, a timeline
    // with its time axis, and a listing of signings.
    c.goto(&format!("{base}/rank?by=degree&limit=5")).await?;
    let rows = c.find_all(Locator::Css("table.nodes tbody tr")).await?;
    assert_eq!(rows.len(), 5);
    c.find(Locator::Css("a[href='/export/gexf?with_metrics=1']"))
        .await?;
    c.goto(&format!("{base}/common")).await?;
    c.find(Locator::Css("#entity"))
        .await?
        .send_keys("komdigi, india")
        .await?;
    c.find(Locator::Css("form.filters button[type=submit]"))
        .await?
        .click()
        .await?;
    c.wait()
        .for_element(Locator::Css("section.path-block"))
        .await?;
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(
        main.contains("Indonesia-India MoU on Digital Cooperation"),
        "{main}"
    );
    c.find(Locator::Css("a[href^='/export/common/gexf?']"))
        .await?;
    c.goto(&format!("{base}/timeline/komdigi")).await?;
    c.find(Locator::Css("figure.picture svg.timeline-axis circle"))
        .await?;
    // A picture without the canvas: the script added zoom controls (it
    // ran under the CSP).
    c.find(Locator::Css("figure.picture .zoom button")).await?;
    c.find(Locator::Css("a[href^='/export/timeline/komdigi/gexf']"))
        .await?;
    c.goto(&format!(
        "{base}/relations?type=signed&from_date=2025&until=2025"
    ))
    .await?;
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(main.contains("relations match"), "{main}");
    c.find(Locator::Css("table.rels tbody tr")).await?;
    c.find(Locator::Css(
        "a[href^='/export/relations/gephi?type=signed']",
    ))
    .await?;
    Ok(())
}
