//! A card's recent history: its value in each of the last periods, for the sparkline, and the
//! change against the period before the card's own, with whether that change is good news.
//!
//! Every module that adds cards computes the same reading for earlier periods and hands the
//! readings, oldest first and the card's own last, to [`trend`]. A period whose reading is
//! unavailable is left out of the sparkline, and gives no change when it is the one before.

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::format;
use crate::metrics::period::Period;
use crate::metrics::unavailable::Unavailable;

use super::{Card, Reading};

/// Periods a sparkline covers, the card's own included.
pub const TREND_PERIODS: usize = 12;

/// Whether a rise of the KPI is good news for the business.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    /// Neither direction is good in itself, as with spend per retained customer.
    Neutral,
}

/// How a change is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeUnit {
    /// The difference of two fractions, shown in percentage points (0.012 is `+1.2 pts`).
    PercentagePoints,
    /// The difference of two scores in their own points, as for NPS.
    Points,
    /// `(current − previous) / |previous|`, shown as a percentage, for amounts and counts.
    Relative,
}

/// How the page should colour a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Good,
    Bad,
    /// Too small to show at the card's precision, from a small sample, or of a KPI whose
    /// direction is neither good nor bad.
    Neutral,
}

/// Direction of a change, for the arrow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Up,
    Down,
    Flat,
}

/// One period of a sparkline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// The period as `data-period` writes it, such as `2026-09`.
    pub period: String,
    /// The period as cards caption it, such as `Sep 2026`.
    pub label: String,
    /// The KPI's value in the unit of `data-value`; `None` when it was unavailable.
    pub value: Option<f64>,
}

/// The change of a KPI from the period before the card's own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The value of the earlier period, in the unit of `data-value`.
    pub previous: f64,
    pub previous_label: String,
    /// The change in `unit`: a fraction difference, NPS points, or a relative fraction.
    pub amount: f64,
    pub unit: ChangeUnit,
    pub direction: Direction,
    pub verdict: Verdict,
    /// The change as the card shows it, such as `+1.2 pts` or `−4.0%`.
    pub display: String,
}

/// A card's recent values and its change against the period before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Oldest first; the last point is the card's own period.
    pub points: Vec<TrendPoint>,
    /// `None` when the earlier period has no value, or the relative change of a zero.
    pub change: Option<Change>,
}

/// Builds a trend from `history`, the readings of consecutive periods with the card's own
/// last. Returns `None` when the card's own reading is unavailable or `history` is empty.
pub fn trend(history: &[Result<Reading, Unavailable>], unit: ChangeUnit, polarity: Polarity) -> Option<Trend> {
    let current = history.last()?.as_ref().ok()?;
    let start = history.len().saturating_sub(TREND_PERIODS);
    let points = history[start..].iter().filter_map(trend_point).collect();
    let change = match history.len().checked_sub(2).map(|index| &history[index]) {
        Some(Ok(previous)) => change(previous, current, unit, polarity),
        _ => None,
    };
    Some(Trend { points, change })
}

/// A reading's point, or `None` for an unavailable period, whose label the reason lacks.
fn trend_point(reading: &Result<Reading, Unavailable>) -> Option<TrendPoint> {
    match reading {
        Ok(reading) => Some(TrendPoint { period: reading.period.clone(), label: reading.period_label.clone(), value: reading.value() }),
        Err(_) => None,
    }
}

/// Compares two readings. A change is neutral when it rounds to nothing at the precision the
/// card shows (0.1 percentage point, 0.1 point or 0.1%), when either reading is a small
/// sample, or when the KPI has no good direction.
pub fn change(previous: &Reading, current: &Reading, unit: ChangeUnit, polarity: Polarity) -> Option<Change> {
    let (before, now) = (previous.value()?, current.value()?);
    let amount = match unit {
        ChangeUnit::PercentagePoints | ChangeUnit::Points => now - before,
        ChangeUnit::Relative if before == 0.0 => return None,
        ChangeUnit::Relative => (now - before) / before.abs(),
    };
    let shown = match unit {
        ChangeUnit::PercentagePoints | ChangeUnit::Relative => amount * 100.0,
        ChangeUnit::Points => amount,
    };
    let direction = if (shown * 10.0).round() == 0.0 {
        Direction::Flat
    } else if amount > 0.0 {
        Direction::Up
    } else {
        Direction::Down
    };
    let uncertain = previous.small_sample || current.small_sample;
    let verdict = match (direction, polarity) {
        (Direction::Flat, _) | (_, Polarity::Neutral) => Verdict::Neutral,
        _ if uncertain => Verdict::Neutral,
        (Direction::Up, Polarity::HigherIsBetter) | (Direction::Down, Polarity::LowerIsBetter) => Verdict::Good,
        _ => Verdict::Bad,
    };
    Some(Change {
        previous: before,
        previous_label: previous.period_label.clone(),
        amount,
        unit,
        direction,
        verdict,
        display: change_text(amount, unit),
    })
}

/// Formats a change with its sign: `+1.2 pts`, `−0.5 points`, `+4.0%`.
fn change_text(amount: f64, unit: ChangeUnit) -> String {
    match unit {
        ChangeUnit::PercentagePoints => format!("{} pts", signed_one_decimal(amount * 100.0)),
        ChangeUnit::Points => format!("{} points", signed_one_decimal(amount)),
        ChangeUnit::Relative => format::signed_percent(amount),
    }
}

/// Formats with one decimal and a true minus sign; a change that rounds to zero reads `±0.0`.
fn signed_one_decimal(value: f64) -> String {
    let text = format!("{:.1}", value.abs());
    match text.as_str() {
        "0.0" => "±0.0".to_string(),
        _ if value < 0.0 => format!("−{text}"),
        _ => format!("+{text}"),
    }
}

/// Returns the last [`TREND_PERIODS`] periods up to and including `period`, oldest first,
/// leaving out those that end before `first_date`, the data's first day.
pub fn recent_periods(period: Period, first_date: NaiveDate) -> Vec<Period> {
    (0..TREND_PERIODS as i64).rev().map(|back| period.plus(-back)).filter(|earlier| earlier.last_day() >= first_date).collect()
}

/// Builds the card `id` of the `headline` period, with the trend of its readings over the
/// recent periods from `reading`.
pub fn card_with_history(id: &'static str, headline: Result<Period, Unavailable>, first: NaiveDate, reading: impl Fn(Period) -> Result<Reading, Unavailable>) -> Card {
    let Ok(period) = headline else {
        return super::card(id, headline.map(super::readings::blank));
    };
    let history: Vec<Result<Reading, Unavailable>> = recent_periods(period, first).into_iter().map(&reading).collect();
    let own = history.last().cloned().unwrap_or_else(|| reading(period));
    let mut built = super::card(id, own);
    attach_trend(&mut built, &history);
    built
}

/// Attaches to each card of `cards` the trend of its readings in `earlier`, the card sets of
/// the periods before, oldest first, matched by card id.
pub fn attach_trends(cards: &mut [Card], earlier: &[Vec<Card>]) {
    for card in cards.iter_mut() {
        let mut history: Vec<Result<Reading, Unavailable>> = earlier
            .iter()
            .filter_map(|set| set.iter().find(|other| other.id == card.id))
            .map(|other| other.reading.clone())
            .collect();
        history.push(card.reading.clone());
        attach_trend(card, &history);
    }
}

/// Attaches the trend of `history`, the card's readings with its own last, using the change
/// unit and polarity of the card's KPI.
pub fn attach_trend(card: &mut Card, history: &[Result<Reading, Unavailable>]) {
    let (unit, polarity) = super::describe::change_rule(card.id);
    card.trend = trend(history, unit, polarity);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::period::Granularity;

    fn reading(month: u32, value: f64, small_sample: bool) -> Reading {
        let period = Period::of(Granularity::Month, NaiveDate::from_ymd_opt(2026, month, 1).unwrap());
        Reading { raw: value.to_string(), small_sample, ..super::super::readings::blank(period) }
    }

    #[test]
    fn retention_rise_is_good() {
        let change = change(&reading(8, 0.90, false), &reading(9, 0.95, false), ChangeUnit::PercentagePoints, Polarity::HigherIsBetter).unwrap();
        assert!((change.amount - 0.05).abs() < 1e-12);
        assert_eq!(change.display, "+5.0 pts");
        assert_eq!(change.direction, Direction::Up);
        assert_eq!(change.verdict, Verdict::Good);
        assert_eq!(change.previous_label, "Aug 2026");
    }

    #[test]
    fn churn_rise_is_bad() {
        let change = change(&reading(8, 0.05, false), &reading(9, 0.08, false), ChangeUnit::PercentagePoints, Polarity::LowerIsBetter).unwrap();
        assert_eq!(change.display, "+3.0 pts");
        assert_eq!(change.verdict, Verdict::Bad);
    }

    #[test]
    fn money_change_is_relative() {
        let change = change(&reading(8, 1000.0, false), &reading(9, 900.0, false), ChangeUnit::Relative, Polarity::HigherIsBetter).unwrap();
        assert!((change.amount + 0.1).abs() < 1e-12);
        assert_eq!(change.display, "−10.0%");
        assert_eq!(change.direction, Direction::Down);
        assert_eq!(change.verdict, Verdict::Bad);
    }

    #[test]
    fn nps_change_in_points() {
        let change = change(&reading(8, 20.0, false), &reading(9, 15.0, false), ChangeUnit::Points, Polarity::HigherIsBetter).unwrap();
        assert_eq!(change.display, "−5.0 points");
        assert_eq!(change.verdict, Verdict::Bad);
    }

    #[test]
    fn tiny_small_or_directionless_changes_are_neutral() {
        let tiny = change(&reading(8, 0.5000, false), &reading(9, 0.5004, false), ChangeUnit::PercentagePoints, Polarity::HigherIsBetter).unwrap();
        assert_eq!((tiny.direction, tiny.verdict, tiny.display.as_str()), (Direction::Flat, Verdict::Neutral, "±0.0 pts"));
        let small = change(&reading(8, 0.5, true), &reading(9, 0.7, false), ChangeUnit::PercentagePoints, Polarity::HigherIsBetter).unwrap();
        assert_eq!((small.direction, small.verdict), (Direction::Up, Verdict::Neutral));
        let spend = change(&reading(8, 10.0, false), &reading(9, 20.0, false), ChangeUnit::Relative, Polarity::Neutral).unwrap();
        assert_eq!(spend.verdict, Verdict::Neutral);
    }

    #[test]
    fn relative_change_of_zero_is_undefined() {
        assert_eq!(change(&reading(8, 0.0, false), &reading(9, 5.0, false), ChangeUnit::Relative, Polarity::HigherIsBetter), None);
    }

    #[test]
    fn trend_keeps_gaps_and_last_periods() {
        let mut history: Vec<Result<Reading, Unavailable>> = (1..=9).map(|month| Ok(reading(month, f64::from(month), false))).collect();
        history[7] = Err(Unavailable::ZeroDenominator { what: "test" });
        let trend = trend(&history, ChangeUnit::Relative, Polarity::HigherIsBetter).unwrap();
        assert_eq!(trend.points.len(), 8, "the unavailable month is left out");
        assert_eq!(trend.points.last().map(|point| point.value), Some(Some(9.0)));
        assert_eq!(trend.change, None, "the month before is unavailable");
    }

    #[test]
    fn recent_periods_start_at_the_data() {
        let september = Period::of(Granularity::Month, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
        let labels: Vec<String> = recent_periods(september, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()).iter().map(|period| period.label()).collect();
        assert_eq!(labels, ["2026-06", "2026-07", "2026-08", "2026-09"]);
        assert_eq!(recent_periods(september, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()).len(), TREND_PERIODS);
    }

    #[test]
    fn trend_is_capped_at_twelve_periods() {
        let history: Vec<Result<Reading, Unavailable>> = (0..20).map(|index| Ok(reading(1 + index % 12, f64::from(index), false))).collect();
        let trend = trend(&history, ChangeUnit::Relative, Polarity::HigherIsBetter).unwrap();
        assert_eq!(trend.points.len(), TREND_PERIODS);
        assert_eq!(trend.points[0].value, Some(8.0));
        let change = trend.change.unwrap();
        assert!((change.amount - (19.0 - 18.0) / 18.0).abs() < 1e-12);
    }
}
