//! Long texts that are many and mostly unread — the evidence of millions
//! of relations — kept compressed in blocks, so they cost a fraction of
//! their size until one is shown.
//!
//! Texts are numbered in the order they are added. They are packed into
//! blocks of about [`BLOCK_BYTES`], each compressed with LZ4; reading a
//! text decompresses its block. The last block read is kept per thread,
//! so reading texts in order (an export) decompresses each block once.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Uncompressed bytes per block: small enough that showing one text is
/// quick, large enough to compress well.
pub const BLOCK_BYTES: usize = 32 << 10;

/// Texts in compressed blocks. Immutable once built.
#[derive(Debug)]
pub struct TextStore {
    /// A number of its own, so the per-thread cache knows whose block it holds.
    id: u64,
    blocks: Vec<Block>,
    /// For each text, its end within its block's uncompressed bytes.
    ends: Vec<u32>,
}

#[derive(Debug)]
struct Block {
    /// The first text in the block.
    first: u32,
    raw_len: u32,
    bytes: Box<[u8]>,
}

/// Collects texts and compresses each block as it fills.
#[derive(Debug, Default)]
pub struct TextStoreBuilder {
    blocks: Vec<Block>,
    ends: Vec<u32>,
    current: Vec<u8>,
    current_first: u32,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// (store id, block index, uncompressed bytes) of the last block read.
    static LAST_BLOCK: RefCell<(u64, usize, Vec<u8>)> = const { RefCell::new((0, 0, Vec::new())) };
}

impl TextStoreBuilder {
    /// Adds a text; its number is the count of texts added before it.
    pub fn push(&mut self, text: &str) {
        if !self.current.is_empty() && self.current.len() + text.len() > BLOCK_BYTES {
            self.seal();
        }
        self.current.extend_from_slice(text.as_bytes());
        self.ends.push(self.current.len() as u32);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn seal(&mut self) {
        let bytes = lz4_flex::block::compress(&self.current).into_boxed_slice();
        self.blocks.push(Block {
            first: self.current_first,
            raw_len: self.current.len() as u32,
            bytes,
        });
        self.current.clear();
        self.current_first = self.ends.len() as u32;
    }

    /// Seals the block being filled, if any text is waiting in it.
    fn seal_pending(&mut self) {
        if self.current_first as usize != self.ends.len() {
            self.seal();
        }
    }

    /// Adds every text of `other` after this one's, as if they had been
    /// pushed here: texts read in parallel are put back in order this way.
    /// Their blocks move as they are, compressed.
    pub fn append(&mut self, mut other: TextStoreBuilder) {
        self.seal_pending();
        other.seal_pending();
        let shift = self.ends.len() as u32;
        self.blocks.extend(other.blocks.into_iter().map(|b| Block {
            first: b.first + shift,
            ..b
        }));
        self.ends.extend(other.ends);
        self.current_first = self.ends.len() as u32;
    }

    pub fn finish(mut self) -> TextStore {
        self.seal_pending();
        if self.blocks.is_empty() {
            self.seal();
        }
        self.ends.shrink_to_fit();
        TextStore {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            blocks: self.blocks,
            ends: self.ends,
        }
    }
}

impl TextStore {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held (compressed blocks and offsets), for measuring.
    pub fn heap_bytes(&self) -> usize {
        self.blocks.iter().map(|b| b.bytes.len()).sum::<usize>() + self.ends.len() * 4
    }

    /// Text `i`. Panics if there is no such text: numbers come from the
    /// builder, so a bad one is a bug.
    pub fn get(&self, i: u32) -> String {
        let b = self.blocks.partition_point(|b| b.first <= i) - 1;
        let block = &self.blocks[b];
        let start = if i == block.first {
            0
        } else {
            self.ends[i as usize - 1] as usize
        };
        let end = self.ends[i as usize] as usize;
        if start == end {
            return String::new();
        }
        LAST_BLOCK.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.id || cache.1 != b {
                // The blocks were compressed from these bytes by the
                // builder, so they decompress.
                let raw = lz4_flex::block::decompress(&block.bytes, block.raw_len as usize)
                    .expect("a block decompresses to what was compressed");
                *cache = (self.id, b, raw);
            }
            // Texts were pushed as whole `&str`s, so their bounds are
            // character boundaries.
            String::from_utf8_lossy(&cache.2[start..end]).into_owned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_they_went_in() {
        let mut b = TextStoreBuilder::default();
        let texts: Vec<String> = (0..5000)
            .map(|i| match i % 4 {
                0 => String::new(),
                1 => format!("évidence {i} — Путин 総務省"),
                2 => "x".repeat(i % 700),
                _ => format!("{i}").repeat(40),
            })
            .collect();
        for t in &texts {
            b.push(t);
        }
        let store = b.finish();
        assert_eq!(store.len(), texts.len());
        for (i, t) in texts.iter().enumerate().rev() {
            assert_eq!(&store.get(i as u32), t);
        }
        for (i, t) in texts.iter().enumerate() {
            assert_eq!(&store.get(i as u32), t);
        }
        assert!(store.heap_bytes() < texts.iter().map(String::len).sum::<usize>());
    }

    #[test]
    fn appended_builders_read_as_one() {
        let texts: Vec<String> = (0..3000).map(|i| format!("{i} ").repeat(i % 90)).collect();
        // Split at several places, including before any text and inside
        // a run of empty texts.
        for cut in [0, 1, 90, 1234, 2999, 3000] {
            let (a, b) = texts.split_at(cut);
            let mut first = TextStoreBuilder::default();
            a.iter().for_each(|t| first.push(t));
            let mut second = TextStoreBuilder::default();
            b.iter().for_each(|t| second.push(t));
            first.append(second);
            first.push("after");
            let store = first.finish();
            assert_eq!(store.len(), texts.len() + 1, "cut {cut}");
            for (i, t) in texts.iter().enumerate() {
                assert_eq!(&store.get(i as u32), t, "cut {cut}, text {i}");
            }
            assert_eq!(store.get(texts.len() as u32), "after");
        }
    }

    #[test]
    fn a_text_longer_than_a_block_and_an_empty_store() {
        let mut b = TextStoreBuilder::default();
        b.push("a");
        b.push(&"long ".repeat(BLOCK_BYTES));
        b.push("b");
        let s = b.finish();
        assert_eq!(s.get(0), "a");
        assert_eq!(s.get(1).len(), 5 * BLOCK_BYTES);
        assert_eq!(s.get(2), "b");
        assert!(TextStoreBuilder::default().finish().is_empty());
    }
}
