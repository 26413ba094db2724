//! Column roles: which column contains the customer id, the date, the amount, the status…
//!
//! A role is chosen from the header name first and the column's value type second, never from
//! the file name. Header-less files are mapped by value types alone.

use serde::{Deserialize, Serialize};
use super::profile::{ColumnFormat, ColumnProfile, ValueType};

/// The meaning of a column to the metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    CustomerId,
    Date,
    Amount,
    ChurnFlag,
    MonthlyCharge,
    Segment,
    Currency,
    /// A payment's or subscription's or ticket's status.
    Status,
    /// A yes/no "captured" flag of a card payment.
    Captured,
    AmountRefunded,
    RefundedDate,
    /// The amount in the account's settlement currency (Stripe "Converted Amount").
    ConvertedAmount,
    ConvertedAmountRefunded,
    ConvertedCurrency,
    Fee,
    Tax,
    SubscriptionId,
    Plan,
    Quantity,
    Interval,
    IntervalCount,
    StartDate,
    TrialStart,
    TrialEnd,
    CanceledAt,
    EndedAt,
    CurrentPeriodEnd,
    CancelAtPeriodEnd,
    PausedAt,
    UserId,
    AccountId,
    EventName,
    SignupDate,
    RespondentId,
    Score,
    /// The kind of survey per response (Delighted's `nps`, `csat`, `ces`).
    SurveyType,
    TicketId,
    SolvedDate,
    Replies,
    Reopens,
    Rating,
    FirstContactResolution,
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
            Role::Currency => "currency",
            Role::Status => "status",
            Role::Captured => "captured",
            Role::AmountRefunded => "amount refunded",
            Role::RefundedDate => "refund date",
            Role::ConvertedAmount => "converted amount",
            Role::ConvertedAmountRefunded => "converted amount refunded",
            Role::ConvertedCurrency => "converted currency",
            Role::Fee => "fee",
            Role::Tax => "tax",
            Role::SubscriptionId => "subscription id",
            Role::Plan => "plan",
            Role::Quantity => "quantity",
            Role::Interval => "billing interval",
            Role::IntervalCount => "interval count",
            Role::StartDate => "start date",
            Role::TrialStart => "trial start",
            Role::TrialEnd => "trial end",
            Role::CanceledAt => "canceled at",
            Role::EndedAt => "ended at",
            Role::CurrentPeriodEnd => "current period end",
            Role::CancelAtPeriodEnd => "cancel at period end",
            Role::PausedAt => "paused at",
            Role::UserId => "user id",
            Role::AccountId => "account id",
            Role::EventName => "event name",
            Role::SignupDate => "signup date",
            Role::RespondentId => "respondent id",
            Role::Score => "score",
            Role::SurveyType => "survey type",
            Role::TicketId => "ticket id",
            Role::SolvedDate => "solved date",
            Role::Replies => "agent replies",
            Role::Reopens => "reopens",
            Role::Rating => "satisfaction rating",
            Role::FirstContactResolution => "first contact resolution",
        }
    }
}

/// One column of a file: its detected type, the role it was given, if any, and a few of its
/// values for the mapping panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub header: String,
    pub value_type: ValueType,
    pub role: Option<Role>,
    /// Up to [`SAMPLE_VALUES`] distinct non-empty values, in file order.
    pub samples: Vec<String>,
}

/// Sample values shown per column.
pub const SAMPLE_VALUES: usize = 5;

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

pub fn has_word(normalised: &str, word: &str) -> bool {
    let padded = format!(" {normalised} ");
    padded.contains(&format!(" {word} "))
}

/// A column as the role finders see it.
pub struct Candidate<'a> {
    pub index: usize,
    pub header: &'a str,
    /// The normalised header without a trailing `utc` (`Created date (UTC)` is `created date`).
    pub normalised: String,
    /// The normalised text of the second header row (a survey's question text).
    pub detail: String,
    pub profile: &'a ColumnProfile,
    pub format: ColumnFormat,
}

impl Candidate<'_> {
    pub fn value_type(&self) -> ValueType {
        self.format.value_type
    }

    pub fn is_date(&self) -> bool {
        self.format.value_type == ValueType::Date
    }

    pub fn is_number(&self) -> bool {
        self.format.value_type == ValueType::Number
    }

    /// Numbers, or flags written 0/1, which counts such as reopens also are.
    pub fn is_count(&self) -> bool {
        self.is_number() || (self.format.value_type == ValueType::Bool && self.profile.zero_ones > 0)
    }

    pub fn is_text(&self) -> bool {
        self.format.value_type == ValueType::Text
    }

    pub fn has_any_word(&self, words: &[&str]) -> bool {
        words.iter().any(|word| has_word(&self.normalised, word))
    }
}

/// Strips the words that exports add to a header without changing its meaning.
pub fn matching_form(header: &str) -> String {
    let normalised = normalise_header(header);
    normalised.strip_suffix(" utc").unwrap_or(&normalised).to_string()
}

/// Returns true when the header names a date or time, which lets numeric columns be read as
/// Unix times or Excel serials.
pub fn names_a_time(normalised: &str) -> bool {
    const TIME_WORDS: [&str; 14] = [
        "date", "time", "timestamp", "created", "updated", "at", "day", "ts", "start", "end", "since", "on", "when",
        "datetime",
    ];
    TIME_WORDS.iter().any(|word| has_word(normalised, word)) || normalised.ends_with(" at") || normalised.ends_with("date")
}

/// Column finders over the candidates that no role has taken yet.
pub struct Finder<'c, 'a> {
    pub candidates: &'c [Candidate<'a>],
    pub taken: Vec<usize>,
}

impl<'c, 'a> Finder<'c, 'a> {
    pub fn new(candidates: &'c [Candidate<'a>]) -> Self {
        Finder { candidates, taken: Vec::new() }
    }

    fn free(&self) -> impl Iterator<Item = &'c Candidate<'a>> + '_ {
        self.candidates.iter().filter(|column| !self.taken.contains(&column.index))
    }

    /// Takes the first free column whose header is one of `names` (earlier names win) and that
    /// passes `accept`.
    pub fn exact(&mut self, names: &[&str], accept: impl Fn(&Candidate<'a>) -> bool) -> Option<usize> {
        let found = names.iter().find_map(|name| self.free().find(|column| column.normalised == *name && accept(column)));
        self.take(found)
    }

    /// Takes the first free column whose header contains one of `words` (earlier words win)
    /// and that passes `accept`.
    pub fn word(&mut self, words: &[&str], accept: impl Fn(&Candidate<'a>) -> bool) -> Option<usize> {
        let found = words.iter().find_map(|word| self.free().find(|column| has_word(&column.normalised, word) && accept(column)));
        self.take(found)
    }

    /// Takes an exact name first, then a header word.
    pub fn named(&mut self, names: &[&str], words: &[&str], accept: impl Fn(&Candidate<'a>) -> bool + Copy) -> Option<usize> {
        self.exact(names, accept).or_else(|| self.word(words, accept))
    }

    /// Takes the first free column that passes `accept`.
    pub fn any(&mut self, accept: impl Fn(&Candidate<'a>) -> bool) -> Option<usize> {
        let found = self.free().find(|column| accept(column));
        self.take(found)
    }

    /// Takes every free column that passes `accept`.
    pub fn all(&mut self, accept: impl Fn(&Candidate<'a>) -> bool) -> Vec<usize> {
        let found: Vec<usize> = self.free().filter(|column| accept(column)).map(|column| column.index).collect();
        self.taken.extend(&found);
        found
    }

    fn take(&mut self, found: Option<&Candidate>) -> Option<usize> {
        let index = found?.index;
        self.taken.push(index);
        Some(index)
    }
}

/// Header names of a customer id, most specific first.
pub const CUSTOMER_ID_NAMES: [&str; 16] = [
    "customer id", "customers id", "customer", "account id", "account code", "account", "client id", "cust id",
    "user id", "member id", "subscriber id", "company id", "record id", "customer email", "email", "id",
];

/// Finds the customer id column: an exact header name first, then a header word, then the
/// first column whose values look like identifiers.
pub fn find_customer_id(finder: &mut Finder) -> Option<usize> {
    finder
        .exact(&CUSTOMER_ID_NAMES, |column| !column.is_date())
        .or_else(|| finder.word(&["customer", "account", "client"], |column| !column.is_date() && !column.is_number() || column.profile.looks_like_identifier()))
        .or_else(|| finder.any(|column| column.profile.looks_like_identifier() && !column.is_date()))
}

const AMOUNT_WORDS: [&str; 9] = ["amount", "dollar value", "value", "revenue", "total", "price", "sales", "paid", "net"];

/// Finds the transaction amount: a numeric column named like an amount, else the numeric
/// column with the most values written with decimals.
pub fn find_amount(finder: &mut Finder) -> Option<usize> {
    let money = |column: &Candidate| column.is_number() && (!column.profile.looks_like_identifier() || column.profile.fractional_numbers > 0);
    if let Some(index) = finder.word(&AMOUNT_WORDS, money) {
        return Some(index);
    }
    let best = finder
        .free()
        .filter(|column| money(column) && column.profile.fractional_numbers > 0)
        .max_by_key(|column| column.profile.fractional_numbers);
    finder.take(best)
}

/// Finds the date column: a date-typed column, preferring one whose header names a date.
pub fn find_date(finder: &mut Finder, preferred: &[&str]) -> Option<usize> {
    finder
        .exact(preferred, Candidate::is_date)
        .or_else(|| finder.word(&["date", "created", "time", "timestamp", "day", "paid at"], Candidate::is_date))
        .or_else(|| finder.any(Candidate::is_date))
}

/// Lists the categorical columns not already given a role.
pub fn find_segments(finder: &mut Finder) -> Vec<usize> {
    finder.all(|column| column.profile.looks_like_segment())
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
        assert_eq!(matching_form("Created date (UTC)"), "created date");
        assert_eq!(normalise_header("subscriptions.plan_id"), "subscriptions plan id");
    }

    #[test]
    fn words_match_inside_compound_headers() {
        assert!(has_word("dollar value", "value"));
        assert!(has_word("monthly charges", "monthly"));
        assert!(!has_word("internet service", "net"));
    }
}
