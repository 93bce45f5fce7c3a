//! Running a networkx script on a file we wrote: what the export checks
//! share. A missing networkx fails the test with the install command: CI
//! must not pass without the reader it checks against.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// How to get what the networkx checks need, for their failure messages.
pub(crate) const INSTALL_NETWORKX: &str =
    "python3 with networkx is needed: python3 -m pip install networkx";

/// Runs `script` with `python3 -c`, given the file's format and path, and
/// returns the JSON it prints.
pub(crate) fn networkx(script: &str, format: &str, path: &Path) -> Value {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(format)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {INSTALL_NETWORKX}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("No module named 'networkx'"),
        "networkx is missing; {INSTALL_NETWORKX}"
    );
    assert!(
        out.status.success(),
        "networkx could not read {}: {stderr}\n({INSTALL_NETWORKX})",
        path.display(),
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}
