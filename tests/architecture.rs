//! The layering that `src/lib.rs` states, checked on the source tree: the
//! core never names a front end's crates, and no module uses a module of
//! a higher layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first, as the invariants in `src/lib.rs` give them.
/// A module may use modules of lower layers only; modules of one layer do
/// not use each other.
const LAYERS: &[&[&str]] = &[
    &["error", "text", "keys", "atomic"],
    &["model"],
    &["ids", "store"],
    &["graph"],
    &["snapshot"],
    &["dataset", "query"],
    &["generate", "view", "ingest", "import"],
    &["export"],
    &["render"],
    &["web"],
    // The CLI's `serve` starts the web app.
    &["cli"],
];

/// Crates only the front ends may use.
const FRONT_END_CRATES: &[&str] = &["actix", "askama", "clap", "anyhow"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/graph/visit.rs` → graph),
/// or `None` for the crate root and the binary.
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// A file's code without its tests and comments: tests may use any module
/// (a loader test generates data; a picture test loads the embedded
/// dataset), and a doc link to another module is not a use of it.
fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer: add it to LAYERS and lib.rs"))
}

/// Every `crate::NAME` in the code, with its line.
fn crate_uses(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
            rest = after;
        }
    }
    out
}

fn all_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
}

#[test]
fn every_module_is_in_a_layer_and_the_table_names_only_modules() {
    let modules: BTreeMap<String, ()> = all_files()
        .iter()
        .filter_map(|p| module_of(p))
        .map(|m| (m, ()))
        .collect();
    for m in modules.keys() {
        layer_of(m);
    }
    for layer in LAYERS {
        for m in *layer {
            assert!(
                modules.contains_key(*m),
                "LAYERS names `{m}`, which is no module"
            );
        }
    }
}

#[test]
fn no_module_uses_a_module_of_its_own_or_a_higher_layer() {
    let mut wrong = Vec::new();
    for path in all_files() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        let layer = layer_of(&module);
        for (line, used) in crate_uses(&code(&path)) {
            if used == module {
                continue;
            }
            // `crate::foo!` macros and the like are not modules.
            let Some(used_layer) = LAYERS.iter().position(|l| l.contains(&used.as_str())) else {
                continue;
            };
            if used_layer >= layer {
                wrong.push(format!(
                    "{}:{line}: `{module}` (layer {layer}) uses `{used}` (layer {used_layer})",
                    path.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_core_never_names_a_front_end_crate() {
    let mut wrong = Vec::new();
    for path in all_files() {
        let Some(module) = module_of(&path) else {
            continue;
        };
        if matches!(module.as_str(), "cli" | "web") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            for name in FRONT_END_CRATES {
                if line.contains(name) {
                    wrong.push(format!("{}:{}: mentions {name}", path.display(), i + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the core names front-end crates:\n{}",
        wrong.join("\n")
    );
}

/// The checker itself: it must see the uses it is there to catch.
#[test]
fn the_checker_sees_uses_in_paths_and_use_lines() {
    let code =
        "use crate::graph::Graph;\nlet x = crate::query::Filter { time, ..crate::model::X };";
    let names: Vec<String> = crate_uses(code).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["graph", "query", "model"]);
    assert!(layer_of("query") > layer_of("graph"));
    assert!(layer_of("store") < layer_of("graph"));
    assert!(layer_of("graph") < layer_of("dataset"));
}
