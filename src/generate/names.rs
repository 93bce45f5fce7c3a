//! Names in four scripts: pronounceable words made of syllables, written
//! alike in Latin, Cyrillic, Katakana and Devanagari, so aliases in other
//! scripts name the same entity.

use super::rng::Rng;

/// Consonants in Latin, Cyrillic, Devanagari; the Katakana row per consonant
/// (a, i, u, e, o).
pub(super) const CONSONANTS: [(&str, &str, &str, [&str; 5]); 10] = [
    ("k", "к", "क", ["カ", "キ", "ク", "ケ", "コ"]),
    ("s", "с", "स", ["サ", "シ", "ス", "セ", "ソ"]),
    ("t", "т", "त", ["タ", "チ", "ツ", "テ", "ト"]),
    ("n", "н", "न", ["ナ", "ニ", "ヌ", "ネ", "ノ"]),
    ("m", "м", "म", ["マ", "ミ", "ム", "メ", "モ"]),
    ("r", "р", "र", ["ラ", "リ", "ル", "レ", "ロ"]),
    ("d", "д", "द", ["ダ", "ディ", "ドゥ", "デ", "ド"]),
    ("b", "б", "ब", ["バ", "ビ", "ブ", "ベ", "ボ"]),
    ("h", "х", "ह", ["ハ", "ヒ", "フ", "ヘ", "ホ"]),
    ("v", "в", "व", ["ヴァ", "ヴィ", "ヴ", "ヴェ", "ヴォ"]),
];
/// Vowels in Latin, Cyrillic, and as a Devanagari vowel sign (after a
/// consonant) and letter (at the start of a word).
pub(super) const VOWELS: [(&str, &str, &str, &str); 5] = [
    ("a", "а", "", "अ"),
    ("i", "и", "ि", "इ"),
    ("u", "у", "ु", "उ"),
    ("e", "е", "े", "ए"),
    ("o", "о", "ो", "ओ"),
];
pub(super) const KANA_VOWELS: [&str; 5] = ["ア", "イ", "ウ", "エ", "オ"];

/// A word as syllable codes: consonant * 5 + vowel, or 50 + vowel for a
/// bare vowel (only at the start).
#[derive(Clone)]
pub(super) struct Word(pub(super) Vec<u8>);

#[derive(Clone, Copy)]
pub(super) enum Script {
    Latin,
    Cyrillic,
    Katakana,
    Devanagari,
}

impl Word {
    pub(super) fn random(rng: &mut Rng, min: usize, max: usize) -> Word {
        let len = min + rng.below(max - min + 1);
        let mut s = Vec::with_capacity(len);
        for i in 0..len {
            if i == 0 && rng.chance(0.15) {
                s.push(50 + rng.below(5) as u8);
            } else {
                s.push((rng.below(CONSONANTS.len()) * 5 + rng.below(5)) as u8);
            }
        }
        Word(s)
    }

    pub(super) fn write(&self, script: Script, out: &mut String) {
        for (i, &code) in self.0.iter().enumerate() {
            let (c, v) = (code as usize / 5, code as usize % 5);
            if c == 10 {
                out.push_str(match script {
                    Script::Latin if i == 0 => ["A", "I", "U", "E", "O"][v],
                    Script::Latin => VOWELS[v].0,
                    Script::Cyrillic if i == 0 => ["А", "И", "У", "Е", "О"][v],
                    Script::Cyrillic => VOWELS[v].1,
                    Script::Katakana => KANA_VOWELS[v],
                    Script::Devanagari => VOWELS[v].3,
                });
                continue;
            }
            let (lat, cyr, dev, kana) = CONSONANTS[c];
            match script {
                Script::Latin => {
                    if i == 0 {
                        out.push(lat.as_bytes()[0].to_ascii_uppercase() as char);
                    } else {
                        out.push_str(lat);
                    }
                    out.push_str(VOWELS[v].0);
                }
                Script::Cyrillic => {
                    if i == 0 {
                        out.extend(cyr.chars().flat_map(char::to_uppercase));
                    } else {
                        out.push_str(cyr);
                    }
                    out.push_str(VOWELS[v].1);
                }
                Script::Katakana => out.push_str(kana[v]),
                Script::Devanagari => {
                    out.push_str(dev);
                    out.push_str(VOWELS[v].2);
                }
            }
        }
    }
}

/// Several words written in one script, joined by `sep`.
pub(super) fn words(ws: &[Word], script: Script, sep: &str) -> String {
    let mut s = String::new();
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        w.write(script, &mut s);
    }
    s
}

/// The same name in the other scripts, each with a probability.
pub(super) fn script_aliases(rng: &mut Rng, ws: &[Word], p: f64, aliases: &mut Vec<String>) {
    if rng.chance(p) {
        aliases.push(words(ws, Script::Cyrillic, " "));
    }
    if rng.chance(p * 0.7) {
        aliases.push(words(ws, Script::Katakana, "・"));
    }
    if rng.chance(p * 0.7) {
        aliases.push(words(ws, Script::Devanagari, " "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_transliterate_alike() {
        let w = Word(vec![0, 7, 51]);
        let mut s = String::new();
        for script in [
            Script::Latin,
            Script::Cyrillic,
            Script::Katakana,
            Script::Devanagari,
        ] {
            w.write(script, &mut s);
            s.push(' ');
        }
        assert_eq!(s, "Kasui Касуи カスイ कसुइ ");
    }
}
