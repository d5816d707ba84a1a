//! How evenly participation is spread: Gini, top-10 % share, bus factor and
//! team evenness, over per-member (or per-team) contribution counts.

/// Gini coefficient of counts, `2·Σ i·xᵢ / (n·Σ xᵢ) − (n+1)/n` over counts
/// sorted ascending (i from 1); 0 when there are fewer than two counts or
/// they sum to zero.
pub fn gini(counts: &[u32]) -> f64 {
    let n = counts.len();
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if n < 2 || total == 0 {
        return 0.0;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let weighted: u128 = sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| (i as u128 + 1) * u128::from(x))
        .sum();
    let n = n as f64;
    2.0 * weighted as f64 / (n * total as f64) - (n + 1.0) / n
}

/// Share of the total made by the ⌈0.1·n⌉ largest counts; `None` when n = 0.
pub fn top10_share(counts: &[u32]) -> Option<f64> {
    if counts.is_empty() {
        return None;
    }
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return None;
    }
    let k = counts.len().div_ceil(10);
    let mut sorted = counts.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let top: u64 = sorted[..k].iter().map(|&c| u64::from(c)).sum();
    Some(top as f64 / total as f64)
}

/// The smallest number of members whose counts add up to at least half of
/// the total; 0 when there are none.
pub fn bus_factor(counts: &[u32]) -> u64 {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return 0;
    }
    let mut sorted = counts.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let mut sum = 0u64;
    for (i, &c) in sorted.iter().enumerate() {
        sum += u64::from(c);
        if 2 * sum >= total {
            return i as u64 + 1;
        }
    }
    sorted.len() as u64
}

/// Shannon entropy of the counts divided by ln(number of non-zero counts);
/// 0 when fewer than two are non-zero.
pub fn evenness(counts: &[u32]) -> f64 {
    let present: Vec<f64> = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| f64::from(c))
        .collect();
    if present.len() < 2 {
        return 0.0;
    }
    let total: f64 = present.iter().sum();
    let entropy: f64 = present
        .iter()
        .map(|&c| {
            let p = c / total;
            -p * p.ln()
        })
        .sum();
    entropy / (present.len() as f64).ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn worked_examples() {
        // Counts 1, 2, 3, 6: Σ i·x = 1+4+9+24 = 38; G = 76/48 − 5/4 = 1/3.
        assert!((gini(&[6, 1, 3, 2]) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(gini(&[5]), 0.0);
        assert_eq!(top10_share(&[6, 1, 3, 2]), Some(0.5));
        assert_eq!(top10_share(&[]), None);
        assert_eq!(bus_factor(&[6, 1, 3, 2]), 1);
        assert_eq!(bus_factor(&[3, 3, 3, 3]), 2);
        assert_eq!(bus_factor(&[]), 0);
        assert!((evenness(&[4, 4]) - 1.0).abs() < 1e-12);
        assert_eq!(evenness(&[4]), 0.0);
    }

    proptest! {
        #[test]
        fn gini_is_between_zero_and_one(counts in proptest::collection::vec(1u32..1000, 0..60)) {
            let g = gini(&counts);
            prop_assert!((-1e-12..=1.0).contains(&g), "{g}");
        }

        #[test]
        fn gini_is_zero_for_equal_counts(count in 1u32..1000, n in 1usize..60) {
            prop_assert!(gini(&vec![count; n]).abs() < 1e-9);
        }

        #[test]
        fn bus_factor_is_at_most_the_members(counts in proptest::collection::vec(1u32..1000, 0..60)) {
            prop_assert!(bus_factor(&counts) <= counts.len() as u64);
        }

        #[test]
        fn evenness_is_between_zero_and_one(counts in proptest::collection::vec(0u32..1000, 0..20)) {
            let e = evenness(&counts);
            prop_assert!((0.0..=1.0 + 1e-9).contains(&e), "{e}");
        }
    }
}
