//! What the real-browser tests share: free ports, child processes that die
//! with the test, finding Debian's Chromium and chromedriver (a missing one
//! fails the test with the install command: CI must not pass without a
//! browser), and one browser session ([`Browser`]) with its console check
//! and its last screenshot.

#![allow(dead_code)]

use std::net::TcpListener;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use tempfile::TempDir;

pub(crate) type TestResult = Result<(), Box<dyn std::error::Error>>;

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills a child process when dropped, so a failing test leaves nothing
/// running.
pub(crate) struct Guard(pub(crate) Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn wait_for_port(port: u16) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "nothing listens on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

const INSTALL: &str = "apt-get install -y chromium chromium-driver";

pub(crate) fn chromedriver() -> String {
    for p in ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"] {
        if Path::new(p).exists() {
            return p.to_string();
        }
    }
    panic!("chromedriver is missing: {INSTALL} (this test must not be skipped)");
}

pub(crate) fn chromium() -> &'static str {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or_else(|| panic!("chromium is missing: {INSTALL} (this test must not be skipped)"))
}

/// Where the tests leave their screenshots: `browser-screenshots` under
/// the cargo target folder.
pub(crate) fn screenshot_dir() -> PathBuf {
    let dir = Path::new(&std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
        .join("browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Whether Chromium writes its console to `chrome_debug.log` in the
/// profile, for [`Browser::finish`] to check.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Console {
    /// Every console message is logged; finishing asserts the log was
    /// written and holds no CSP violation and no console error.
    Checked,
    /// No log, no check.
    Unchecked,
}

/// One headless Chromium driven through its own chromedriver, with a
/// fresh profile; derefs to the fantoccini [`Client`]. Dropping it stops
/// chromedriver and removes the profile; [`Browser::finish`] is the way
/// to end a test with it.
pub(crate) struct Browser {
    client: Client,
    console: Console,
    // Dropped after the client is closed: the driver, then the profile.
    _driver: Guard,
    profile: TempDir,
}

impl Deref for Browser {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

const PROBE: &str = "jejaring-log-probe";

/// A Chrome DevTools Protocol command, sent through chromedriver's
/// `goog/cdp/execute` endpoint (what WebDriver itself cannot do, such as
/// running a script in every new document before the page's own).
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Starts chromedriver on a free port and opens a session with a
    /// window of `width` × `height` pixels.
    pub(crate) async fn start((width, height): (u32, u32), console: Console) -> Browser {
        let driver_path = chromedriver();
        let chromium = chromium();
        let driver_port = free_port();
        let driver = Guard(
            Command::new(&driver_path)
                .arg(format!("--port={driver_port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        );
        wait_for_port(driver_port);
        let profile = tempfile::tempdir().unwrap();
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={width},{height}"),
        ];
        if console == Console::Checked {
            // Chromium writes every console message, CSP violations among
            // them, to chrome_debug.log in the profile.
            args.extend(["--enable-logging".into(), "--v=0".into()]);
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        let client = ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
            .expect("connect to chromedriver");
        Browser {
            client,
            console,
            _driver: driver,
            profile,
        }
    }

    /// Sends a Chrome DevTools Protocol command; returns its answer.
    pub(crate) async fn cdp(
        &self,
        cmd: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, fantoccini::error::CmdError> {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_string(),
                params,
            })
            .await
    }

    /// The lines of the console log that are CSP violations or console
    /// errors. Panics when the log does not hold the probe message
    /// [`Browser::finish`] writes, so an empty log cannot pass for a clean
    /// one.
    pub(crate) fn console_problems(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.profile.path().join("chrome_debug.log"))
            .unwrap_or_default();
        assert!(
            log.contains(PROBE),
            "the browser's console log was not written"
        );
        log.lines()
            .filter(|l| {
                l.contains("Content Security Policy")
                    || l.contains("Refused to")
                    || (l.contains(":CONSOLE") && (l.contains("Error") || l.contains("error")))
            })
            .map(str::to_string)
            .collect()
    }

    pub(crate) fn assert_clean_console(&self) {
        let bad = self.console_problems();
        assert!(bad.is_empty(), "console errors:\n{}", bad.join("\n"));
    }

    /// Ends the test: saves a screenshot of wherever the browser is, pass
    /// or fail, as `shot` under [`screenshot_dir`]; writes the console
    /// probe; closes the session; then fails with `result`'s error, and
    /// with the console's problems when the console is checked.
    pub(crate) async fn finish(self, result: TestResult, shot: &str) {
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(screenshot_dir().join(shot), png).unwrap();
        }
        let probe = if self.console == Console::Checked {
            self.client
                .execute(&format!("console.info('{PROBE}'); return 1;"), vec![])
                .await
                .map(|_| ())
        } else {
            Ok(())
        };
        let _ = self.client.clone().close().await;
        result.unwrap();
        probe.expect("run the console log probe");
        if self.console == Console::Checked {
            self.assert_clean_console();
        }
    }
}
