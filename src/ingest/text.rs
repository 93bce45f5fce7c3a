//! An article's text: read from bytes (refusing what is not text), HTML
//! stripped to its visible words, cut into sentences with byte offsets,
//! and page furniture (read-also links, credits, captions) set aside.

use super::IngestError;
use super::lexicon::Lexicon;

/// The largest article read, in bytes. A news article is a few kilobytes;
/// anything this big is a wrong file, and refusing it keeps the matcher's
/// work bounded.
pub const MAX_ARTICLE_BYTES: usize = 4 << 20;

/// Checks that `bytes` are an article's text and returns it, HTML stripped
/// when the text is HTML.
pub fn read_article(bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.len() > MAX_ARTICLE_BYTES {
        return Err(IngestError::Input(format!(
            "the article is {} bytes; at most {MAX_ARTICLE_BYTES} are read (is this an article?)",
            bytes.len()
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(IngestError::Input(
            "the file is binary (it holds NUL bytes), not an article's text".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        IngestError::Input(format!(
            "the file is not UTF-8 text (a bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let text = if looks_like_html(text) {
        strip_html(text)
    } else {
        text.replace("\r\n", "\n").replace('\r', "\n")
    };
    if text.trim().is_empty() {
        return Err(IngestError::Input("the article is empty".into()));
    }
    Ok(text)
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<html",
        "<!doctype",
        "<body",
        "<p>",
        "<p ",
        "<div",
        "<br",
        "<article",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// Elements whose content is never visible text.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// Elements that end a line of visible text.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "figcaption",
    "figure",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "ul",
    "ol",
    "table",
    "aside",
];

/// The visible text of an HTML page: tags dropped, the content of scripts
/// and styles dropped, block elements as line breaks, the common entities
/// decoded. It is a tolerant reading, not a parser: malformed markup
/// loses at most some words, never the rest of the page.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else {
            // An unclosed tag: the rest is markup, not text.
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with("!--") {
            if let Some(end) = rest.find("-->") {
                rest = &rest[end + 3..];
            } else if !tag.ends_with("--") {
                rest = "";
            }
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !tag.starts_with('/') && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            let close = format!("</{name}");
            match find_ascii_ci(rest, &close) {
                Some(end) => {
                    rest = &rest[end..];
                    rest = rest.find('>').map_or("", |gt| &rest[gt + 1..]);
                }
                None => rest = "",
            }
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        } else {
            out.push(' ');
        }
    }
    out.push_str(&decode_entities(rest));
    // Lines as the page shows them: spaces squeezed, blank lines kept once.
    let mut text = String::with_capacity(out.len());
    for line in out.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Bytes, not a string slice: twelve bytes may end inside a character.
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A sentence: a byte range of the article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// A line of its own without a closing stop: a headline or a
    /// subheading, which names things but states no deed.
    pub heading: bool,
}

/// Words after which a full stop does not end a sentence: abbreviated
/// titles and place words, compared without case.
const ABBREVIATIONS: &[&str] = &[
    "st", "dr", "prof", "mr", "mrs", "ms", "jl", "no", "ir", "h", "hj", "drs", "kh", "sdr", "tn",
    "ny", "bpk", "vs", "etc", "inc", "ltd", "co", "corp", "jr", "sr", "pt", "tbk", "u.s", "mt",
];

/// Cuts `text` into sentences: every line is a paragraph, and within one a
/// sentence ends at `.`, `!` or `?` (and any closing quotes after it)
/// followed by white space and a capital letter, a digit or a quote —
/// unless the stop closes an abbreviation or a single initial (`S.
/// Jaishankar`). Offsets are byte offsets into `text`, on character
/// boundaries, in order and without overlap; blank lines give none.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        split_line(text, line_start, body, &mut out);
        line_start += line.len();
    }
    out
}

fn split_line(text: &str, base: usize, line: &str, out: &mut Vec<Sentence>) {
    let first = out.len();
    let mut start = 0;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            let end = chars.get(j).map_or(line.len(), |&(b, _)| b);
            let spaced = j < chars.len() && chars[j].1.is_whitespace();
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let next_starts = chars
                .get(k)
                .is_some_and(|&(_, n)| n.is_uppercase() || n.is_numeric() || "\"“‘'(".contains(n));
            if spaced && next_starts && !(c == '.' && is_abbreviation(&line[start..at])) {
                push(text, base, line, start, end, false, out);
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    push(text, base, line, start, line.len(), false, out);
    // A line that is one sentence with no closing stop is a heading.
    if out.len() == first + 1 {
        let s = &mut out[first];
        let t = text[s.start..s.end].trim_end();
        s.heading = !t.ends_with(['.', '!', '?', '"', '”', ':', ';', ',']);
    }
}

fn push(
    text: &str,
    base: usize,
    line: &str,
    start: usize,
    end: usize,
    heading: bool,
    out: &mut Vec<Sentence>,
) {
    let piece = &line[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if piece.trim().is_empty() {
        return;
    }
    let s = Sentence {
        start: base + start + lead,
        end: base + end - trail,
        heading,
    };
    debug_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    out.push(s);
}

/// Whether `before` (the sentence up to a full stop) ends in an
/// abbreviation or a single letter, after which the stop is not an end.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let word = word.trim_start_matches(['"', '“', '(']);
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// The sentences that are the article's own, with page furniture (lines
/// the lexicon's furniture patterns match) left out.
pub fn article_sentences(text: &str, lexicon: &Lexicon) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if !lexicon.is_furniture(body) {
            split_line(text, line_start, body, &mut out);
        }
        line_start += line.len();
    }
    out
}
