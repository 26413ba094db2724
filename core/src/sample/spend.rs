//! Retention spend: one row per month and category (`date,category,amount,currency`), dated the
//! first of the month, in US dollars.
//!
//! Customer success headcount grows with the customers in service at the start of the month:
//! one manager per 45 customers, and at least two. The tools scale with customers too.

use std::io::{self, Write};

use rand::RngExt;

use super::calendar::{add_months, date};
use super::company::Company;
use super::csv_writer::{columns, csv_writer, money};

pub const HEADER: &str = "date,category,amount,currency";

const SPEND_STREAM: u64 = 7;
const MONTHLY_SALARY_MINOR: i64 = 750_000;
const CUSTOMERS_PER_MANAGER: i64 = 45;
const SUPPORT_SEATS: i64 = 6;
const SUPPORT_SEAT_PRICE_MINOR: i64 = 11_500;

pub fn write_spend(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = company.exporter_rng(SPEND_STREAM);
    let mut writer = csv_writer(out);
    writer.write_record(columns(HEADER))?;
    let mut month_start = company.start;
    while month_start < company.export_at {
        let in_service =
            company.customers.iter().filter(|customer| customer.spell_at(month_start).is_some()).count() as i64;
        let managers = (in_service + CUSTOMERS_PER_MANAGER - 1) / CUSTOMERS_PER_MANAGER;
        let education_minor = 40_000 + rng.random_range(0..12) * 5_000;
        let rows = [
            ("CS salaries", managers.max(2) * MONTHLY_SALARY_MINOR),
            ("CS platform", 120_000 + 400 * in_service),
            ("Support tools", SUPPORT_SEATS * SUPPORT_SEAT_PRICE_MINOR),
            ("Customer education", education_minor),
        ];
        let day = date(month_start);
        for (category, amount_minor) in rows {
            writer.write_record([day.as_str(), category, money(amount_minor).as_str(), "USD"])?;
        }
        month_start = add_months(month_start, 1);
    }
    writer.flush()
}
