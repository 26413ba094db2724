//! Customer effort score (CES): the share of answers on the easy side of the scale and the
//! mean. On the usual agreement statement ("the company made it easy…") high scores are easy.

use serde::{Deserialize, Serialize};
use crate::ingest::kinds::ScoreScale;
use crate::metrics::share::Share;
use crate::metrics::unavailable::Unavailable;

/// The end of the scale that means little effort.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CesDirection {
    /// High scores mean "easy" (agreement scale): 5–7 of 1–7 and 4–5 of 1–5 agree.
    #[default]
    HigherIsEasier,
    /// Low scores mean little effort: 1–3 of 1–7 and 1–2 of 1–5 count as easy.
    LowerIsEasier,
}

/// CES of a set of answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ces {
    /// Answers strictly on the easy side of the scale's midpoint, out of all answers within
    /// the scale.
    pub easy: Share,
    /// Mean score, on the scale as answered (not reversed).
    pub mean: f64,
    pub direction: CesDirection,
}

/// Computes CES from answers on a points scale; answers outside it are not responses.
pub fn ces(scores: impl IntoIterator<Item = i16>, scale: ScoreScale, direction: CesDirection) -> Result<Ces, Unavailable> {
    let ScoreScale::Points { min, max } = scale else {
        return Err(Unavailable::MissingColumn { kind: "survey", column: "effort score on a points scale" });
    };
    let midpoint_twice = i32::from(min) + i32::from(max);

    let (mut responses, mut easy, mut sum) = (0u64, 0u64, 0i64);
    for score in scores.into_iter().filter(|score| (min..=max).contains(score)) {
        let twice = 2 * i32::from(score);
        let is_easy = match direction {
            CesDirection::HigherIsEasier => twice > midpoint_twice,
            CesDirection::LowerIsEasier => twice < midpoint_twice,
        };
        responses += 1;
        easy += u64::from(is_easy);
        sum += i64::from(score);
    }

    let easy = Share::new(easy, responses).ok_or(Unavailable::ZeroDenominator { what: "the number of CES responses" })?;
    Ok(Ces { easy, mean: sum as f64 / responses as f64, direction })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEVEN: ScoreScale = ScoreScale::Points { min: 1, max: 7 };
    const FIVE: ScoreScale = ScoreScale::Points { min: 1, max: 5 };

    #[test]
    fn ten_of_twenty_agree_is_fifty_percent() {
        let scores = [5, 6, 7, 7, 5, 6, 7, 5, 6, 7, 1, 2, 3, 4, 4, 3, 2, 1, 4, 4];
        let result = ces(scores, SEVEN, CesDirection::HigherIsEasier).unwrap();
        assert_eq!((result.easy.numerator, result.easy.denominator), (10, 20));
        assert_eq!(result.easy.fraction(), 0.5);
    }

    #[test]
    fn five_point_scale_agrees_at_four_and_five() {
        let result = ces([3, 4, 5, 2], FIVE, CesDirection::HigherIsEasier).unwrap();
        assert_eq!(result.easy.numerator, 2);
        assert_eq!(result.mean, 3.5);
    }

    #[test]
    fn reversed_direction_counts_the_low_end() {
        let result = ces([1, 2, 3, 4, 5, 6, 7], SEVEN, CesDirection::LowerIsEasier).unwrap();
        assert_eq!(result.easy.numerator, 3);
        let five = ces([1, 2, 3, 4, 5], FIVE, CesDirection::LowerIsEasier).unwrap();
        assert_eq!(five.easy.numerator, 2);
    }

    #[test]
    fn good_bad_scale_is_not_an_effort_scale() {
        assert!(ces([1], ScoreScale::GoodBad, CesDirection::HigherIsEasier).is_err());
    }
}
