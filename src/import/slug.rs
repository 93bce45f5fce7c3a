//! Slug ids made from names: stable (the same name gives the same slug),
//! URL-safe as the loader wants ids, and collision-safe (two names that
//! fold to one slug get `-2`, `-3`, … in the order they were first seen).

use rustc_hash::FxHashMap;

/// The longest slug made from a name, in bytes: ids stay short enough to
/// type and to fit the id table's inline slots.
const MAX_SLUG: usize = 48;

/// `name` as a slug: accents and case folded, runs of anything but ASCII
/// letters and digits turned into one `-`. A name with no such character
/// (a name in another script) keeps its letters, which the loader accepts.
pub fn slug(name: &str) -> String {
    let mut folded = String::new();
    let mut out = String::new();
    slug_into(
        name,
        &mut crate::text::CaseFold::default(),
        &mut folded,
        &mut out,
    );
    out
}

/// [`slug`] into `out`, folding through `fold` (which remembers how the
/// characters met before fold) and `folded` (a buffer): many names in a
/// row allocate nothing but their slug.
fn slug_into(name: &str, fold: &mut crate::text::CaseFold, folded: &mut String, out: &mut String) {
    folded.clear();
    out.clear();
    fold.normalize_into(name, folded);
    let mut dash = false;
    for c in folded.chars() {
        // Folded text is lower case with single spaces: ASCII letters and
        // digits need no look-up in Unicode's tables.
        if c.is_ascii_alphanumeric() || !c.is_ascii() && c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
        if out.len() >= MAX_SLUG {
            break;
        }
    }
    if out.is_empty() {
        out.push_str("entity");
    }
}

/// Hands out slugs, each once: a name seen again gets its first slug back.
#[derive(Default)]
pub struct Slugs {
    by_key: FxHashMap<String, String>,
    taken: FxHashMap<String, u32>,
    fold: crate::text::CaseFold,
    folded: String,
}

impl Slugs {
    /// The slug for `key` (what identifies the thing: a name, an id),
    /// made from `name`, new or the one given before.
    pub fn get(&mut self, key: &str, name: &str) -> &str {
        if !self.by_key.contains_key(key) {
            let mut base = String::with_capacity(name.len());
            slug_into(name, &mut self.fold, &mut self.folded, &mut base);
            let id = self.free(base);
            self.by_key.insert(key.to_string(), id);
        }
        &self.by_key[key]
    }

    /// A new slug made from `name`, for a thing the caller knows it has
    /// not asked for before (no key is kept).
    pub fn fresh(&mut self, name: &str) -> String {
        let mut base = String::with_capacity(name.len());
        slug_into(name, &mut self.fold, &mut self.folded, &mut base);
        self.free(base)
    }

    /// The slug already given for `key`, if any.
    pub fn known(&self, key: &str) -> Option<&str> {
        self.by_key.get(key).map(String::as_str)
    }

    /// Marks an id as taken (an id given in the data as it is), so no
    /// made-up slug collides with it.
    pub fn reserve(&mut self, key: &str, id: &str) -> String {
        let id = self.free(id.to_string());
        self.by_key.insert(key.to_string(), id.clone());
        id
    }

    /// The id given for `key`, or `id` itself (numbered if taken) for a
    /// key met for the first time: an id from the data, kept.
    pub fn keep(&mut self, key: &str, id: &str) -> &str {
        if !self.by_key.contains_key(key) {
            self.reserve(key, id);
        }
        &self.by_key[key]
    }

    fn free(&mut self, base: String) -> String {
        let mut n = self.taken.get(&base).copied().unwrap_or(0);
        let mut id = base.clone();
        while n > 0 || self.taken.contains_key(&id) {
            n += 1;
            id = format!("{base}-{n}");
            if !self.taken.contains_key(&id) {
                break;
            }
        }
        self.taken.insert(base, n.max(1));
        self.taken.entry(id.clone()).or_insert(1);
        id
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(
            slug("Kementerian Komunikasi & Digital"),
            "kementerian-komunikasi-digital"
        );
        assert_eq!(slug("  José  Ramos-Horta "), "jose-ramos-horta");
        assert_eq!(slug("!!!"), "entity");
    }

    #[test]
    fn colliding_names_get_numbered_slugs_and_repeats_their_own() {
        let mut s = Slugs::default();
        assert_eq!(s.get("ACME Ltd", "ACME Ltd"), "acme-ltd");
        assert_eq!(s.get("Acme, Ltd.", "Acme, Ltd."), "acme-ltd-2");
        assert_eq!(s.get("acme ltd", "acme ltd"), "acme-ltd-3");
        assert_eq!(s.get("ACME Ltd", "ACME Ltd"), "acme-ltd");
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn a_made_slug_never_takes_a_reserved_id() {
        let mut s = Slugs::default();
        assert_eq!(s.reserve("x", "acme"), "acme");
        assert_eq!(s.get("Acme", "Acme"), "acme-2");
    }
}
