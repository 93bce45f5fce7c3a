//! The real `jejaring serve` binary on 127.0.0.1: graceful shutdown with a
//! request in flight, and `--watch` with valid, broken and fixed edits.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Writes a dataset of `n` entities and `m` relations.
fn write_dataset(dir: &Path, n: usize, m: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut s = String::from("id,title,publisher,published,url,language,file\n");
    s.push_str("s0,Report,Gen,2020,,en,\n");
    std::fs::write(dir.join("sources.csv"), s).unwrap();
    let mut e = String::from("id,kind,name,aliases,country,start,end,description\n");
    for i in 0..n {
        e.push_str(&format!("e{i},person,Person {i},,,,,\n"));
    }
    std::fs::write(dir.join("entities.csv"), e).unwrap();
    let mut r = String::from("from,to,type,role,start,end,source,evidence\n");
    for j in 0..m {
        let (a, b) = (j % n, (j * 7 + 1) % n);
        let b = if a == b { (b + 1) % n } else { b };
        r.push_str(&format!("e{a},e{b},met_with,,2020,,s0,evidence {j}\n"));
    }
    std::fs::write(dir.join("relations.csv"), r).unwrap();
}

struct Server {
    child: Child,
    port: u16,
    /// Its stderr, in a file so a full pipe never blocks it.
    log: tempfile::NamedTempFile,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--addr", &addr]);
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_jejaring"))
            .args(&all)
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        let s = Server { child, port, log };
        s.wait_until(Duration::from_secs(60), || s.get("/api/stats").0 == 200);
        s
    }

    /// One GET, the whole answer: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let Ok(mut c) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new());
        };
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            c,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut buf = Vec::new();
        let _ = c.read_to_end(&mut buf);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map_or("", |x| x.1).to_string();
        (status, body)
    }

    fn wait_until(&self, limit: Duration, mut ok: impl FnMut() -> bool) {
        let start = Instant::now();
        while !ok() {
            assert!(start.elapsed() < limit, "timed out after {limit:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn signal(&self, sig: &str) {
        let st = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Waits for the process to exit; its exit status and stderr.
    fn finish(mut self, limit: Duration) -> (std::process::ExitStatus, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > limit {
                let _ = self.child.kill();
                panic!("the server did not exit within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let err = std::fs::read_to_string(self.log.path()).unwrap();
        (status, err)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write_dataset(&data, 5000, 40_000);
    let server = Server::start(&["--data", data.to_str().unwrap(), "serve"]);

    // A large download, read slowly: it is in flight when the signal comes.
    let mut c = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        c,
        "GET /export/graphml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut got = vec![0u8; 4096];
    let n = c.read(&mut got).unwrap();
    got.truncate(n);
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );

    server.signal("-TERM");
    std::thread::sleep(Duration::from_millis(500));
    // New connections are no longer served.
    assert_eq!(server.get("/api/stats").0, 0);
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match c.read(&mut chunk) {
            Ok(0) => break,
            Ok(k) => got.extend_from_slice(&chunk[..k]),
            Err(e) => panic!("the download was cut: {e}"),
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let text = String::from_utf8_lossy(&got);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        length > 1_000_000,
        "the download is big enough to be in flight: {length}"
    );
    assert_eq!(body.len(), length, "the whole download arrived");
    assert!(body.trim_end().ends_with("</graphml>"));

    let (status, err) = server.finish(Duration::from_secs(40));
    assert!(status.success(), "{status}: {err}");
    assert!(err.contains("SIGTERM: shutting down"), "{err}");
}

/// Replaces a file the way editors do: a temporary file, then a rename.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp-edit");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn watch_serves_valid_edits_and_keeps_the_last_good_data_on_broken_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    write_dataset(&data, 50, 100);
    let server = Server::start(&["--data", data.to_str().unwrap(), "serve", "--watch"]);
    assert_eq!(server.get("/api/entity/newcomer").0, 404);

    let entities = std::fs::read_to_string(data.join("entities.csv")).unwrap()
        + "newcomer,person,New <b>Comer</b>,,,,,\n";
    let relations = std::fs::read_to_string(data.join("relations.csv")).unwrap()
        + "newcomer,e1,met_with,,2021,,s0,met\n";
    save(&data.join("entities.csv"), &entities);
    save(&data.join("relations.csv"), &relations);
    server.wait_until(Duration::from_secs(20), || {
        server.get("/api/entity/newcomer").0 == 200
    });
    assert!(!server.get("/").1.contains("class=\"banner\""));

    let broken = format!("{relations}newcomer,nobody,met_with,,2021,,s0,<script>x</script>\n");
    save(&data.join("relations.csv"), &broken);
    server.wait_until(Duration::from_secs(20), || {
        server.get("/").1.contains("class=\"banner\"")
    });
    let home = server.get("/").1;
    let line = relations.lines().count() + 1;
    assert!(
        home.contains(&format!("relations.csv:{line}: ")),
        "the banner names FILE:LINE: {home}"
    );
    assert!(!home.contains("<script>x"), "the banner is escaped");
    // The last good data is still served, with the banner on every page.
    let (status, page) = server.get("/entity/newcomer");
    assert_eq!(status, 200);
    assert!(page.contains("class=\"banner\""));
    assert!(page.contains("New &lt;b&gt;Comer&lt;/b&gt;") || page.contains("New &#60;b&#62;"));

    save(&data.join("relations.csv"), &relations);
    server.wait_until(Duration::from_secs(20), || {
        !server.get("/").1.contains("class=\"banner\"")
    });
    assert_eq!(server.get("/api/entity/newcomer").0, 200);

    // jejaring never wrote to the files.
    assert_eq!(
        std::fs::read_to_string(data.join("relations.csv")).unwrap(),
        relations
    );
    assert_eq!(
        std::fs::read_to_string(data.join("entities.csv")).unwrap(),
        entities
    );
    server.signal("-INT");
    let (status, err) = server.finish(Duration::from_secs(40));
    assert!(status.success(), "{status}: {err}");
    assert!(
        err.contains(&format!("relations.csv:{line}: ")),
        "logged as PATH:LINE: {err}"
    );
}

#[test]
fn watch_without_data_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args(["serve", "--watch", "--addr", "127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--watch needs --data"));
}

#[test]
fn log_level_warn_keeps_the_info_lines_out_of_the_log() {
    let server = Server::start(&["serve", "--log-level", "warn"]);
    assert_eq!(server.get("/entity/komdigi").0, 200);
    server.signal("-TERM");
    let (status, err) = server.finish(Duration::from_secs(40));
    assert!(status.success(), "{status}: {err}");
    assert!(!err.contains("serving on"), "{err}");
    assert!(!err.contains("shutting down"), "{err}");

    let server = Server::start(&["serve"]);
    server.signal("-TERM");
    let (_, err) = server.finish(Duration::from_secs(40));
    assert!(err.contains("serving on http://127.0.0.1:"), "{err}");
    assert!(err.contains("INFO"), "info is the default level: {err}");
}

/// A taken port is one clear error (exit 2), never a "serving on" line
/// followed by a failure, and never a panic.
#[test]
fn a_taken_port_is_one_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args(["serve", "--addr", &addr])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("serving on"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&addr), "{err}");
}
