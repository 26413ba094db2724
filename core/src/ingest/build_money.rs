//! Builders for the money kinds: transactions (payments, invoices, purchase logs), customer
//! snapshots, retention spend and account attributes.

use chrono::NaiveDate;

use super::dataset::{CustomerSnapshot, Dataset, Interner, Transactions};
use super::kinds::{AccountAttributes, RetentionSpend, SpendEntry, Timestamp};
use super::money::Money;
use super::roles::Role;
use super::rows::{currency_of, Context, Currencies, LastCell, RoleMap};

/// Payment statuses that mean no money moved; such rows are left out, not reported.
const NOT_COLLECTED: [&str; 9] =
    ["failed", "declined", "canceled", "cancelled", "void", "voided", "requires_payment_method", "blocked", "incomplete"];

/// Types a payments or purchase log. Failed and uncaptured charges are left out. A refund
/// becomes a second, negative entry, dated at its refund date when the export has one and at
/// the charge date otherwise. A tax column is taken off the amount.
pub fn transactions(context: &mut Context, roles: &RoleMap) -> Dataset {
    Dataset::Transactions(transaction_rows(context, roles).map(finish_transactions).unwrap_or_default())
}

/// Types the rows of a transactions log as [`transactions`] describes, into a log that the rows
/// of a later part of the file can extend ([`append_transactions`]) before
/// [`finish_transactions`]. Returns `None` when the roles lack a customer, date or amount.
pub fn transaction_rows(context: &mut Context, roles: &RoleMap) -> Option<Transactions> {
    let [customer, date, amount] = [Role::CustomerId, Role::Date, Role::Amount].map(|role| roles.first(role));
    let (customer, date, amount) = (customer?, date?, amount?);
    let [status_column, captured_column, tax_column, refunded_column, refund_date_column, currency_column] =
        [Role::Status, Role::Captured, Role::Tax, Role::AmountRefunded, Role::RefundedDate, Role::Currency].map(|role| roles.first(role));
    let mut interner = Interner::default();
    let mut currencies = Currencies::default();
    let mut typed = Transactions::default();
    // One transaction per row, as most are: growing these by doubling costs a copy each time.
    let rows = context.expected_rows();
    typed.customer.reserve(rows);
    typed.date.reserve(rows);
    typed.amount.reserve(rows);
    if currency_column.is_some() {
        typed.currency.reserve(rows);
    }
    let (mut last_day, mut last_code) = (LastCell::default(), LastCell::default());
    let mut last_date: Option<(Timestamp, NaiveDate)> = None;

    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let status = reader.text(status_column);
        let captured = reader.flag(captured_column);
        let not_collected = |status: &str| NOT_COLLECTED.iter().any(|word| status.eq_ignore_ascii_case(word));
        if status.is_some_and(not_collected) || captured == Some(false) {
            context.excluded_rows += 1;
            continue;
        }
        let id = reader.required_text(customer);
        let day = reader.required_time_after(date, &mut last_day);
        let charge = reader.required_number(amount);
        let tax = reader.number(tax_column).map_or(Money::ZERO, |number| number.value);
        let refunded = reader.number(refunded_column).map_or(Money::ZERO, |number| number.value);
        let refund_day = reader.time(refund_date_column);
        let code_cell = reader.text(currency_column);
        let (Some(id), Some(day), Some(charge)) = (id, day, charge) else {
            let problems = std::mem::take(&mut reader.problems);
            context.record(problems);
            continue;
        };
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);

        let customer_index = interner.intern(&id);
        let currency_index = match code_cell {
            Some(code) => last_code.read(code, |code| Some(currencies.index(code))),
            None => currency_of(&charge).map(|code| currencies.index(&code)),
        };
        // TODO: converted amounts (Stripe "Converted Amount") get a role but are not kept,
        // because `Transactions` has no field for them yet. Metrics needs one to combine
        // currencies at the export's own rates.
        let mut push = |date, amount: Money| {
            typed.customer.push(customer_index);
            typed.date.push(date);
            typed.amount.push(amount);
            if let Some(index) = currency_index {
                typed.currency.push(index);
            }
        };
        let charge_date = match last_date {
            Some((instant, date)) if instant == day => date,
            _ => day.date(),
        };
        last_date = Some((day, charge_date));
        push(charge_date, charge.value - tax);
        if refunded.is_positive() {
            let refund_date = refund_day.unwrap_or(day).date();
            push(refund_date, -refunded);
        }
    }
    typed.customer_ids = interner.values;
    typed.currencies = currencies.into_codes();
    Some(typed)
}

/// Adds the transactions of the part of a file that follows `earlier`'s rows. Customers and
/// currencies new in `later` are numbered after the known ones, in their order in `later`.
pub fn append_transactions(earlier: &mut Transactions, later: Transactions) {
    let mut customers = Interner::of_distinct(std::mem::take(&mut earlier.customer_ids));
    let customer_map: Vec<u32> = later.customer_ids.iter().map(|id| customers.intern(id)).collect();
    let mut currencies = Interner::of_distinct(std::mem::take(&mut earlier.currencies));
    let currency_map: Vec<u16> = later.currencies.iter().map(|code| currencies.intern(code) as u16).collect();
    earlier.customer_ids = customers.values;
    earlier.currencies = currencies.values;
    earlier.customer.extend(later.customer.iter().map(|customer| customer_map[*customer as usize]));
    earlier.date.extend_from_slice(&later.date);
    earlier.amount.extend_from_slice(&later.amount);
    earlier.currency.extend(later.currency.iter().map(|currency| currency_map[*currency as usize]));
}

/// Finishes a log: the currencies are kept only when every transaction has one.
pub fn finish_transactions(mut typed: Transactions) -> Transactions {
    if typed.currency.len() != typed.date.len() {
        typed.currency.clear();
        typed.currencies.clear();
    }
    typed
}

/// Types a one-row-per-customer snapshot with a churn flag and a monthly charge.
pub fn snapshot(context: &mut Context, roles: &RoleMap) -> Dataset {
    let [customer, churn, charge] = [Role::CustomerId, Role::ChurnFlag, Role::MonthlyCharge].map(|role| roles.first(role));
    let (Some(customer), Some(churn), Some(charge)) = (customer, churn, charge) else {
        return Dataset::CustomerSnapshot(CustomerSnapshot::default());
    };
    let mut typed = CustomerSnapshot::default();
    let mut kept = Vec::new();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let id = reader.required_text(customer);
        let churned = reader.required_flag(churn);
        let monthly = reader.required_number(charge);
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        let (Some(id), Some(churned), Some(monthly)) = (id, churned, monthly) else { continue };
        typed.customer_ids.push(id.to_string());
        typed.churned.push(churned);
        typed.monthly_charge.push(monthly.value);
        kept.push(row);
    }
    typed.segments = context.segments(&roles.all(Role::Segment), &kept);
    Dataset::CustomerSnapshot(typed)
}

/// Types retention spend: a date and an amount per row, with an optional currency.
pub fn spend(context: &mut Context, roles: &RoleMap) -> Dataset {
    let (Some(date), Some(amount)) = (roles.first(Role::Date), roles.first(Role::Amount)) else {
        return Dataset::RetentionSpend(RetentionSpend::default());
    };
    let mut currencies = Currencies::default();
    let mut typed = RetentionSpend::default();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let day = reader.required_time(date);
        let number = reader.required_number(amount);
        let code = reader.text(roles.first(Role::Currency)).map(str::to_string);
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        let (Some(day), Some(number)) = (day, number) else { continue };
        let code = code.or_else(|| currency_of(&number));
        let currency = code.map_or(0, |code| currencies.index(&code));
        typed.rows.push(SpendEntry { date: day.date(), amount: number.value, currency });
    }
    typed.currencies = currencies.into_codes();
    Dataset::RetentionSpend(typed)
}

/// Types account attributes: an id and categorical columns per row.
pub fn accounts(context: &mut Context, roles: &RoleMap) -> Dataset {
    let Some(id) = roles.first(Role::CustomerId) else {
        return Dataset::Accounts(AccountAttributes::default());
    };
    let mut typed = AccountAttributes::default();
    let mut kept = Vec::new();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let value = reader.required_text(id);
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        if let Some(value) = value {
            typed.customer_ids.push(value.to_string());
            kept.push(row);
        }
    }
    typed.segments = context.segments(&roles.all(Role::Segment), &kept);
    Dataset::Accounts(typed)
}
