//! What the in-process tools of `benches/compare/run.sh` share: their
//! arguments, the median load, and how they read the clock and the peak
//! resident set.

use std::time::Instant;

/// The four arguments after what `cargo bench` adds (`--bench`), or
/// `None` (a plain `cargo bench` runs the tool with none: it then does
/// nothing).
pub(crate) fn args(tool: &str) -> Option<[String; 4]> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let four: Result<[String; 4], _> = args.try_into();
    if four.is_err() {
        eprintln!(
            "{tool}: needs DATA_DIR PAIRS.csv CENTRES.txt OUT.json (see benches/compare/run.sh)"
        );
    }
    four.ok()
}

/// Loads `times` times, each result dropped before the next load; returns
/// the last result, every load's seconds, their median, and the peak RSS
/// after the first (later loads reuse a heap the first left fragmented).
pub(crate) fn median_load<T>(times: usize, mut load: impl FnMut() -> T) -> (T, Vec<f64>, f64, f64) {
    let mut loads_s = Vec::new();
    let mut rss_mb = 0.0;
    let mut last = None;
    for _ in 0..times {
        drop(last.take());
        let started = Instant::now();
        let loaded = load();
        loads_s.push(started.elapsed().as_secs_f64());
        if loads_s.len() == 1 {
            rss_mb = peak_rss_mb();
        }
        last = Some(loaded);
    }
    let mut sorted = loads_s.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    (last.expect("loaded at least once"), loads_s, median, rss_mb)
}

/// Milliseconds since `t`.
pub(crate) fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The peak resident set so far (VmHWM), in MB; 0 where /proc is missing.
pub(crate) fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The pairs file (a header, then `from,to` ids) and the centres file (an
/// id a line), as node numbers given by `id`.
pub(crate) fn pairs_and_centres(
    pairs: &str,
    centres: &str,
    id: impl Fn(&str) -> u32,
) -> (Vec<(u32, u32)>, Vec<u32>) {
    let pairs = std::fs::read_to_string(pairs)
        .expect("pairs file")
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(a, b)| (id(a), id(b)))
        .collect();
    let centres = std::fs::read_to_string(centres)
        .expect("centres file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(&id)
        .collect();
    (pairs, centres)
}
