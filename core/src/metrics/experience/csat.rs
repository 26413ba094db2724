//! Customer satisfaction (CSAT): the top-two-box share of a points scale with the mean score
//! beside it, or good / (good + bad) for a help desk's two-value rating.

use crate::ingest::kinds::{ScoreScale, TicketRating};
use crate::metrics::share::Share;
use crate::metrics::unavailable::Unavailable;

/// CSAT of a set of answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Csat {
    /// Satisfied answers (the top two points: 4–5 on 1–5, 6–7 on 1–7, 9–10 on 1–10 or 0–10, or
    /// "good") out of all answers within the scale.
    pub satisfied: Share,
    /// Mean score on the scale; `None` for a good / bad rating, which has no mean.
    pub mean: Option<f64>,
}

/// Computes CSAT from answers on `scale`; answers outside the scale are not responses.
pub fn csat(scores: impl IntoIterator<Item = i16>, scale: ScoreScale) -> Result<Csat, Unavailable> {
    let (min, max, has_mean) = match scale {
        ScoreScale::Points { min, max } => (min, max, true),
        ScoreScale::GoodBad => (0, 1, false),
    };
    let top_two_from = if has_mean { max - 1 } else { max };

    let (mut responses, mut satisfied, mut sum) = (0u64, 0u64, 0i64);
    for score in scores.into_iter().filter(|score| (min..=max).contains(score)) {
        responses += 1;
        satisfied += u64::from(score >= top_two_from);
        sum += i64::from(score);
    }

    let satisfied = Share::new(satisfied, responses).ok_or(Unavailable::ZeroDenominator { what: "the number of CSAT responses" })?;
    let mean = has_mean.then(|| sum as f64 / responses as f64);
    Ok(Csat { satisfied, mean })
}

/// Computes CSAT from help-desk ratings: good / (good + bad). Offered and unoffered surveys are
/// not responses.
pub fn csat_from_ratings<'a>(ratings: impl IntoIterator<Item = &'a TicketRating>) -> Result<Csat, Unavailable> {
    let scores = ratings.into_iter().filter_map(|rating| match rating {
        TicketRating::Good => Some(1),
        TicketRating::Bad => Some(0),
        TicketRating::Offered | TicketRating::Unoffered => None,
    });
    csat(scores, ScoreScale::GoodBad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_two_box_per_scale() {
        let five = csat([5, 4, 3, 1], ScoreScale::Points { min: 1, max: 5 }).unwrap();
        assert_eq!((five.satisfied.numerator, five.satisfied.denominator), (2, 4));
        assert_eq!(five.mean, Some(3.25));
        let seven = csat([7, 6, 5, 5], ScoreScale::Points { min: 1, max: 7 }).unwrap();
        assert_eq!(seven.satisfied.numerator, 2);
        let ten = csat([0, 9, 10, 8], ScoreScale::Points { min: 0, max: 10 }).unwrap();
        assert_eq!(ten.satisfied.numerator, 2);
        assert_eq!(ten.satisfied.denominator, 4);
    }

    #[test]
    fn good_bad_ratings_have_no_mean() {
        let ratings = [TicketRating::Good, TicketRating::Good, TicketRating::Bad, TicketRating::Offered, TicketRating::Unoffered];
        let result = csat_from_ratings(&ratings).unwrap();
        assert_eq!((result.satisfied.numerator, result.satisfied.denominator), (2, 3));
        assert_eq!(result.mean, None);
    }

    #[test]
    fn no_answers_within_the_scale_is_undefined() {
        assert!(csat([-99, 8], ScoreScale::Points { min: 1, max: 7 }).is_err());
        assert!(csat_from_ratings(&[TicketRating::Offered]).is_err());
    }

    #[test]
    fn single_response_is_a_small_sample() {
        let result = csat([7], ScoreScale::Points { min: 1, max: 7 }).unwrap();
        assert_eq!(result.satisfied.fraction(), 1.0);
        assert!(result.satisfied.is_small_sample());
    }
}
