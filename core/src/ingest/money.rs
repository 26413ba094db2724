//! Exact money amounts.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

/// Number of micro-units in one major unit (one dollar, one euro).
pub const MICROS_PER_UNIT: i64 = 1_000_000;

/// A money amount in millionths of the currency's major unit.
///
/// Sums and differences are exact integers, so a total is right to the cent whatever the number
/// of rows. Six decimals hold every currency's minor unit and sub-cent usage prices; values with
/// more decimals are rejected by the parser rather than rounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Money {
    pub micros: i64,
}

impl Money {
    pub const ZERO: Money = Money { micros: 0 };

    pub fn from_micros(micros: i64) -> Self {
        Money { micros }
    }

    /// Builds an amount from whole cents, for tests and literals.
    pub fn from_cents(cents: i64) -> Self {
        Money { micros: cents * 10_000 }
    }

    /// Returns the amount in major units as a float, for ratios and chart coordinates only.
    pub fn to_major_f64(self) -> f64 {
        self.micros as f64 / MICROS_PER_UNIT as f64
    }

    pub fn is_positive(self) -> bool {
        self.micros > 0
    }

    /// Formats the exact amount in major units with no trailing zeros beyond the cents
    /// (`2500315.63`, `-0.5` prints as `-0.50`).
    pub fn to_major_string(self) -> String {
        let sign = if self.micros < 0 { "-" } else { "" };
        let abs = self.micros.unsigned_abs();
        let units = abs / MICROS_PER_UNIT as u64;
        let fraction = abs % MICROS_PER_UNIT as u64;
        let mut digits = format!("{fraction:06}");
        while digits.len() > 2 && digits.ends_with('0') {
            digits.pop();
        }
        format!("{sign}{units}.{digits}")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_major_string())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money { micros: self.micros + other.micros }
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        self.micros += other.micros;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money { micros: self.micros - other.micros }
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money { micros: -self.micros }
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_string_keeps_cents_and_drops_extra_zeros() {
        assert_eq!(Money::from_cents(250031563).to_major_string(), "2500315.63");
        assert_eq!(Money::from_cents(-50).to_major_string(), "-0.50");
        assert_eq!(Money::from_micros(1_234_500).to_major_string(), "1.2345");
        assert_eq!(Money::ZERO.to_major_string(), "0.00");
    }
}
