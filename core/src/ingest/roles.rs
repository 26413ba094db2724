//! Column roles: which column holds the customer id, the date, the amount, the churn flag…
//!
//! A role is chosen from the header name first and the column's value type second, never from
//! the file name. Header-less files are mapped by value types alone.

use super::profile::{ColumnProfile, ValueType};

/// What a column means to the metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    CustomerId,
    Date,
    Amount,
    ChurnFlag,
    MonthlyCharge,
    Segment,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::CustomerId => "customer id",
            Role::Date => "date",
            Role::Amount => "amount",
            Role::ChurnFlag => "churn flag",
            Role::MonthlyCharge => "monthly charge",
            Role::Segment => "segment",
        }
    }
}

/// One column of a file, its detected type and the role it was given, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMapping {
    pub header: String,
    pub value_type: ValueType,
    pub role: Option<Role>,
}

/// Header words for each role, matched against the normalised header (see [`normalise_header`]).
/// Earlier entries win.
const CUSTOMER_ID_NAMES: [&str; 10] = [
    "customer id", "customer", "account id", "account", "client id", "cust id", "user id",
    "member id", "subscriber id", "id",
];
const DATE_WORDS: [&str; 6] = ["date", "created", "time", "timestamp", "day", "paid at"];
const AMOUNT_WORDS: [&str; 9] =
    ["amount", "dollar value", "value", "revenue", "total", "price", "sales", "paid", "net"];
const CHURN_WORDS: [&str; 6] = ["churn", "churned", "cancelled", "canceled", "exited", "attrition"];
const MONTHLY_WORDS: [&str; 3] = ["monthly", "mrr", "per month"];

/// Lower-cases a header and splits it into words at separators and camelCase boundaries:
/// `customerID` and `Customer_ID` both become `customer id`.
pub fn normalise_header(header: &str) -> String {
    let mut words = String::with_capacity(header.len() + 4);
    let mut previous_lower = false;
    for character in header.chars() {
        if character.is_alphanumeric() {
            if character.is_uppercase() && previous_lower {
                words.push(' ');
            }
            words.extend(character.to_lowercase());
            previous_lower = character.is_lowercase() || character.is_ascii_digit();
        } else {
            words.push(' ');
            previous_lower = false;
        }
    }
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has_word(normalised: &str, word: &str) -> bool {
    format!(" {normalised} ").contains(&format!(" {word} "))
}

/// A column's header and profile, as the role finder sees it.
pub struct Candidate<'a> {
    pub index: usize,
    pub normalised: String,
    pub profile: &'a ColumnProfile,
}

/// Finds the customer id column: an exact header name first, then the first column whose
/// values look like identifiers.
pub fn find_customer_id(candidates: &[Candidate]) -> Option<usize> {
    for name in CUSTOMER_ID_NAMES {
        let by_name = candidates.iter().find(|column| column.normalised == name);
        if let Some(column) = by_name {
            return Some(column.index);
        }
    }
    let by_word = candidates.iter().find(|column| {
        ["customer", "account", "client"].iter().any(|word| has_word(&column.normalised, word))
            && column.profile.value_type() != ValueType::Date
    });
    by_word
        .or_else(|| candidates.iter().find(|column| column.profile.looks_like_identifier()))
        .map(|column| column.index)
}

/// Finds the date column: a date-typed column, preferring one whose header names a date.
pub fn find_date(candidates: &[Candidate], taken: &[usize]) -> Option<usize> {
    let dates: Vec<&Candidate> = free(candidates, taken)
        .filter(|column| column.profile.value_type() == ValueType::Date)
        .collect();
    let named = dates.iter().find(|column| DATE_WORDS.iter().any(|word| has_word(&column.normalised, word)));
    named.or(dates.first()).map(|column| column.index)
}

/// Finds the transaction amount: a numeric column named like an amount, else the numeric
/// column with the most values written with decimals.
pub fn find_amount(candidates: &[Candidate], taken: &[usize]) -> Option<usize> {
    let numbers: Vec<&Candidate> = free(candidates, taken)
        .filter(|column| column.profile.value_type() == ValueType::Number)
        .filter(|column| !column.profile.looks_like_identifier() || column.profile.fractional_numbers > 0)
        .collect();
    for word in AMOUNT_WORDS {
        if let Some(column) = numbers.iter().find(|column| has_word(&column.normalised, word)) {
            return Some(column.index);
        }
    }
    numbers
        .iter()
        .filter(|column| column.profile.fractional_numbers > 0)
        .max_by_key(|column| column.profile.fractional_numbers)
        .map(|column| column.index)
}

/// Finds a yes/no column whose header says churn.
pub fn find_churn_flag(candidates: &[Candidate], taken: &[usize]) -> Option<usize> {
    free(candidates, taken)
        .filter(|column| column.profile.value_type() == ValueType::Bool)
        .find(|column| CHURN_WORDS.iter().any(|word| has_word(&column.normalised, word)))
        .map(|column| column.index)
}

/// Finds a numeric column whose header says it is a monthly charge or MRR.
pub fn find_monthly_charge(candidates: &[Candidate], taken: &[usize]) -> Option<usize> {
    free(candidates, taken)
        .filter(|column| column.profile.value_type() == ValueType::Number)
        .find(|column| MONTHLY_WORDS.iter().any(|word| has_word(&column.normalised, word)))
        .map(|column| column.index)
}

/// Lists the categorical columns not already given a role.
pub fn find_segments(candidates: &[Candidate], taken: &[usize]) -> Vec<usize> {
    free(candidates, taken)
        .filter(|column| column.profile.looks_like_segment())
        .map(|column| column.index)
        .collect()
}

fn free<'c, 'a>(candidates: &'c [Candidate<'a>], taken: &'c [usize]) -> impl Iterator<Item = &'c Candidate<'a>> {
    candidates.iter().filter(move |column| !taken.contains(&column.index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalise_across_styles() {
        assert_eq!(normalise_header("customerID"), "customer id");
        assert_eq!(normalise_header(" Customer_ID "), "customer id");
        assert_eq!(normalise_header("MonthlyCharges"), "monthly charges");
        assert_eq!(normalise_header("Created date (UTC)"), "created date utc");
    }

    #[test]
    fn words_match_inside_compound_headers() {
        assert!(has_word("dollar value", "value"));
        assert!(has_word("monthly charges", "monthly"));
        assert!(!has_word("internet service", "net"));
    }
}
