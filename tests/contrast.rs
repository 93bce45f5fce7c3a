//! Text contrast of the stylesheets, in both colour schemes: every
//! `color` a rule sets (and the `fill` of SVG text) must read at 4.5:1 or
//! more (WCAG 2.x AA for body text) on the background it sits on — the
//! rule's own background where it sets one, else both page backgrounds
//! (`--bg` and `--panel`). Custom properties are resolved as the browser
//! would: the light `:root`, then the dark one over it inside
//! `prefers-color-scheme: dark`. A colour the test cannot read is a
//! failure, so a new rule cannot slip past it.

use std::collections::HashMap;

const STYLESHEETS: &[&str] = &["assets/style.css", "assets/explorer.css"];
const AA: f64 = 4.5;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Media {
    All,
    Dark,
    Print,
    /// Any other condition (widths): applies in both schemes.
    Other,
}

#[derive(Debug)]
struct Rule {
    file: &'static str,
    media: Media,
    selector: String,
    decls: Vec<(String, String)>,
}

/// Splits a stylesheet into rules, with the media block each sits in.
fn rules(file: &'static str, css: &str) -> Vec<Rule> {
    // Comments out first.
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = &rest[i + 2..];
        rest = &rest[rest.find("*/").map_or(rest.len(), |j| j + 2)..];
    }
    text.push_str(rest);
    let mut out = Vec::new();
    let mut media = vec![Media::All];
    let mut prelude = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let head = prelude.trim().to_string();
                prelude.clear();
                if let Some(cond) = head.strip_prefix("@media") {
                    media.push(if cond.contains("prefers-color-scheme: dark") {
                        Media::Dark
                    } else if cond.contains("print") {
                        Media::Print
                    } else {
                        Media::Other
                    });
                    continue;
                }
                let mut body = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    body.push(c);
                }
                let decls = body
                    .split(';')
                    .filter_map(|d| d.split_once(':'))
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                    .collect();
                out.push(Rule {
                    file,
                    media: *media.last().unwrap(),
                    selector: head,
                    decls,
                });
            }
            '}' => {
                media.pop();
                prelude.clear();
            }
            _ => prelude.push(c),
        }
    }
    out
}

/// sRGB relative luminance of `#rgb` or `#rrggbb`.
fn luminance(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    let h: String = match h.len() {
        3 => h.chars().flat_map(|c| [c, c]).collect(),
        6 => h.to_string(),
        _ => return None,
    };
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(&h[i..i + 2], 16).ok()?) / 255.0;
        Some(if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

fn ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    Some((la.max(lb) + 0.05) / (la.min(lb) + 0.05))
}

/// A colour value with its custom properties resolved.
fn resolve(value: &str, vars: &HashMap<String, String>) -> Option<String> {
    let v = value.trim().trim_end_matches("!important").trim();
    match v.strip_prefix("var(").and_then(|x| x.strip_suffix(')')) {
        Some(name) => {
            let name = name.split(',').next()?.trim();
            resolve(vars.get(name)?, vars)
        }
        None if v.starts_with('#') => Some(v.to_ascii_lowercase()),
        None => match v {
            "white" => Some("#ffffff".into()),
            "black" => Some("#000000".into()),
            _ => None,
        },
    }
}

fn themes(all: &[Rule]) -> Vec<(Media, HashMap<String, String>)> {
    let vars = |media: &[Media]| {
        let mut v = HashMap::new();
        for m in media {
            for r in all
                .iter()
                .filter(|r| r.selector == ":root" && r.media == *m)
            {
                for (k, val) in &r.decls {
                    if k.starts_with("--") {
                        v.insert(k.clone(), val.clone());
                    }
                }
            }
        }
        v
    };
    vec![
        (Media::All, vars(&[Media::All])),
        (Media::Dark, vars(&[Media::All, Media::Dark])),
    ]
}

/// Where a colour is set, the text colour, its background and their ratio.
type Pair = (String, String, String, f64);

/// Every text colour on its background, as `(where, fg, bg, ratio)`;
/// colours that cannot be read are errors.
fn pairs() -> (Vec<Pair>, Vec<String>) {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut all = Vec::new();
    for file in STYLESHEETS {
        let css = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        all.extend(rules(file, &css));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (scheme, vars) in themes(&all) {
        let name = if scheme == Media::Dark {
            "dark"
        } else {
            "light"
        };
        for r in &all {
            let applies = match r.media {
                Media::All | Media::Other => true,
                Media::Dark => scheme == Media::Dark,
                // Print has its own literal colours on white paper.
                Media::Print => scheme == Media::All,
            };
            if !applies || r.selector == ":root" {
                continue;
            }
            let get = |k: &str| r.decls.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v);
            let text_fill = r.selector.contains("label") || r.selector.contains("number");
            let fg = get("color").or_else(|| get("fill").filter(|_| text_fill));
            let Some(fg) = fg else { continue };
            // A transparent background shows the page's.
            let own_bg = get("background-color")
                .or_else(|| get("background"))
                .filter(|b| !matches!(b.as_str(), "none" | "transparent"));
            let fg = match fg.as_str() {
                // Inherits the page's text colour: worth checking only
                // against a background of the rule's own.
                "inherit" | "currentColor" if own_bg.is_some() => "var(--fg)".to_string(),
                "inherit" | "currentColor" => continue,
                other => other.to_string(),
            };
            let backgrounds: Vec<String> = match (own_bg, r.media) {
                (Some(b), _) => vec![b.clone()],
                (None, Media::Print) => vec!["#ffffff".into()],
                (None, _) => vec!["var(--bg)".into(), "var(--panel)".into()],
            };
            let at = format!("{} `{}` ({name})", r.file, r.selector);
            let Some(f) = resolve(&fg, &vars) else {
                errors.push(format!("{at}: cannot read the colour {fg}"));
                continue;
            };
            for b in backgrounds {
                match resolve(&b, &vars) {
                    Some(bc) => {
                        let x = ratio(&f, &bc).unwrap();
                        out.push((at.clone(), f.clone(), bc, x));
                    }
                    None => errors.push(format!("{at}: cannot read the background {b}")),
                }
            }
        }
    }
    (out, errors)
}

#[test]
fn the_contrast_formula_matches_known_ratios() {
    assert!((ratio("#000", "#fff").unwrap() - 21.0).abs() < 1e-9);
    assert!((ratio("#fff", "#fff").unwrap() - 1.0).abs() < 1e-9);
    // #777 on white is the classic near miss: 4.48.
    let grey = ratio("#777777", "#ffffff").unwrap();
    assert!(grey < AA && grey > 4.4, "{grey}");
}

#[test]
fn every_text_colour_reads_at_aa_on_its_background_in_both_schemes() {
    let (pairs, errors) = pairs();
    assert!(errors.is_empty(), "{errors:#?}");
    // The legend's kind colours, links, muted text and buttons are all
    // among what was checked, in both schemes.
    for needle in [
        "span.k-person",
        "span.k-place",
        ".meta",
        "button",
        "a",
        "mark",
    ] {
        for scheme in ["light", "dark"] {
            assert!(
                pairs
                    .iter()
                    .any(|(at, ..)| at.contains(needle) && at.contains(scheme)),
                "{needle} ({scheme}) was not checked"
            );
        }
    }
    let failing: Vec<String> = pairs
        .iter()
        .filter(|(.., x)| *x < AA)
        .map(|(at, f, b, x)| format!("{at}: {f} on {b} is {x:.2}:1"))
        .collect();
    assert!(failing.is_empty(), "below {AA}:1:\n{}", failing.join("\n"));
}
