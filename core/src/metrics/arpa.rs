//! ARPA (average revenue per account) from subscriptions: MRR / paying customers at the same
//! instant, with each customer's subscriptions merged first.

use super::mrr::{divide_half_even, total_just_before, CustomerMrr, MrrTotal};
use super::unavailable::Unavailable;
use crate::ingest::kinds::Timestamp;
use crate::ingest::Money;

/// ARPA with its inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arpa {
    /// MRR / paying customers, rounded half to even at the micro-unit.
    pub per_customer: Money,
    pub mrr: Money,
    pub paying_customers: u64,
}

/// Computes ARPA just before `boundary` (the end of the period that ends there), over the
/// customers that `include` accepts.
pub fn arpa(timelines: &[CustomerMrr], boundary: Timestamp, include: &dyn Fn(u32) -> bool) -> Result<Arpa, Unavailable> {
    let MrrTotal { mrr, paying_customers } = total_just_before(timelines, boundary, include);
    if paying_customers == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the number of paying customers" });
    }
    let per_customer = divide_half_even(i128::from(mrr.micros), i128::from(paying_customers));
    Ok(Arpa { per_customer, mrr, paying_customers })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::mrr::{customer_timelines, FreePeriod, MrrSettings};
    use crate::metrics::testing::{date, subscription, subscriptions};

    #[test]
    fn customers_paying_1_1_3_5_5_give_3() {
        let rows = vec![
            subscription("a", "2024-01-01", 1_00),
            subscription("b", "2024-01-01", 1_00),
            subscription("c", "2024-01-01", 1_00),
            subscription("c", "2024-01-01", 2_00),
            subscription("d", "2024-01-01", 5_00),
            subscription("e", "2024-01-01", 5_00),
        ];
        let settings = MrrSettings { as_of: date("2024-01-31"), currency: 0, free_period: FreePeriod::NotPaying };
        let timelines = customer_timelines(&subscriptions(rows), &settings);
        let result = arpa(&timelines, Timestamp::start_of(date("2024-02-01")), &|_| true).unwrap();
        assert_eq!(result.per_customer, Money::from_cents(3_00));
        assert_eq!(result.paying_customers, 5);
        assert!(arpa(&timelines, Timestamp::start_of(date("2024-01-01")), &|_| true).is_err());
    }
}
