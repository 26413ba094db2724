//! Net Promoter Score with its 95% margin of error.

use serde::{Deserialize, Serialize};
use crate::metrics::share::SMALL_SAMPLE;
use crate::metrics::unavailable::Unavailable;

/// NPS of a set of 0–10 answers: promoters answer 9–10, passives 7–8, detractors 0–6.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nps {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// n: answers within 0–10.
    pub responses: u64,
    /// `100 × (promoters − detractors) / n`, in −100..100.
    pub score: f64,
    /// Half-width of the 95% interval in NPS points: `196 × sqrt((p + d − (p − d)²) / n)`,
    /// with p and d the promoter and detractor shares.
    pub margin_of_error: f64,
    /// `distribution[s]`: answers of score s, for s in 0..=10.
    pub distribution: [u64; 11],
}

impl Nps {
    /// Returns true below 30 responses.
    pub fn is_small_sample(&self) -> bool {
        self.responses < SMALL_SAMPLE
    }
}

/// Computes NPS from answers; answers outside 0–10 are not responses.
pub fn nps(scores: impl IntoIterator<Item = i16>) -> Result<Nps, Unavailable> {
    let mut distribution = [0u64; 11];
    for score in scores {
        if let Some(slot) = usize::try_from(score).ok().and_then(|index| distribution.get_mut(index)) {
            *slot += 1;
        }
    }
    let responses: u64 = distribution.iter().sum();
    if responses == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the number of NPS responses" });
    }

    let detractors: u64 = distribution[..=6].iter().sum();
    let passives = distribution[7] + distribution[8];
    let promoters = distribution[9] + distribution[10];
    let n = responses as f64;
    let (p, d) = (promoters as f64 / n, detractors as f64 / n);
    let variance = (p + d - (p - d).powi(2)).max(0.0);
    Ok(Nps {
        promoters,
        passives,
        detractors,
        responses,
        score: 100.0 * (promoters as f64 - detractors as f64) / n,
        margin_of_error: 196.0 * (variance / n).sqrt(),
        distribution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventy_ten_twenty_gives_fifty() {
        let scores = [10; 70].into_iter().chain([8; 10]).chain([3; 20]);
        let result = nps(scores).unwrap();
        assert_eq!(result.score, 50.0);
        assert_eq!((result.promoters, result.passives, result.detractors), (70, 10, 20));
        // p = 0.7, d = 0.2: 196 × sqrt((0.9 − 0.25) / 100) = 15.8022…
        assert!((result.margin_of_error - 196.0 * (0.65f64 / 100.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn each_score_once_gives_minus_45_45() {
        let result = nps(0..=10).unwrap();
        assert_eq!((result.score * 100.0).round() / 100.0, -45.45);
        assert_eq!(result.distribution, [1; 11]);
    }

    #[test]
    fn single_response_has_zero_margin_and_is_small() {
        let result = nps([9]).unwrap();
        assert_eq!(result.score, 100.0);
        assert_eq!(result.margin_of_error, 0.0);
        assert!(result.is_small_sample());
    }

    #[test]
    fn out_of_scale_answers_are_not_responses() {
        assert!(nps([11, -1]).is_err());
        assert_eq!(nps([11, 0]).unwrap().responses, 1);
    }
}
