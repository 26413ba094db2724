//! Retention-bucket KPIs of one period, from its [`PeriodMovements`].
//!
//! Customer rates are shares of a count ([`Share`], with n and a 95% Wilson interval); money
//! rates are [`MoneyRatio`]s that carry their numerator and denominator. Each returns
//! [`Unavailable::ZeroDenominator`] when nobody paid at the period's start.

use serde::{Deserialize, Serialize};
use super::movements::PeriodMovements;
use super::mrr::divide_half_even;
use super::share::Share;
use super::unavailable::Unavailable;
use crate::ingest::Money;

/// Which customers the logo churn rate counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChurnConvention {
    /// `|S \ E| / |S|`: customers who join and leave within the period are in neither part
    /// (ChartMogul's B2B convention), so retention + churn = 1.
    #[default]
    StartCustomers,
    /// `|(S ∪ N) \ E| / |S ∪ N|`: customers who first paid in the period count too (Stripe's
    /// Billing analytics convention).
    StartAndNewCustomers,
}

/// A ratio of two money amounts in one currency, with its inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MoneyRatio {
    pub numerator: Money,
    pub denominator: Money,
}

impl MoneyRatio {
    fn new(numerator: Money, denominator: Money, what: &'static str) -> Result<Self, Unavailable> {
        if denominator.micros == 0 {
            return Err(Unavailable::ZeroDenominator { what });
        }
        Ok(MoneyRatio { numerator, denominator })
    }

    /// Returns the ratio as a fraction (1.0 is 100%).
    pub fn fraction(self) -> f64 {
        self.numerator.micros as f64 / self.denominator.micros as f64
    }
}

const NO_START_CUSTOMERS: &str = "the number of customers paying at the period's start";
const NO_START_MRR: &str = "the MRR at the period's start";

/// Customer retention rate `|S ∩ E| / |S|`, a fraction of the customers paying at the start.
pub fn customer_retention(movements: &PeriodMovements) -> Result<Share, Unavailable> {
    Share::new(movements.retained, movements.customers_start).ok_or(Unavailable::ZeroDenominator { what: NO_START_CUSTOMERS })
}

/// Logo churn rate under `convention`, a fraction of customers.
pub fn logo_churn(movements: &PeriodMovements, convention: ChurnConvention) -> Result<Share, Unavailable> {
    let share = match convention {
        ChurnConvention::StartCustomers => {
            Share::new(movements.customers_start - movements.retained, movements.customers_start)
        }
        ChurnConvention::StartAndNewCustomers => {
            Share::new(movements.lost_from_start_or_first_paid, movements.start_or_first_paid)
        }
    };
    share.ok_or(Unavailable::ZeroDenominator { what: NO_START_CUSTOMERS })
}

/// The classic `(E − N) / S` retention, shown beside [`customer_retention`]: it differs when a
/// customer outside S reactivates or a new customer leaves within the period, and can then fall
/// outside [0, 1].
pub fn classic_retention(movements: &PeriodMovements) -> Result<f64, Unavailable> {
    if movements.customers_start == 0 {
        return Err(Unavailable::ZeroDenominator { what: NO_START_CUSTOMERS });
    }
    let kept = movements.customers_end as f64 - movements.first_paid as f64;
    Ok(kept / movements.customers_start as f64)
}

/// Gross MRR churn `(churn + contraction) / MRR_start` (ChartMogul).
pub fn gross_mrr_churn(movements: &PeriodMovements) -> Result<MoneyRatio, Unavailable> {
    MoneyRatio::new(movements.churn + movements.contraction, movements.mrr_start, NO_START_MRR)
}

/// Net MRR churn `(churn + contraction − expansion − reactivation) / MRR_start` (ChartMogul);
/// negative when expansion and reactivation outweigh the losses.
pub fn net_mrr_churn(movements: &PeriodMovements) -> Result<MoneyRatio, Unavailable> {
    let net_loss = movements.churn + movements.contraction - movements.expansion - movements.reactivation;
    MoneyRatio::new(net_loss, movements.mrr_start, NO_START_MRR)
}

/// Gross revenue retention `(MRR_start − churn − contraction) / MRR_start`, at most 1.
pub fn gross_revenue_retention(movements: &PeriodMovements) -> Result<MoneyRatio, Unavailable> {
    let kept = movements.mrr_start - movements.churn - movements.contraction;
    MoneyRatio::new(kept, movements.mrr_start, NO_START_MRR)
}

/// Net revenue retention `(MRR_start + expansion − contraction − churn) / MRR_start`. It leaves
/// reactivation out because nobody in S reactivates.
pub fn net_revenue_retention(movements: &PeriodMovements) -> Result<MoneyRatio, Unavailable> {
    let kept = movements.mrr_start + movements.expansion - movements.contraction - movements.churn;
    MoneyRatio::new(kept, movements.mrr_start, NO_START_MRR)
}

/// Spend per retained customer, with its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetentionCost {
    /// Spend / retained customers, rounded half to even at the micro-unit.
    pub per_customer: Money,
    pub spend: Money,
    pub retained_customers: u64,
}

/// Customer retention cost: retention spend in the period / `|S ∩ E|`. No vendor standard
/// exists; this is the definition the dashboard states.
pub fn retention_cost(spend: Money, movements: &PeriodMovements) -> Result<RetentionCost, Unavailable> {
    if movements.retained == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the number of retained customers" });
    }
    let per_customer = divide_half_even(i128::from(spend.micros), i128::from(movements.retained));
    Ok(RetentionCost { per_customer, spend, retained_customers: movements.retained })
}

/// SaaS quick ratio `(new + expansion + reactivation) / (contraction + churn)`, MRR gained per
/// unit of MRR lost; not computable when nothing was lost.
pub fn quick_ratio(movements: &PeriodMovements) -> Result<MoneyRatio, Unavailable> {
    let gained = movements.new + movements.expansion + movements.reactivation;
    let lost = movements.contraction + movements.churn;
    if lost.micros == 0 {
        return Err(Unavailable::NotComputableYet { what: "contraction plus churn in the period" });
    }
    MoneyRatio::new(gained, lost, "contraction plus churn")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::period::{Granularity, Period};
    use crate::metrics::testing::date;

    fn period_with(customers_start: u64, retained: u64, money: [i64; 6]) -> PeriodMovements {
        let [mrr_start, new, reactivation, expansion, contraction, churn] = money.map(Money::from_cents);
        PeriodMovements {
            period: Period::of(Granularity::Month, date("2024-02-01")),
            mrr_start,
            mrr_end: mrr_start + new + reactivation + expansion - contraction - churn,
            new,
            reactivation,
            expansion,
            contraction,
            churn,
            customers_start,
            customers_end: retained + 1,
            retained,
            first_paid: 2,
            start_or_first_paid: customers_start + 2,
            lost_from_start_or_first_paid: customers_start - retained + 1,
            new_customers: 1,
            reactivated_customers: 0,
            expanded_customers: 1,
            contracted_customers: 1,
            churned_customers: customers_start - retained,
        }
    }

    #[test]
    fn retention_and_churn_add_to_one() {
        let movements = period_with(40, 30, [1000_00, 100_00, 0, 50_00, 20_00, 80_00]);
        let retention = customer_retention(&movements).unwrap();
        let churn = logo_churn(&movements, ChurnConvention::StartCustomers).unwrap();
        assert_eq!(retention.fraction(), 0.75);
        assert_eq!(churn.fraction() + retention.fraction(), 1.0);
        assert_eq!(churn.denominator, 40);
    }

    #[test]
    fn stripe_convention_counts_new_customers_who_left() {
        let movements = period_with(40, 30, [1000_00, 0, 0, 0, 0, 0]);
        let churn = logo_churn(&movements, ChurnConvention::StartAndNewCustomers).unwrap();
        assert_eq!((churn.numerator, churn.denominator), (11, 42));
        assert_eq!(classic_retention(&movements), Ok((31.0 - 2.0) / 40.0));
    }

    #[test]
    fn mrr_churn_grr_and_nrr_by_hand() {
        let movements = period_with(40, 30, [1000_00, 100_00, 30_00, 50_00, 20_00, 80_00]);
        assert_eq!(gross_mrr_churn(&movements).unwrap().fraction(), 0.1);
        assert_eq!(net_mrr_churn(&movements).unwrap().fraction(), 0.02);
        assert_eq!(gross_revenue_retention(&movements).unwrap().fraction(), 0.9);
        assert_eq!(net_revenue_retention(&movements).unwrap().fraction(), 0.95);
        assert_eq!(quick_ratio(&movements).unwrap().fraction(), 1.8);
    }

    #[test]
    fn net_mrr_churn_goes_negative_with_expansion() {
        let movements = period_with(10, 10, [100_00, 0, 0, 30_00, 10_00, 0]);
        assert!(net_mrr_churn(&movements).unwrap().fraction() < 0.0);
    }

    #[test]
    fn no_start_customers_leaves_rates_undefined() {
        let movements = period_with(0, 0, [0, 100_00, 0, 0, 0, 0]);
        assert!(matches!(customer_retention(&movements), Err(Unavailable::ZeroDenominator { .. })));
        assert!(matches!(gross_mrr_churn(&movements), Err(Unavailable::ZeroDenominator { .. })));
        assert!(matches!(quick_ratio(&movements), Err(Unavailable::NotComputableYet { .. })));
    }

    #[test]
    fn retention_cost_divides_spend_by_retained() {
        let movements = period_with(4, 3, [0; 6]);
        let cost = retention_cost(Money::from_cents(100_00), &movements).unwrap();
        assert_eq!(cost.per_customer, Money::from_micros(33_333_333));
        assert_eq!(cost.retained_customers, 3);
        assert!(retention_cost(Money::from_cents(1), &period_with(4, 0, [0; 6])).is_err());
    }
}
