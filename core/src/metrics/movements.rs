//! The five MRR movements and the customer sets S, E and N of each period.
//!
//! For each customer (subscriptions merged) the MRR just before the period's start is compared
//! with the MRR just before its end (ChartMogul's movement definitions):
//! - new: not paying → paying, and never paid before the period;
//! - reactivation: not paying → paying, having paid before;
//! - expansion: paying at both instants, MRR up;
//! - contraction: paying at both instants, MRR down (to zero only under
//!   [`FreePeriod::ContractionToZero`](super::mrr::FreePeriod));
//! - churn: paying → not paying, the MRR at the start.
//!
//! Changes inside a period net out, so `MRR_end = MRR_start + new + reactivation + expansion −
//! contraction − churn` holds exactly for every period ([`PeriodMovements::identity_holds`]).

use serde::{Deserialize, Serialize};
use super::mrr::CustomerMrr;
use super::period::Period;
use crate::ingest::kinds::Timestamp;
use crate::ingest::Money;

/// MRR movements and customer counts of one period, in one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodMovements {
    pub period: Period,
    /// MRR of the customers paying just before the period's start.
    pub mrr_start: Money,
    /// MRR of the customers paying just before the period's end.
    pub mrr_end: Money,
    pub new: Money,
    pub reactivation: Money,
    pub expansion: Money,
    /// Positive amount of MRR lost by customers who still pay.
    pub contraction: Money,
    /// Positive amount of MRR lost by customers who stopped paying.
    pub churn: Money,
    /// |S|: customers paying at the start.
    pub customers_start: u64,
    /// |E|: customers paying at the end.
    pub customers_end: u64,
    /// |S ∩ E|.
    pub retained: u64,
    /// |N|: customers whose first ever paid instant lies inside the period.
    pub first_paid: u64,
    /// |S ∪ N|.
    pub start_or_first_paid: u64,
    /// |(S ∪ N) \ E|: the numerator of the Stripe-style churn.
    pub lost_from_start_or_first_paid: u64,
    /// Customers counted as new (0 → paying, never paid before).
    pub new_customers: u64,
    pub reactivated_customers: u64,
    pub expanded_customers: u64,
    pub contracted_customers: u64,
    pub churned_customers: u64,
}

impl PeriodMovements {
    fn empty(period: Period) -> Self {
        PeriodMovements {
            period,
            mrr_start: Money::ZERO,
            mrr_end: Money::ZERO,
            new: Money::ZERO,
            reactivation: Money::ZERO,
            expansion: Money::ZERO,
            contraction: Money::ZERO,
            churn: Money::ZERO,
            customers_start: 0,
            customers_end: 0,
            retained: 0,
            first_paid: 0,
            start_or_first_paid: 0,
            lost_from_start_or_first_paid: 0,
            new_customers: 0,
            reactivated_customers: 0,
            expanded_customers: 0,
            contracted_customers: 0,
            churned_customers: 0,
        }
    }

    /// Returns true when `MRR_end = MRR_start + new + reactivation + expansion − contraction −
    /// churn`, exactly.
    pub fn identity_holds(&self) -> bool {
        self.mrr_end == self.mrr_start + self.new + self.reactivation + self.expansion - self.contraction - self.churn
    }

    /// Returns the net new MRR: `new + reactivation + expansion − contraction − churn`.
    pub fn net_new(&self) -> Money {
        self.new + self.reactivation + self.expansion - self.contraction - self.churn
    }

    /// Adds one customer's start and end state.
    fn add_customer(&mut self, start: (Money, bool), end: (Money, bool), first_paid_before_start: bool, first_paid_inside: bool) {
        let ((mrr_start, paying_start), (mrr_end, paying_end)) = (start, end);
        if paying_start {
            self.mrr_start += mrr_start;
            self.customers_start += 1;
        }
        if paying_end {
            self.mrr_end += mrr_end;
            self.customers_end += 1;
        }
        self.retained += u64::from(paying_start && paying_end);
        self.first_paid += u64::from(first_paid_inside);
        if paying_start || first_paid_inside {
            self.start_or_first_paid += 1;
            self.lost_from_start_or_first_paid += u64::from(!paying_end);
        }

        match (paying_start, paying_end) {
            (false, true) if first_paid_before_start => {
                self.reactivation += mrr_end;
                self.reactivated_customers += 1;
            }
            (false, true) => {
                self.new += mrr_end;
                self.new_customers += 1;
            }
            (true, false) => {
                self.churn += mrr_start;
                self.churned_customers += 1;
            }
            (true, true) if mrr_end > mrr_start => {
                self.expansion += mrr_end - mrr_start;
                self.expanded_customers += 1;
            }
            (true, true) if mrr_end < mrr_start => {
                self.contraction += mrr_start - mrr_end;
                self.contracted_customers += 1;
            }
            _ => {}
        }
    }
}

/// Computes the movements of each period, over the customers that `include` accepts. The
/// periods must be in time order and back to back, as [`periods_between`] returns them.
///
/// [`periods_between`]: super::period::periods_between
pub fn movements(timelines: &[CustomerMrr], periods: &[Period], include: &dyn Fn(u32) -> bool) -> Vec<PeriodMovements> {
    let mut result: Vec<PeriodMovements> = periods.iter().map(|period| PeriodMovements::empty(*period)).collect();
    let Some(last) = periods.last() else {
        return result;
    };
    let mut boundaries: Vec<Timestamp> = periods.iter().map(|period| period.start_instant()).collect();
    boundaries.push(last.end_instant());

    let mut states: Vec<(Money, bool)> = Vec::with_capacity(boundaries.len());
    for timeline in timelines.iter().filter(|timeline| include(timeline.customer)) {
        let Some(first_paid) = timeline.first_paid() else {
            continue;
        };
        states_just_before(timeline, &boundaries, &mut states);
        let first_period = boundaries.partition_point(|boundary| *boundary <= first_paid).saturating_sub(1);
        for (index, movement) in result.iter_mut().enumerate().skip(first_period) {
            let (start, end) = (boundaries[index], boundaries[index + 1]);
            let first_paid_inside = start <= first_paid && first_paid < end;
            movement.add_customer(states[index], states[index + 1], first_paid < start, first_paid_inside);
        }
    }
    result
}

/// Fills `states` with the customer's MRR and paying flag just before each boundary, in one
/// pass over the sorted boundaries and steps.
fn states_just_before(timeline: &CustomerMrr, boundaries: &[Timestamp], states: &mut Vec<(Money, bool)>) {
    states.clear();
    let mut next_step = 0;
    let mut current = (Money::ZERO, false);
    for boundary in boundaries {
        while let Some(step) = timeline.steps.get(next_step).filter(|step| step.from < *boundary) {
            current = (step.mrr, step.paying);
            next_step += 1;
        }
        states.push(current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::kinds::{Discount, DiscountAmount, DiscountDuration, IntervalUnit, Timestamp};
    use crate::metrics::mrr::{customer_timelines, FreePeriod, MrrSettings};
    use crate::metrics::period::{periods_between, Granularity};
    use crate::metrics::testing::{date, ended, subscription, subscriptions};

    fn monthly(rows: Vec<crate::ingest::kinds::Subscription>, first: &str, last: &str) -> Vec<PeriodMovements> {
        monthly_with(rows, first, last, FreePeriod::NotPaying)
    }

    fn monthly_with(rows: Vec<crate::ingest::kinds::Subscription>, first: &str, last: &str, free_period: FreePeriod) -> Vec<PeriodMovements> {
        let settings = MrrSettings { as_of: date("2024-12-31"), currency: 0, free_period };
        let timelines = customer_timelines(&subscriptions(rows), &settings);
        let periods = periods_between(Granularity::Month, date(first), date(last));
        movements(&timelines, &periods, &|_| true)
    }

    #[test]
    fn new_expansion_contraction_churn_by_hand() {
        let mut upgraded = subscription("b", "2024-01-10", 20_00);
        upgraded.ended_at = Some(Timestamp::start_of(date("2024-02-15")));
        let result = monthly(
            vec![
                subscription("a", "2024-01-05", 10_00),
                upgraded,
                subscription("b", "2024-02-15", 50_00),
                ended(subscription("c", "2024-01-20", 30_00), "2024-02-03"),
                ended(subscription("d", "2024-01-02", 40_00), "2024-02-10"),
                subscription("d", "2024-02-10", 15_00),
            ],
            "2024-01-01",
            "2024-02-29",
        );
        let january = result[0];
        assert_eq!(january.new, Money::from_cents(100_00));
        assert_eq!(january.new_customers, 4);
        assert_eq!(january.mrr_end, Money::from_cents(100_00));

        let february = result[1];
        assert_eq!(february.mrr_start, Money::from_cents(100_00));
        assert_eq!(february.expansion, Money::from_cents(30_00));
        assert_eq!(february.contraction, Money::from_cents(25_00));
        assert_eq!(february.churn, Money::from_cents(30_00));
        assert_eq!(february.mrr_end, Money::from_cents(75_00));
        assert_eq!((february.customers_start, february.customers_end, february.retained), (4, 3, 3));
        assert!(result.iter().all(PeriodMovements::identity_holds));
    }

    #[test]
    fn join_and_leave_in_one_month_shows_nothing_monthly_but_daily() {
        let rows = vec![ended(subscription("a", "2024-03-05", 10_00), "2024-03-20")];
        let month = monthly(rows.clone(), "2024-03-01", "2024-03-31")[0];
        assert_eq!(month.new, Money::ZERO);
        assert_eq!(month.churn, Money::ZERO);
        assert_eq!((month.customers_start, month.first_paid, month.lost_from_start_or_first_paid), (0, 1, 1));

        let settings = MrrSettings { as_of: date("2024-12-31"), currency: 0, free_period: FreePeriod::NotPaying };
        let timelines = customer_timelines(&subscriptions(rows), &settings);
        let days = periods_between(Granularity::Day, date("2024-03-01"), date("2024-03-31"));
        let daily = movements(&timelines, &days, &|_| true);
        assert_eq!(daily[4].new, Money::from_cents(10_00));
        assert_eq!(daily[19].churn, Money::from_cents(10_00));
    }

    #[test]
    fn return_after_a_gap_is_reactivation() {
        let rows = vec![
            ended(subscription("a", "2024-01-01", 10_00), "2024-02-01"),
            subscription("a", "2024-04-01", 12_00),
        ];
        let result = monthly(rows, "2024-01-01", "2024-04-30");
        assert_eq!(result[1].churn, Money::from_cents(10_00));
        assert_eq!(result[3].reactivation, Money::from_cents(12_00));
        assert_eq!(result[3].new, Money::ZERO);
        assert_eq!(result[3].first_paid, 0);
    }

    #[test]
    fn end_exactly_at_period_end_churns_next_period() {
        let result = monthly(vec![ended(subscription("a", "2024-01-01", 10_00), "2024-02-01")], "2024-01-01", "2024-02-29");
        assert_eq!(result[0].churn, Money::ZERO);
        assert_eq!(result[0].mrr_end, Money::from_cents(10_00));
        assert_eq!(result[1].churn, Money::from_cents(10_00));
    }

    #[test]
    fn annual_plan_counts_a_twelfth_each_month() {
        let mut annual = subscription("a", "2023-12-15", 1_200_00);
        annual.interval = IntervalUnit::Year;
        let result = monthly(vec![annual], "2023-12-01", "2024-01-31");
        assert_eq!(result[0].new, Money::from_cents(100_00));
        assert_eq!(result[1].mrr_start, Money::from_cents(100_00));
        assert_eq!(result[1].period.label(), "2024-01");
    }

    #[test]
    fn free_month_churns_and_reactivates_by_default() {
        let mut row = subscription("a", "2024-01-01", 10_00);
        row.discount = Some(Discount {
            amount: DiscountAmount::PercentOff { basis_points: 10_000 },
            duration: DiscountDuration::Forever,
            start: Some(Timestamp::start_of(date("2024-02-01"))),
            end: Some(Timestamp::start_of(date("2024-03-01"))),
        });
        let result = monthly(vec![row.clone()], "2024-01-01", "2024-03-31");
        assert_eq!(result[1].churn, Money::from_cents(10_00));
        assert_eq!(result[2].reactivation, Money::from_cents(10_00));

        let kept = monthly_with(vec![row], "2024-01-01", "2024-03-31", FreePeriod::ContractionToZero);
        assert_eq!(kept[1].contraction, Money::from_cents(10_00));
        assert_eq!(kept[1].churn, Money::ZERO);
        assert_eq!(kept[1].customers_end, 1);
        assert_eq!(kept[2].expansion, Money::from_cents(10_00));
    }

    #[test]
    fn trial_converting_is_new_when_it_pays() {
        let mut row = subscription("a", "2024-01-20", 10_00);
        row.trial_end = Some(Timestamp::start_of(date("2024-02-03")));
        let result = monthly(vec![row], "2024-01-01", "2024-02-29");
        assert_eq!(result[0].new_customers, 0);
        assert_eq!(result[1].new, Money::from_cents(10_00));
        assert_eq!(result[1].first_paid, 1);
    }
}
