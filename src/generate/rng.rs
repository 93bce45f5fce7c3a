//! Random numbers: a small generator of our own, so a seed gives the
//! same dataset on every machine and every version of every dependency.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, passes BigCrush, and
/// ours, so its stream never changes under us.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6A09_E667_F3BC_C909)
    }
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0), by multiply-shift (Lemire); the bias is
    /// below 2^-32 for the sizes used here.
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A rank in `0..n` biased toward 0: P(rank < x) = (x/n)^(1/skew).
    /// The expected count at rank r falls as r^(1/skew - 1), a Zipf law,
    /// so degrees follow a power law with exponent 1 + skew/(skew - 1)…
    /// about 2–3 for the skews used here. `skew` 1 is uniform.
    pub(super) fn ranked(&mut self, n: usize, skew: f64) -> usize {
        let x = (self.unit().powf(skew) * n as f64) as usize;
        x.min(n - 1)
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn by weight.
    pub(super) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_heavy_tailed() {
        let mut rng = Rng::new(3);
        let mut hits = vec![0u32; 1000];
        for _ in 0..100_000 {
            hits[rng.ranked(1000, 2.5)] += 1;
        }
        // The top rank gets far more than its uniform share, the tail less.
        assert!(hits[0] > 1000, "{}", hits[0]);
        assert!(hits[999] < 100, "{}", hits[999]);
    }
}
