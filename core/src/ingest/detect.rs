//! Data kind detection: which kind a table holds and which column plays which role, decided
//! from header names first and value types second. Kinds are tried from the most specific
//! signature (a churn flag, a ticket status) to the most generic (account attributes).

use super::mapping::DataKind;
use super::roles::{self, find_amount, find_customer_id, find_date, find_segments, Candidate, Finder, Role};

/// A detected kind with the role of each used column.
pub struct Detected {
    pub kind: DataKind,
    pub roles: Vec<(usize, Role)>,
}

/// Finds the first kind whose required columns are all present.
pub fn detect(candidates: &[Candidate], header_rows: usize) -> Option<Detected> {
    snapshot(candidates)
        .or_else(|| tickets(candidates))
        .or_else(|| subscriptions(candidates))
        .or_else(|| events(candidates))
        .or_else(|| spend(candidates))
        .or_else(|| survey(candidates, header_rows, false))
        .or_else(|| transactions(candidates))
        .or_else(|| survey(candidates, header_rows, true))
        .or_else(|| accounts(candidates))
}

/// Builds a kind's roles from `(role, column)` pairs, the segments appended.
fn detected(kind: DataKind, roles: &[(Role, Option<usize>)], segments: Vec<usize>) -> Detected {
    let mut assigned: Vec<(usize, Role)> = roles.iter().filter_map(|(role, column)| column.map(|column| (column, *role))).collect();
    assigned.extend(segments.into_iter().map(|column| (column, Role::Segment)));
    Detected { kind, roles: assigned }
}

fn snapshot(candidates: &[Candidate]) -> Option<Detected> {
    let mut finder = Finder::new(candidates);
    let customer = find_customer_id(&mut finder)?;
    let churn = finder.word(&["churn", "churned", "cancelled", "canceled", "exited", "attrition"], |column| column.value_type() == super::profile::ValueType::Bool)?;
    let charge = finder.word(&["monthly", "mrr", "per month"], Candidate::is_number)?;
    let segments = find_segments(&mut finder);
    Some(detected(DataKind::CustomerSnapshot, &[(Role::CustomerId, Some(customer)), (Role::ChurnFlag, Some(churn)), (Role::MonthlyCharge, Some(charge))], segments))
}

const TICKET_STATUS_WORDS: [&str; 8] = ["open", "pending", "solved", "closed", "resolved", "new", "hold", "waiting"];

fn tickets(candidates: &[Candidate]) -> Option<Detected> {
    let mut finder = Finder::new(candidates);
    let status = finder.exact(&["status", "ticket status"], |column| {
        column.profile.distinct_values().any(|value| TICKET_STATUS_WORDS.iter().any(|word| value.to_ascii_lowercase().contains(word)))
    })?;
    let created = finder.exact(&["created at", "created time", "created", "created date", "ticket created", "opened at", "date created"], Candidate::is_date)?;
    let id = finder.exact(&["ticket id", "id", "ticket number", "ticket"], |column| !column.is_date())?;
    let solved = finder.exact(&["solved at", "resolved time", "resolved at", "solved date", "closed time", "closed at", "resolution date"], Candidate::is_date);
    let replies = finder.exact(&["replies", "agent replies", "agent interactions", "agent responses"], Candidate::is_count);
    let reopens = finder.exact(&["reopens", "reopen count", "reopened"], Candidate::is_count);
    let rating = finder.exact(&["satisfaction score", "satisfaction rating", "satisfaction", "survey results", "csat"], |_| true);
    // Zendesk's external id is the requester's id in the company's own systems, so it joins
    // tickets to product users; many accounts leave it blank.
    let external = finder.exact(&["requester external id"], |column| column.profile.non_missing > 0);
    let requester = external.or_else(|| finder.exact(&["requester id", "requester", "contact id", "contact", "requester email", "customer id", "customer", "organization"], |_| true));
    let first_contact = finder.word(&["first contact resolution", "fcr", "one touch", "resolved on first contact"], |column| column.value_type() == super::profile::ValueType::Bool);
    if solved.is_none() && replies.is_none() && reopens.is_none() && requester.is_none() {
        return None;
    }
    let segments = finder.all(|column| column.profile.looks_like_segment() && !column.has_any_word(&["tags", "subject", "description"]));
    let roles = [
        (Role::TicketId, Some(id)),
        (Role::Status, Some(status)),
        (Role::Date, Some(created)),
        (Role::SolvedDate, solved),
        (Role::Replies, replies),
        (Role::Reopens, reopens),
        (Role::Rating, rating),
        (Role::CustomerId, requester),
        (Role::FirstContactResolution, first_contact),
    ];
    Some(detected(DataKind::Tickets, &roles, segments))
}

const SUBSCRIPTION_STATUSES: [&str; 14] = [
    "active", "past_due", "trialing", "canceled", "cancelled", "unpaid", "incomplete", "in_trial", "non_renewing", "paused",
    "expired", "future", "live", "in trial",
];

fn subscriptions(candidates: &[Candidate]) -> Option<Detected> {
    let mut finder = Finder::new(candidates);
    let subscription_id = finder.exact(&["subscriptions id", "subscription id", "subscription", "uuid", "subscription uuid", "id"], |column| !column.is_date() && !column.is_number());
    let customer = finder
        .exact(&["customer id", "customers id", "subscriptions customer id", "account code", "customer", "customer email", "account id"], |column| !column.is_date())
        .or_else(|| find_customer_id(&mut finder))?;
    let status = finder.exact(&["status", "subscriptions status", "state", "subscription status"], |column| {
        column.profile.distinct_values().any(|value| SUBSCRIPTION_STATUSES.contains(&value.to_ascii_lowercase().as_str()))
    });
    let interval = finder.exact(&["interval", "plan interval", "billing period unit", "subscriptions billing period unit", "subscription billing period", "billing interval", "plan interval unit"], Candidate::is_text);
    let interval_count = finder.exact(&["interval count", "plan interval count", "billing period", "subscriptions billing period", "plan interval length"], Candidate::is_number);
    let plan = finder.exact(&["plan", "plan id", "subscriptions plan id", "plan code", "current plan", "product", "price id", "plan name"], |_| true);
    let current_period_end = finder.exact(&["current period end", "current term end", "subscriptions current term end", "current period ends at", "next billing date"], Candidate::is_date);
    let trial_start = finder.exact(&["trial start", "subscriptions trial start", "trial started at"], Candidate::is_date);
    let trial_end = finder.exact(&["trial end", "subscriptions trial end", "trial ends at", "trial ended at"], Candidate::is_date);
    let canceled_at = finder.exact(&["canceled at", "cancelled at", "subscriptions cancelled at", "canceled on", "cancelled on", "cancellation date"], Candidate::is_date);
    let signature = [status, interval, plan, current_period_end, trial_end, canceled_at].iter().flatten().count();
    if signature < 2 {
        return None;
    }
    let start = finder
        .exact(&["start", "start date", "subscriptions start date", "started at", "subscriptions started at", "activated at", "created", "created at", "subscriptions created at", "created date"], Candidate::is_date)
        .or_else(|| find_date(&mut finder, &[]))?;
    let ended_at = finder.exact(&["ended at", "ended on", "expires at", "expired at", "end date", "subscriptions ended at"], Candidate::is_date);
    let paused_at = finder.exact(&["pause date", "subscriptions pause date", "paused at", "paused on"], Candidate::is_date);
    let cancel_at_period_end = finder.exact(&["cancel at period end", "cancel at end of term", "subscriptions cancel at period end"], |_| true);
    let price = finder.exact(&["amount", "unit amount", "unit price", "plan unit price", "subscriptions plan unit price", "plan amount", "subscriptions plan amount", "price", "plan price"], Candidate::is_number);
    let quantity = finder.exact(&["quantity", "plan quantity", "subscriptions plan quantity"], Candidate::is_number);
    let currency = finder.exact(&["currency", "currency code", "subscriptions currency code"], Candidate::is_text);
    let roles = [
        (Role::SubscriptionId, subscription_id),
        (Role::CustomerId, Some(customer)),
        (Role::Status, status),
        (Role::Interval, interval),
        (Role::IntervalCount, interval_count),
        (Role::Plan, plan),
        (Role::StartDate, Some(start)),
        (Role::CurrentPeriodEnd, current_period_end),
        (Role::TrialStart, trial_start),
        (Role::TrialEnd, trial_end),
        (Role::CanceledAt, canceled_at),
        (Role::EndedAt, ended_at),
        (Role::PausedAt, paused_at),
        (Role::CancelAtPeriodEnd, cancel_at_period_end),
        (Role::Amount, price),
        (Role::Quantity, quantity),
        (Role::Currency, currency),
    ];
    Some(detected(DataKind::Subscriptions, &roles, Vec::new()))
}

fn events(candidates: &[Candidate]) -> Option<Detected> {
    let mut finder = Finder::new(candidates);
    let event = finder.exact(&["event", "event name", "event type", "action", "activity", "event action"], Candidate::is_text)?;
    let user = finder.exact(
        &["user id", "distinct id", "properties distinct id", "person id", "userid", "user", "anonymous id", "visitor id", "device id", "customer id", "contact id", "member id"],
        |column| !column.is_date(),
    )?;
    let time = find_date(&mut finder, &["timestamp", "time", "event time", "properties time", "occurred at", "created at", "date"])?;
    let account = finder.exact(&["account id", "company id", "organization id", "org id", "group id", "properties account id", "workspace id", "customer account id"], |_| true);
    let signup = finder.exact(&["signup date", "signed up at", "signup", "sign up date", "registered at", "registration date", "user created at", "person created at", "user signup date"], Candidate::is_date);
    let segments = finder.all(|column| column.profile.looks_like_segment() && !column.has_any_word(&["session", "uuid", "insert"]));
    let roles = [(Role::EventName, Some(event)), (Role::UserId, Some(user)), (Role::Date, Some(time)), (Role::AccountId, account), (Role::SignupDate, signup)];
    Some(detected(DataKind::Events, &roles, segments))
}

const SPEND_WORDS: [&str; 8] = ["spend", "spent", "cost", "costs", "budget", "expense", "expenses", "expenditure"];

/// Headers that group spend by what it paid for, as a budget sheet does.
const SPEND_CATEGORY_NAMES: [&str; 4] = ["category", "cost category", "expense category", "cost center"];

/// Finds retention spend: an amount named as spend or cost, or a plain amount beside a spend
/// category column in a table that has no customer or user id, so it cannot be transactions.
fn spend(candidates: &[Candidate]) -> Option<Detected> {
    let mut without_category = Finder::new(candidates);
    let has_category = without_category.exact(&SPEND_CATEGORY_NAMES, Candidate::is_text).is_some();
    let has_identifier = find_customer_id(&mut without_category).is_some();
    let mut finder = Finder::new(candidates);
    let amount = finder
        .word(&SPEND_WORDS, Candidate::is_number)
        .or_else(|| (has_category && !has_identifier).then(|| finder.exact(&["amount"], Candidate::is_number)).flatten())?;
    let date = find_date(&mut finder, &["date", "month", "period", "day"])?;
    let currency = finder.exact(&["currency", "currency code"], Candidate::is_text);
    Some(detected(DataKind::RetentionSpend, &[(Role::Amount, Some(amount)), (Role::Date, Some(date)), (Role::Currency, currency)], Vec::new()))
}

/// Words that make a payment's amount column, in the order they are preferred.
const PAYMENT_AMOUNT_NAMES: [&str; 6] = ["amount", "amount paid", "total", "net amount", "gross amount", "charge amount"];

/// Headers of a payment's date, most specific first.
const PAYMENT_DATE_NAMES: [&str; 8] = ["created date", "created", "date", "paid at", "payment date", "transaction date", "order date", "invoice date"];

/// Finds a payment's amount: a numeric column named like one, else the best amount among the
/// columns that are not fees, taxes, refunds or other amount lookalikes.
fn find_payment_amount(finder: &mut Finder) -> Option<usize> {
    finder.exact(&PAYMENT_AMOUNT_NAMES, Candidate::is_number).or_else(|| {
        let mut rest = Finder { candidates: finder.candidates, taken: finder.taken.clone() };
        rest.taken.extend(amount_lookalikes(finder.candidates));
        let found = find_amount(&mut rest);
        finder.taken = rest.taken;
        found
    })
}

/// Guesses a transactions mapping for a table that no kind fits, for the user to complete in
/// the mapping panel: the customer id, date and amount columns that detection finds, with the
/// others left out. Transactions are the guess because they are the most common export.
// NOTE: a table closer to another kind (events without an event name column) still gets a
// transactions guess. The user then chooses the kind in the panel.
pub fn guess_transactions(candidates: &[Candidate]) -> Detected {
    let mut finder = Finder::new(candidates);
    let customer = find_customer_id(&mut finder);
    let date = find_date(&mut finder, &PAYMENT_DATE_NAMES);
    let amount = find_payment_amount(&mut finder);
    detected(DataKind::Transactions, &[(Role::CustomerId, customer), (Role::Date, date), (Role::Amount, amount)], Vec::new())
}

fn transactions(candidates: &[Candidate]) -> Option<Detected> {
    let mut finder = Finder::new(candidates);
    let customer = find_customer_id(&mut finder)?;
    let date = find_date(&mut finder, &PAYMENT_DATE_NAMES)?;
    let amount = find_payment_amount(&mut finder)?;
    let currency = finder.exact(&["currency", "currency code"], Candidate::is_text);
    let status = finder.exact(&["status", "payment status", "state"], Candidate::is_text);
    let captured = finder.exact(&["captured"], |column| column.value_type() == super::profile::ValueType::Bool);
    let refunded = finder.exact(&["amount refunded", "refunded amount", "refund amount"], Candidate::is_number);
    let refunded_date = finder.exact(&["refunded date", "refund date", "refunded at"], Candidate::is_date);
    let converted = finder.exact(&["converted amount"], Candidate::is_number);
    let converted_refunded = finder.exact(&["converted amount refunded"], Candidate::is_number);
    let converted_currency = finder.exact(&["converted currency"], Candidate::is_text);
    let fee = finder.exact(&["fee", "fees", "processing fee", "stripe fee"], Candidate::is_number);
    let tax = finder.exact(&["tax", "tax amount", "taxes", "sales tax", "vat"], Candidate::is_number);
    let roles = [
        (Role::CustomerId, Some(customer)),
        (Role::Date, Some(date)),
        (Role::Amount, Some(amount)),
        (Role::Currency, currency),
        (Role::Status, status),
        (Role::Captured, captured),
        (Role::AmountRefunded, refunded),
        (Role::RefundedDate, refunded_date),
        (Role::ConvertedAmount, converted),
        (Role::ConvertedAmountRefunded, converted_refunded),
        (Role::ConvertedCurrency, converted_currency),
        (Role::Fee, fee),
        (Role::Tax, tax),
    ];
    Some(detected(DataKind::Transactions, &roles, Vec::new()))
}

/// Numeric columns that are never the charge amount even when written with decimals.
fn amount_lookalikes(candidates: &[Candidate]) -> Vec<usize> {
    candidates
        .iter()
        .filter(|column| column.has_any_word(&["refunded", "fee", "tax", "taxes", "converted", "disputed", "exp", "latitude", "longitude"]))
        .map(|column| column.index)
        .collect()
}

const SURVEY_WORDS: [&str; 16] = [
    "nps", "recommend", "likely", "likelihood", "satisfaction", "satisfied", "csat", "effort", "easy", "ces", "score", "rating",
    "rate", "satisfy", "experience", "ease",
];
const SEGMENT_WORDS: [&str; 12] = ["type", "provider", "plan", "region", "segment", "group", "channel", "country", "tier", "category", "gender", "language"];

/// Finds score columns: whole numbers from 0 to 10 named like a survey question; when `matrix`
/// is set, any such columns when they make up most of the table (a Likert questionnaire).
fn survey(candidates: &[Candidate], header_rows: usize, matrix: bool) -> Option<Detected> {
    let is_score = |column: &Candidate| {
        column.profile.looks_like_scores()
            && column.value_type() != super::profile::ValueType::Bool
            && !column.normalised.ends_with("nps group")
            && !mentions_segment(column)
    };
    let named = |column: &Candidate| {
        SURVEY_WORDS.iter().any(|word| roles::has_word(&column.normalised, word) || roles::has_word(&column.detail, word))
            || column.normalised.starts_with('q') && column.normalised[1..].starts_with(|c: char| c.is_ascii_digit())
    };
    let mut finder = Finder::new(candidates);
    let scores: Vec<usize> = if matrix {
        let all: Vec<usize> = candidates.iter().filter(|column| is_score(column)).map(|column| column.index).collect();
        if all.len() < 3 || all.len() * 2 < candidates.len() {
            return None;
        }
        all
    } else {
        candidates.iter().filter(|column| is_score(column) && (named(column) || header_rows > 1)).map(|column| column.index).collect()
    };
    if scores.is_empty() {
        return None;
    }
    finder.taken.extend(&scores);
    // The respondent's company, as a Delighted person property or a Typeform hidden field
    // names it; the segment filter joins responses to account attributes by it.
    let account = finder.exact(&["account id", "company id", "organization id", "organisation id", "account"], |column| !column.is_date());
    // The person who answered comes before ids of single responses (Delighted's `Response ID`,
    // Qualtrics' `ResponseId`), which would make every response a different respondent.
    let respondent = finder.exact(
        &["respondent id", "person id", "person", "user id", "customer id", "email", "email address", "recipient email", "external reference", "token", "response id", "id"],
        // An empty column, such as Qualtrics' `ExternalReference` for an anonymous link, contains
        // no respondent, so the next header in the list is taken.
        |column| !column.is_date() && column.profile.non_missing > 0,
    );
    let time = finder.exact(
        &["submit date", "recorded date", "end date", "created at", "date", "response date", "timestamp", "responded at", "submitted at", "created", "updated at"],
        Candidate::is_date,
    );
    let survey_type = finder.exact(&["survey type", "survey kind"], Candidate::is_text);
    let segments = finder.all(|column| column.profile.looks_like_segment() || (mentions_segment(column) && column.profile.distinct_count().is_some_and(|count| count <= 50)));
    let mut assigned = vec![(Role::RespondentId, respondent), (Role::AccountId, account), (Role::Date, time), (Role::SurveyType, survey_type)];
    assigned.extend(scores.into_iter().map(|column| (Role::Score, Some(column))));
    Some(detected(DataKind::Survey, &assigned, segments))
}

/// Returns true when the header contains a segment word, also inside a run-together name
/// such as `servicetype`.
fn mentions_segment(column: &Candidate) -> bool {
    SEGMENT_WORDS.iter().any(|word| column.normalised.contains(word))
}

fn accounts(candidates: &[Candidate]) -> Option<Detected> {
    let mut finder = Finder::new(candidates);
    let unique = |column: &Candidate| column.profile.distinct_count().is_none_or(|count| count == column.profile.non_missing) && !column.is_date();
    // A CRM's own record id is a last resort: other exports name an account by the billing
    // system's customer id, which CRMs keep as a property such as HubSpot's `Stripe Customer ID`.
    let id = finder
        .exact(&["customer id", "account id", "company id", "customer", "account", "account code", "organization id"], unique)
        .or_else(|| finder.word(&["customer id"], unique))
        .or_else(|| finder.exact(&["record id", "id"], unique))?;
    let segments = finder.all(|column| column.profile.looks_like_segment());
    if segments.is_empty() {
        return None;
    }
    Some(detected(DataKind::Accounts, &[(Role::CustomerId, Some(id))], segments))
}
