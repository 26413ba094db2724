//! Data kinds: a text table becomes typed transactions or a customer snapshot.

use super::dataset::{CustomerSnapshot, Dataset, Interner, Segment, Transactions};
use super::error::{IngestError, RowProblem};
use super::profile::ColumnProfile;
use super::roles::{self, Candidate, ColumnMapping, Role};
use super::table::TextTable;
use super::values::{is_missing, parse_bool, parse_date, parse_money};

/// A recognised table: the typed dataset, the role of every column, and the values that could
/// not be read (their rows are left out of the dataset).
pub struct Recognised {
    pub dataset: Dataset,
    pub columns: Vec<ColumnMapping>,
    pub problems: Vec<RowProblem>,
}

const EXPECTED_DATE: &str = "a date such as 2024-01-31, 20240131 or 2024-01-31 14:05";
const EXPECTED_AMOUNT: &str = "an amount such as 1234.56";
const EXPECTED_FLAG: &str = "Yes or No";

/// Decides the data kind of a table from its headers and values, and types its rows.
pub fn recognise(file: &str, table: &TextTable) -> Result<Recognised, IngestError> {
    let profiles: Vec<ColumnProfile> =
        table.columns.iter().map(|column| ColumnProfile::of(column.iter().map(String::as_str))).collect();
    let candidates: Vec<Candidate> = profiles
        .iter()
        .enumerate()
        .map(|(index, profile)| Candidate { index, normalised: roles::normalise_header(&table.headers[index]), profile })
        .collect();

    let customer = roles::find_customer_id(&candidates);
    let taken: Vec<usize> = customer.into_iter().collect();
    let churn = roles::find_churn_flag(&candidates, &taken);

    if let (Some(customer), Some(churn)) = (customer, churn) {
        let charge = roles::find_monthly_charge(&candidates, &[customer, churn]);
        if let Some(charge) = charge {
            return Ok(snapshot(table, &candidates, &profiles, [customer, churn, charge]));
        }
    }

    let date = roles::find_date(&candidates, &taken);
    let amount = roles::find_amount(&candidates, &[taken.as_slice(), date.as_slice()].concat());
    match (customer, date, amount) {
        (Some(customer), Some(date), Some(amount)) => {
            Ok(transactions(table, &profiles, [customer, date, amount]))
        }
        _ => Err(unrecognised(file, table, customer, date, amount, churn)),
    }
}

fn unrecognised(
    file: &str,
    table: &TextTable,
    customer: Option<usize>,
    date: Option<usize>,
    amount: Option<usize>,
    churn: Option<usize>,
) -> IngestError {
    let missing: Vec<&str> = [(customer, "a customer id"), (date, "a date"), (amount, "an amount")]
        .into_iter()
        .filter(|(found, _)| found.is_none())
        .map(|(_, role)| role)
        .collect();
    let mut hint = format!(
        "A transactions file needs a customer id, a date and an amount column; this file has no column for {}.",
        join_with_and(&missing)
    );
    if churn.is_some() {
        hint.push_str(" A customer snapshot needs a customer id, a churn flag (Yes/No) and a monthly charge column such as \"MonthlyCharges\" or \"MRR\".");
    }
    IngestError::Unrecognised { file: file.to_string(), found: quote_list(&table.headers), hint }
}

/// Joins `["a", "b", "c"]` as `a, b and c`.
fn join_with_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [single] => single.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn quote_list(headers: &[String]) -> String {
    let shown: Vec<String> = headers.iter().take(12).map(|header| format!("\"{header}\"")).collect();
    let more = headers.len().saturating_sub(12);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn mappings(table: &TextTable, profiles: &[ColumnProfile], roles: &[(usize, Role)]) -> Vec<ColumnMapping> {
    table
        .headers
        .iter()
        .zip(profiles)
        .enumerate()
        .map(|(index, (header, profile))| ColumnMapping {
            header: header.clone(),
            value_type: profile.value_type(),
            role: roles.iter().find(|(column, _)| *column == index).map(|(_, role)| *role),
        })
        .collect()
}

/// Collects problems for one row; the row is kept only when it has none.
struct RowCheck<'t> {
    table: &'t TextTable,
    row: usize,
    problems: Vec<RowProblem>,
}

impl<'t> RowCheck<'t> {
    fn read<T>(&mut self, column: usize, expected: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let cell = &self.table.columns[column][self.row];
        let value = if is_missing(cell) { None } else { parse(cell) };
        if value.is_none() {
            self.problems.push(RowProblem {
                line: self.table.row_lines[self.row],
                column: Some(self.table.headers[column].clone()),
                found: cell.clone(),
                expected: expected.to_string(),
            });
        }
        value
    }
}

fn transactions(table: &TextTable, profiles: &[ColumnProfile], [customer, date, amount]: [usize; 3]) -> Recognised {
    let mut interner = Interner::default();
    let mut typed = Transactions::default();
    let mut problems = Vec::new();

    for row in 0..table.row_count() {
        let mut check = RowCheck { table, row, problems: Vec::new() };
        let id = check.read(customer, "a customer id", |cell| Some(cell.to_string()));
        let day = check.read(date, EXPECTED_DATE, parse_date);
        let money = check.read(amount, EXPECTED_AMOUNT, parse_money);
        match (id, day, money) {
            (Some(id), Some(day), Some(money)) => {
                typed.customer.push(interner.intern(&id));
                typed.date.push(day);
                typed.amount.push(money);
            }
            _ => problems.append(&mut check.problems),
        }
    }
    typed.customer_ids = interner.values;

    let roles = [(customer, Role::CustomerId), (date, Role::Date), (amount, Role::Amount)];
    Recognised { dataset: Dataset::Transactions(typed), columns: mappings(table, profiles, &roles), problems }
}

fn snapshot(
    table: &TextTable,
    candidates: &[Candidate],
    profiles: &[ColumnProfile],
    [customer, churn, charge]: [usize; 3],
) -> Recognised {
    let segment_columns = roles::find_segments(candidates, &[customer, churn, charge]);
    let mut segments: Vec<(Segment, Interner)> = segment_columns
        .iter()
        .map(|column| (Segment { name: table.headers[*column].clone(), ..Segment::default() }, Interner::default()))
        .collect();
    let mut typed = CustomerSnapshot::default();
    let mut problems = Vec::new();

    for row in 0..table.row_count() {
        let mut check = RowCheck { table, row, problems: Vec::new() };
        let id = check.read(customer, "a customer id", |cell| Some(cell.to_string()));
        let churned = check.read(churn, EXPECTED_FLAG, parse_bool);
        let monthly = check.read(charge, EXPECTED_AMOUNT, parse_money);
        let (Some(id), Some(churned), Some(monthly)) = (id, churned, monthly) else {
            problems.append(&mut check.problems);
            continue;
        };
        typed.customer_ids.push(id);
        typed.churned.push(churned);
        typed.monthly_charge.push(monthly);
        for ((segment, interner), column) in segments.iter_mut().zip(&segment_columns) {
            let cell = &table.columns[*column][row];
            let label = if is_missing(cell) { "(blank)" } else { cell.as_str() };
            segment.values.push(interner.intern(label));
        }
    }
    typed.segments = segments
        .into_iter()
        .map(|(mut segment, interner)| {
            segment.labels = interner.values;
            segment
        })
        .collect();

    let mut roles = vec![(customer, Role::CustomerId), (churn, Role::ChurnFlag), (charge, Role::MonthlyCharge)];
    roles.extend(segment_columns.iter().map(|column| (*column, Role::Segment)));
    Recognised { dataset: Dataset::CustomerSnapshot(typed), columns: mappings(table, profiles, &roles), problems }
}

