//! Typed tables for the data kinds beyond transactions and snapshots: subscriptions, product
//! events, survey responses, support tickets, retention spend and account attributes.
//!
//! These are the contract between ingest (which fills them from files) and metrics (which reads
//! them). Large tables (events) are stored by column with interned strings; the others are rows
//! of small structs. Instants are [`Timestamp`]s in UTC seconds; a date without a time is 00:00
//! of that day, and a timestamp without an offset is taken as written.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::dataset::Segment;
use super::money::Money;

/// Days from 0001-01-01 (day 1 of the common era, as chrono counts) to 1970-01-01.
const DAYS_FROM_CE_TO_UNIX_EPOCH: i32 = 719_163;

/// An instant, in seconds since 1970-01-01 00:00 UTC.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Timestamp {
    pub seconds: i64,
}

impl Timestamp {
    /// The first instant of a calendar day.
    pub fn start_of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        let days_since_epoch = i64::from(date.num_days_from_ce() - DAYS_FROM_CE_TO_UNIX_EPOCH);
        Timestamp { seconds: days_since_epoch * 86_400 }
    }

    pub fn from_naive(moment: NaiveDateTime) -> Self {
        Timestamp { seconds: moment.and_utc().timestamp() }
    }

    pub fn to_naive(self) -> NaiveDateTime {
        DateTime::from_timestamp(self.seconds, 0).map(|moment| moment.naive_utc()).unwrap_or_default()
    }

    /// The calendar day the instant falls on (UTC), or 1970-01-01 when the instant is outside
    /// chrono's range, as [`Timestamp::to_naive`] gives. Computes the day number directly,
    /// without building a time of day.
    pub fn date(self) -> NaiveDate {
        let days_since_epoch = self.seconds.div_euclid(86_400);
        i32::try_from(days_since_epoch)
            .ok()
            .and_then(|days| days.checked_add(DAYS_FROM_CE_TO_UNIX_EPOCH))
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or_default()
    }
}

/// Currency codes as written in a file (`USD`, `eur` is stored upper-cased), indexed by the
/// `currency` fields of the rows. An empty list means the file names no currency, and every
/// amount is in one unnamed currency.
pub type CurrencyCodes = Vec<String>;

// ---------------------------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------------------------

/// The unit a subscription is billed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntervalUnit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// Where a subscription stood at export time, in Stripe's vocabulary; other vendors' values are
/// mapped onto it by ingest (Chargebee `non_renewing` is `Active` with `cancel_at_period_end`,
/// `in_trial` is `Trialing`, `cancelled` is `Canceled`; Recurly `expired` is `Canceled`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubscriptionStatus {
    Active,
    PastDue,
    Trialing,
    Paused,
    Canceled,
    Unpaid,
    Incomplete,
    IncompleteExpired,
    /// A status the importer did not recognise; treated like `Active` while it has no end.
    Other,
}

/// How long a recurring discount applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscountDuration {
    Forever,
    /// Once: never lowers MRR.
    Once,
    /// For this many months from `Discount::start` (or the subscription start).
    Repeating { months: u32 },
}

/// How much a discount takes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscountAmount {
    /// Percent off in basis points: 10000 is 100%.
    PercentOff { basis_points: u32 },
    /// A fixed amount off each invoice, in the subscription's currency.
    AmountOff(Money),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Discount {
    pub amount: DiscountAmount,
    pub duration: DiscountDuration,
    /// When the discount started, if the export dates it.
    pub start: Option<Timestamp>,
    /// When the discount ended or ends, if the export dates it.
    pub end: Option<Timestamp>,
}

/// One subscription row.
#[derive(Clone, Debug, PartialEq)]
pub struct Subscription {
    /// Index into `Subscriptions::customer_ids`.
    pub customer: u32,
    pub id: String,
    /// Index into `Subscriptions::plans`, or `None` when the export has no plan column.
    pub plan: Option<u32>,
    /// Price per unit and per billing interval, tax excluded, before discounts.
    pub unit_price: Money,
    pub quantity: u32,
    pub interval: IntervalUnit,
    /// Billing every `interval_count` intervals (Stripe's `interval_count`), at least 1.
    pub interval_count: u32,
    /// Index into `Subscriptions::currencies`; 0 when the file names no currency.
    pub currency: u16,
    pub status: SubscriptionStatus,
    pub start: Timestamp,
    pub trial_start: Option<Timestamp>,
    pub trial_end: Option<Timestamp>,
    pub canceled_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub cancel_at_period_end: bool,
    pub current_period_end: Option<Timestamp>,
    pub paused_at: Option<Timestamp>,
    pub discount: Option<Discount>,
}

/// A subscriptions export (Stripe, Chargebee, Recurly, Paddle or a plain table).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Subscriptions {
    pub customer_ids: Vec<String>,
    pub plans: Vec<String>,
    pub currencies: CurrencyCodes,
    pub rows: Vec<Subscription>,
}

// ---------------------------------------------------------------------------------------------
// Product events
// ---------------------------------------------------------------------------------------------

/// A product-analytics event log, stored by column: one entry per event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    pub user_ids: Vec<String>,
    /// Index into `user_ids`, per event.
    pub user: Vec<u32>,
    pub time: Vec<Timestamp>,
    pub event_names: Vec<String>,
    /// Index into `event_names`, per event.
    pub event: Vec<u32>,
    /// The account (customer) id of each user, when the export has one: index into
    /// `account_ids`, per user.
    pub account_of_user: Vec<Option<u32>>,
    pub account_ids: Vec<String>,
    /// The signup time of each user, when the export has one, per user.
    pub signup_of_user: Vec<Option<Timestamp>>,
    /// Categorical attributes of users (plan, platform, channel), each `values` entry per user:
    /// the value on the user's first event that has one.
    pub user_segments: Vec<Segment>,
}

// ---------------------------------------------------------------------------------------------
// Survey responses
// ---------------------------------------------------------------------------------------------

/// What a survey question measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SurveyKind {
    Nps,
    Csat,
    Ces,
    /// A score question whose kind the header does not tell; the user can choose one.
    Unknown,
}

/// The answer scale of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScoreScale {
    /// Whole numbers from `min` to `max` inclusive (0–10, 1–5, 1–7, 1–10).
    Points { min: i16, max: i16 },
    /// A help desk's good / bad rating; scores are 1 for good and 0 for bad.
    GoodBad,
}

/// Where the scale came from, shown next to it so the user can correct it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScaleSource {
    /// The header says it, as in "Satisfaction (1-5)".
    Header,
    /// Inferred from the largest answer seen.
    LargestAnswer,
    /// Set by the user.
    User,
}

/// One score question of a survey export, with one entry per response row.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyQuestion {
    pub header: String,
    pub kind: SurveyKind,
    pub scale: ScoreScale,
    pub scale_source: ScaleSource,
    /// `None` for a blank answer, which is not a response.
    pub scores: Vec<Option<i16>>,
}

/// A survey export (Delighted, Typeform, SurveyMonkey, Qualtrics or any id/date/score table).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyResponses {
    pub respondent_ids: Vec<String>,
    /// Index into `respondent_ids`, per response; `None` for anonymous responses.
    pub respondent: Vec<Option<u32>>,
    pub account_ids: Vec<String>,
    /// The respondent's account (company), when the export has an account id column: index
    /// into `account_ids`, per response. Empty when the export has no such column.
    pub account: Vec<Option<u32>>,
    /// The response time, per response; `None` when the export has no date.
    pub time: Vec<Option<Timestamp>>,
    pub questions: Vec<SurveyQuestion>,
    /// Categorical columns, each `values` entry per response.
    pub segments: Vec<Segment>,
}

// ---------------------------------------------------------------------------------------------
// Support tickets
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
    Other,
}

/// A help desk's satisfaction rating on a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketRating {
    Good,
    Bad,
    /// A survey was sent but not answered: not a response.
    Offered,
    /// No survey was sent: not a response.
    Unoffered,
}

/// One ticket row of a Zendesk, Freshdesk or similar export.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticket {
    pub id: String,
    /// Index into `Tickets::requester_ids`.
    pub requester: Option<u32>,
    pub created: Timestamp,
    pub solved: Option<Timestamp>,
    pub status: TicketStatus,
    pub agent_replies: Option<u32>,
    pub reopens: Option<u32>,
    pub rating: Option<TicketRating>,
    /// An explicit "resolved on first contact" flag, used instead of replies and reopens.
    pub first_contact_resolution: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tickets {
    pub requester_ids: Vec<String>,
    pub rows: Vec<Ticket>,
    /// Categorical columns, each `values` entry per ticket.
    pub segments: Vec<Segment>,
}

// ---------------------------------------------------------------------------------------------
// Retention spend and account attributes
// ---------------------------------------------------------------------------------------------

/// Money spent on keeping customers (customer success salaries, tools, programs), by date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetentionSpend {
    pub currencies: CurrencyCodes,
    pub rows: Vec<SpendEntry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpendEntry {
    pub date: NaiveDate,
    pub amount: Money,
    pub currency: u16,
}

/// Attributes of accounts from a CRM export: one row per customer, joined by customer id to
/// every other kind to break KPIs down by plan, region, company size and the like.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccountAttributes {
    pub customer_ids: Vec<String>,
    /// Each `values` entry per row of `customer_ids`.
    pub segments: Vec<Segment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_matches_chrono_conversion() {
        let seconds = [0, -1, 86_399, 86_400, -86_400, -86_401, 1_704_067_199, 1_704_067_200, 253_402_300_799, -62_135_596_800];
        let extremes = [i64::MIN, i64::MAX, i64::from(i32::MAX) * 86_400, i64::from(i32::MIN) * 86_400];
        for seconds in seconds.into_iter().chain(extremes) {
            let timestamp = Timestamp { seconds };
            assert_eq!(timestamp.date(), timestamp.to_naive().date(), "{seconds} s");
        }
    }

    #[test]
    fn start_of_matches_chrono_conversion() {
        for date in [NaiveDate::MIN, NaiveDate::MAX, NaiveDate::default()] {
            let midnight = date.and_hms_opt(0, 0, 0).unwrap();
            assert_eq!(Timestamp::start_of(date), Timestamp::from_naive(midnight), "{date}");
        }
        for days in (-800_000..800_000).step_by(997) {
            let date = NaiveDate::default() + chrono::TimeDelta::days(days);
            let midnight = date.and_hms_opt(0, 0, 0).unwrap();
            assert_eq!(Timestamp::start_of(date), Timestamp::from_naive(midnight), "{date}");
        }
    }
}
