//! Account attributes as a HubSpot companies export, one row per customer, joinable to the
//! other files by the `Stripe Customer ID` property. `Plan`, `Region` and `Company size` are
//! the segments the dashboard can break KPIs down by.

use std::io::{self, Write};

use rand::RngExt;

use super::calendar::{datetime_minutes, DAY, HOUR};
use super::company::{Company, Customer};
use super::csv_writer::{columns, csv_writer};

pub const HEADER: &str = "Record ID,Company name,Company owner,Create Date,Last Activity Date,Company Domain Name,Industry,Number of Employees,Country/Region,Lifecycle Stage,Stripe Customer ID,Plan,Region,Company size";

const ACCOUNTS_STREAM: u64 = 8;
const FIRST_RECORD_ID: u64 = 9_000_000_000;

pub fn write_companies(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = company.exporter_rng(ACCOUNTS_STREAM);
    let mut writer = csv_writer(out);
    writer.write_record(columns(HEADER))?;
    for customer in &company.customers {
        let record_id = FIRST_RECORD_ID + customer.number * 1_000 + rng.random_range(0..1_000);
        let last_service = customer.spells.last().and_then(|spell| spell.end).unwrap_or(company.export_at);
        let last_activity = last_service - rng.random_range(HOUR..14 * DAY);
        writer.write_record(company_row(customer, record_id, last_activity.max(customer.crm_created)))?;
    }
    writer.flush()
}

/// HubSpot's lifecycle stage: a customer while in service, an opportunity if it only ever
/// trialed, other once it has left.
fn lifecycle_stage(customer: &Customer) -> &'static str {
    let is_running = customer.spells.last().is_some_and(|spell| spell.end.is_none());
    let ever_paid = customer.subscriptions.iter().any(|subscription| !subscription.invoices.is_empty());
    match (is_running, ever_paid) {
        (true, _) => "Customer",
        (false, true) => "Other",
        (false, false) => "Opportunity",
    }
}

fn company_row(customer: &Customer, record_id: u64, last_activity: i64) -> Vec<String> {
    let plan = customer.latest_subscription().map(|subscription| subscription.plan.name()).unwrap_or_default();
    vec![
        record_id.to_string(),
        customer.name.clone(),
        customer.owner.to_string(),
        datetime_minutes(customer.crm_created),
        datetime_minutes(last_activity),
        customer.domain.clone(),
        customer.industry.to_string(),
        customer.employees.to_string(),
        customer.country.to_string(),
        lifecycle_stage(customer).to_string(),
        customer.id.clone(),
        plan.to_string(),
        customer.region.name().to_string(),
        customer.size.label().to_string(),
    ]
}
