//! `serve --edit --watch` in a real browser, without any script of ours
//! needed: paste an article into `/edit`, read the review, accept the
//! source and two relations, apply, and see the new source's page once
//! the watcher has reloaded the data. The dataset is a temporary copy of
//! a fixture.
//!
//! Needs `chromium` and `chromium-driver` (apt); a missing chromedriver
//! FAILS the test.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/browser.rs"]
mod browser;
use browser::{Browser, Console, Guard, free_port, wait_for_port};

use fantoccini::Locator;

const ARTICLE: &str = "Menkes Bertemu Dubes Norwegia\n\n\
Menteri Kesehatan Budi Santika bertemu dengan Duta Besar Norwegia Lars Berg di Jakarta pada 3 Maret 2025.\n\
Keduanya membahas kerja sama vaksin dan telemedisin antara Indonesia dan Norwegia.\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_curator_pastes_reviews_and_applies_an_article() {
    let data = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest/data");
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        std::fs::copy(fixture.join(f), data.path().join(f)).unwrap();
    }

    let web_port = free_port();
    let _server = Guard(
        Command::new(env!("CARGO_BIN_EXE_jejaring"))
            .arg("--data")
            .arg(data.path())
            .args(["serve", "--edit", "--watch"])
            .args(["--addr", &format!("127.0.0.1:{web_port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start jejaring serve --edit"),
    );
    wait_for_port(web_port);
    let browser = Browser::start((1440, 900), Console::Checked).await;
    let base = format!("http://127.0.0.1:{web_port}");
    let result = run(&browser, &base, data.path()).await;
    browser.finish(result, "edit-applied.png").await;
}

async fn run(
    c: &fantoccini::Client,
    base: &str,
    data: &Path,
) -> Result<(), Box<dyn std::error::Error>> {
    // The header links to the editor when it is on.
    c.goto(base).await?;
    c.find(Locator::Css("nav a[href='/edit']"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("#ed-text")).await?;
    c.find(Locator::Css("#ed-text"))
        .await?
        .send_keys(ARTICLE)
        .await?;
    c.find(Locator::Css("#ed-source"))
        .await?
        .send_keys("warta-2025-uji")
        .await?;
    c.find(Locator::Css("#ed-title"))
        .await?
        .send_keys("Menkes bertemu Dubes Norwegia")
        .await?;
    c.find(Locator::Css("#ed-published"))
        .await?
        .send_keys("2025-03-03")
        .await?;
    c.find(Locator::Css(".edit-form button[type=submit]"))
        .await?
        .click()
        .await?;

    // The review: names marked in the article, proposals in tables.
    c.wait()
        .for_element(Locator::Css(".article-text a.mention"))
        .await?;
    let marked = c.find_all(Locator::Css(".article-text a.mention")).await?;
    let mut names = Vec::new();
    for m in &marked {
        names.push(m.text().await?);
    }
    assert!(names.contains(&"Budi Santika".to_string()), "{names:?}");
    assert!(names.contains(&"Lars Berg".to_string()), "{names:?}");
    // The source is accepted already; accept the two relations.
    let rows = c.find_all(Locator::Css("table.review tbody tr")).await?;
    assert_eq!(rows.len(), 3, "the source and two relations");
    for n in [1, 2] {
        c.find(Locator::Css(&format!(
            "input[name='accept.{n}'][value='yes']"
        )))
        .await?
        .click()
        .await?;
    }
    c.find(Locator::XPath("//button[text()='Apply the accepted rows']"))
        .await?
        .click()
        .await?;
    c.wait().for_element(Locator::Css("p[role=status]")).await?;
    let status = c.find(Locator::Css("p[role=status]")).await?.text().await?;
    assert!(
        status.starts_with("Appended 1 source, 0 entities and 2 relations"),
        "{status}"
    );
    let relations = std::fs::read_to_string(data.join("relations.csv"))?;
    assert!(
        relations.contains("budi-santika,lars-berg,met_with,,2025-03-03,2025-03-03,warta-2025-uji")
    );
    assert!(relations.contains("budi-santika,kemenkes,holds_position,Minister,,,warta-2025-uji"));

    // --watch reloads the data; the new source's page then lists both.
    let start = Instant::now();
    loop {
        c.goto(&format!("{base}/source/warta-2025-uji")).await?;
        let h1 = c.find(Locator::Css("h1")).await?.text().await?;
        if h1 == "Menkes bertemu Dubes Norwegia" {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the new source never appeared: {h1}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(
        main.contains("Relations this source supports (2)"),
        "{main}"
    );
    assert!(main.contains("Lars Berg"));
    Ok(())
}
