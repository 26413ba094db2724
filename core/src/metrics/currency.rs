//! Choosing the one currency a KPI reports in. Amounts in different currencies are never added
//! together: each KPI is computed for one currency index at a time.

use crate::ingest::kinds::CurrencyCodes;
use crate::ingest::Transactions;
use crate::metrics::unavailable::Unavailable;

/// Returns the index of the currency to report: `requested` (a code, any case) when given,
/// else the currency used by the most rows (ties go to the lower index). A table that names no
/// currency has the single index 0.
pub fn choose_currency(codes: &CurrencyCodes, requested: Option<&str>, row_currencies: impl Iterator<Item = u16>) -> Result<u16, Unavailable> {
    if codes.is_empty() {
        return Ok(0);
    }
    if let Some(requested) = requested {
        return codes
            .iter()
            .position(|code| code.eq_ignore_ascii_case(requested))
            .map(|index| index as u16)
            .ok_or_else(|| Unavailable::CurrencyNotFound { currency: requested.to_string(), found: codes.join(", ") });
    }

    let mut counts = vec![0u64; codes.len()];
    for currency in row_currencies {
        if let Some(count) = counts.get_mut(currency as usize) {
            *count += 1;
        }
    }
    let most_used = counts.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).map_or(0, |(index, _)| index);
    Ok(most_used as u16)
}

/// Returns the code of a currency index, or an empty string for the unnamed currency.
pub fn currency_code(codes: &CurrencyCodes, index: u16) -> String {
    codes.get(index as usize).cloned().unwrap_or_default()
}

/// Returns the reporting currency of a log: the requested one, else the one of the most rows,
/// as an index into the log's currencies, with its code. The index is `None` when the log names
/// at most one currency, because then every row is in it. The code is empty for a log that
/// names no currency.
pub fn reporting_currency(log: &Transactions, requested: Option<&str>) -> (Option<u16>, String) {
    if log.currencies.len() <= 1 {
        return (None, log.currencies.first().cloned().unwrap_or_default());
    }
    let rows = || log.currency.iter().copied();
    let chosen = choose_currency(&log.currencies, requested, rows()).or_else(|_| choose_currency(&log.currencies, None, rows())).unwrap_or(0);
    (Some(chosen), currency_code(&log.currencies, chosen))
}

/// Keeps the transactions in the reporting currency ([`reporting_currency`]), so that revenue
/// and ARPU never add amounts in different currencies. Returns the kept log and the currency
/// code, empty for a log that names no currency.
pub fn in_reporting_currency(log: &Transactions, requested: Option<&str>) -> (Transactions, String) {
    match reporting_currency(log, requested) {
        (Some(chosen), code) => (only_currency(log, chosen), code),
        (None, code) => (log.clone(), code),
    }
}

/// Copies the transactions in currency `chosen`, in one pass over the log.
fn only_currency(log: &Transactions, chosen: u16) -> Transactions {
    let count = log.currency.iter().filter(|currency| **currency == chosen).count();
    let mut filtered = Transactions {
        customer: Vec::with_capacity(count),
        date: Vec::with_capacity(count),
        amount: Vec::with_capacity(count),
        currency: vec![chosen; count],
        customer_ids: log.customer_ids.clone(),
        currencies: log.currencies.clone(),
    };

    for (row, currency) in log.currency.iter().enumerate() {
        if *currency == chosen {
            filtered.customer.push(log.customer[row]);
            filtered.date.push(log.date[row]);
            filtered.amount.push(log.amount[row]);
        }
    }
    filtered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requested_code_or_most_used() {
        let codes: CurrencyCodes = vec!["USD".into(), "EUR".into()];
        assert_eq!(choose_currency(&codes, Some("eur"), [0].into_iter()), Ok(1));
        assert_eq!(choose_currency(&codes, None, [0, 1, 1].into_iter()), Ok(1));
        assert_eq!(choose_currency(&codes, None, [0, 1].into_iter()), Ok(0));
        assert!(matches!(choose_currency(&codes, Some("GBP"), [0].into_iter()), Err(Unavailable::CurrencyNotFound { .. })));
        assert_eq!(choose_currency(&Vec::new(), Some("GBP"), [].into_iter()), Ok(0));
    }
}
