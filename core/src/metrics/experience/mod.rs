//! Customer-experience KPIs: NPS, CSAT and CES from survey responses, first contact resolution
//! and help-desk ratings from support tickets.
//!
//! Responses belong to the period of their response date and tickets to the period of their
//! solved date. A blank answer is not a response, and neither is a score outside the
//! question's scale.

pub mod ces;
pub mod csat;
pub mod fcr;
pub mod nps;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::ingest::kinds::SurveyResponses;
use crate::metrics::period::{Granularity, Period};

/// The answers of one question grouped by the period of their response date, for responses
/// dated on or before `as_of`; undated responses are left out.
pub fn scores_by_period(survey: &SurveyResponses, question: usize, granularity: Granularity, as_of: NaiveDate) -> BTreeMap<Period, Vec<i16>> {
    let mut grouped: BTreeMap<Period, Vec<i16>> = BTreeMap::new();
    let Some(question) = survey.questions.get(question) else {
        return grouped;
    };
    for (time, score) in survey.time.iter().zip(&question.scores) {
        let (Some(time), Some(score)) = (time, score) else {
            continue;
        };
        if time.date() <= as_of {
            grouped.entry(Period::of_instant(granularity, *time)).or_default().push(*score);
        }
    }
    grouped
}

/// Every answer of one question, dated or not.
pub fn all_scores(survey: &SurveyResponses, question: usize) -> Vec<i16> {
    survey.questions.get(question).map(|question| question.scores.iter().flatten().copied().collect()).unwrap_or_default()
}
