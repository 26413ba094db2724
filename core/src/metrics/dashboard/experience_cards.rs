//! Experience cards: NPS, CSAT and CES from the first survey question of each kind, FCR and
//! rating-based CSAT from tickets, and the NPS series.

use chrono::NaiveDate;

use crate::ingest::kinds::{SurveyKind, SurveyResponses, Tickets};
use crate::metrics::experience::ces::ces;
use crate::metrics::experience::csat::{csat, csat_from_ratings};
use crate::metrics::experience::fcr::{first_contact_resolution, solved_in};
use crate::metrics::experience::nps::nps;
use crate::metrics::experience::scores_by_period;
use crate::metrics::period::Period;
use crate::metrics::unavailable::Unavailable;

use super::describe::CSAT_FROM_RATINGS;
use super::readings;
use super::trend::card_with_history;
use super::{as_of, card, headline_period, Card, Dashboard, DashboardOptions, PeriodNps, Reading};

/// Adds the cards that the loaded surveys and tickets allow.
pub(super) fn add_experience_content(dashboard: &mut Dashboard, surveys: &[&SurveyResponses], tickets: Option<&Tickets>, options: &DashboardOptions) {
    let has_survey_csat = surveys.iter().any(|survey| survey.questions.iter().any(|question| question.kind == SurveyKind::Csat));
    add_survey_cards(dashboard, surveys, options);
    if let Some(tickets) = tickets {
        add_ticket_cards(dashboard, tickets, !has_survey_csat, options);
    }
}

/// The headline period of a survey (the latest complete one by its last response date), the
/// as-of date and the first response date.
fn survey_period(survey: &SurveyResponses, options: &DashboardOptions) -> Result<(Period, NaiveDate, NaiveDate), Unavailable> {
    let dates = survey.time.iter().flatten().map(|time| time.date());
    let (first, last) = (dates.clone().min(), dates.max());
    let (Some(first), Some(last)) = (first, last) else {
        return Err(Unavailable::MissingColumn { kind: "survey", column: "response date" });
    };
    let as_of = as_of(last, options);
    Ok((headline_period(first, as_of, options.granularity)?, as_of, first))
}

/// Adds a card per survey kind, from the last loaded survey that has a question of that kind.
/// A survey whose questions name no kind gets a CSAT card that says what the headers need.
fn add_survey_cards(dashboard: &mut Dashboard, surveys: &[&SurveyResponses], options: &DashboardOptions) {
    let any_known = surveys.iter().any(|survey| survey.questions.iter().any(|question| question.kind != SurveyKind::Unknown));
    if !surveys.is_empty() && !any_known {
        let reason = Unavailable::MissingData {
            needs: "a survey score column whose header says what it measures: recommend (NPS), satisfied (CSAT), or easy or effort (CES); rename the header in the export",
        };
        dashboard.cards.push(card("csat", Err(reason)));
        return;
    }
    for (kind, id) in [(SurveyKind::Nps, "nps"), (SurveyKind::Csat, "csat"), (SurveyKind::Ces, "ces")] {
        let found = surveys.iter().rev().find_map(|survey| {
            let index = survey.questions.iter().position(|question| question.kind == kind)?;
            Some((*survey, index))
        });
        let Some((survey, index)) = found else {
            continue;
        };
        let (period, as_of, first) = match survey_period(survey, options) {
            Ok(found) => found,
            Err(reason) => {
                dashboard.cards.push(card(id, Err(reason)));
                continue;
            }
        };
        let grouped = scores_by_period(survey, index, options.granularity, as_of);
        if kind == SurveyKind::Nps {
            let series = grouped.iter().filter_map(|(period, scores)| nps(scores.iter().copied()).ok().map(|nps| PeriodNps { period: *period, nps }));
            dashboard.nps_by_period = Some(series.collect());
        }
        let reading_of = |period: Period| {
            let scores = grouped.get(&period).cloned().unwrap_or_default();
            survey_reading(kind, period, scores, survey.questions[index].scale, options)
        };
        dashboard.cards.push(card_with_history(id, Ok(period), first, reading_of));
    }
}

fn survey_reading(kind: SurveyKind, period: Period, scores: Vec<i16>, scale: crate::ingest::kinds::ScoreScale, options: &DashboardOptions) -> Result<Reading, Unavailable> {
    match kind {
        SurveyKind::Nps => nps(scores).map(|result| Reading {
            margin_of_error: Some(result.margin_of_error),
            small_sample: result.is_small_sample(),
            inputs: vec![
                ("promoters", result.promoters.to_string()),
                ("passives", result.passives.to_string()),
                ("detractors", result.detractors.to_string()),
            ],
            ..readings::number(period, result.score, format!("{:.1} ± {:.1}", result.score, result.margin_of_error), result.responses, "responses")
        }),
        SurveyKind::Csat => csat(scores, scale).map(|result| Reading {
            inputs: result.mean.map(|mean| vec![("mean score", mean.to_string())]).unwrap_or_default(),
            ..readings::share(period, result.satisfied, "responses")
        }),
        _ => ces(scores, scale, options.ces_direction).map(|result| Reading {
            inputs: vec![("mean score", result.mean.to_string())],
            ..readings::share(period, result.easy, "responses")
        }),
    }
}

fn add_ticket_cards(dashboard: &mut Dashboard, tickets: &Tickets, with_rating_csat: bool, options: &DashboardOptions) {
    let dates = tickets.rows.iter().flat_map(|ticket| [Some(ticket.created), ticket.solved]).flatten().map(|time| time.date());
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        dashboard.cards.push(card("fcr", Err(Unavailable::ZeroDenominator { what: "the number of tickets" })));
        return;
    };
    let period = match headline_period(first, as_of(last, options), options.granularity) {
        Ok(period) => period,
        Err(reason) => {
            dashboard.cards.push(card("fcr", Err(reason)));
            return;
        }
    };

    let fcr = card_with_history("fcr", Ok(period), first, |period| {
        first_contact_resolution(tickets, period).map(|result| Reading {
            inputs: vec![("tickets without reply counts", result.undetermined.to_string())],
            ..readings::share(period, result.resolved_first_contact, "solved tickets")
        })
    });
    dashboard.cards.push(fcr);

    let rated = tickets.rows.iter().any(|ticket| ticket.rating.is_some());
    if with_rating_csat && rated {
        let csat = card_with_history("csat", Ok(period), first, |period| {
            let ratings = tickets.rows.iter().filter(|ticket| solved_in(ticket, period)).filter_map(|ticket| ticket.rating.as_ref());
            csat_from_ratings(ratings).map(|result| readings::share(period, result.satisfied, "rated tickets"))
        });
        dashboard.cards.push(Card { definition: CSAT_FROM_RATINGS, ..csat });
    }
}

