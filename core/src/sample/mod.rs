//! A built-in sample company: a simulated B2B SaaS business whose exports are written in the
//! shapes real vendors use (Stripe, Mixpanel, Delighted, Typeform, Zendesk, HubSpot), for the
//! "Try the sample data" button and for benchmarks.
//!
//! Everything is determined by a seed and a [`SampleSize`]: the same inputs give the same bytes
//! on every target. The generator reads no clock (the span ends on a fixed date), iterates no
//! hash map, and formats no float: amounts are integer minor units, times integer seconds.
//!
//! The files are consistent with each other because all are written from one simulated
//! [`company::Company`]: a customer pays only while subscribed, uses the product and opens tickets
//! only while in service, and resumes all of them when it reactivates.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};

mod accounts;
mod calendar;
mod catalog;
pub mod company;
mod csv_writer;
mod events;
mod ids;
mod lifecycle;
mod spend;
mod stripe;
mod surveys;
mod zendesk;

pub use company::Company;

/// The simulated months: `months` calendar months that end with `last_day`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The last day covered; the exports are taken at its end.
    pub last_day: NaiveDate,
    pub months: u32,
}

impl Default for Span {
    /// 24 months, November 2024 to October 2026.
    fn default() -> Self {
        Span { last_day: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default(), months: 24 }
    }
}

impl Span {
    /// The first instant of the span (the first day of its first month) and the export instant
    /// (the end of `last_day`), in UTC seconds.
    pub fn bounds(&self) -> (i64, i64) {
        let export_at = calendar::start_of(self.last_day) + calendar::DAY;
        let first_of_last_month = self.last_day.with_day0(0).unwrap_or(self.last_day);
        let first_day = first_of_last_month
            .checked_sub_months(chrono::Months::new(self.months.saturating_sub(1)))
            .unwrap_or(first_of_last_month);
        (calendar::start_of(first_day), export_at)
    }
}

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleSize {
    /// The minimum number of customers to simulate.
    pub customers: usize,
    /// A minimum number of subscription rows; more customers are simulated until it is met.
    pub subscriptions: Option<usize>,
    /// A minimum number of payment rows; more customers are simulated until it is met.
    pub payments: Option<usize>,
    /// The target number of event rows, met within about 1% by scaling every user's activity.
    /// `None` keeps the simulation's own rate, about two events per user and day.
    pub events: Option<u64>,
    /// Whether to write the Mixpanel JSON-lines export beside the events CSV (same events).
    pub mixpanel_events: bool,
    pub span: Span,
}

impl SampleSize {
    /// The size behind the "Try the sample data" button: 300 customers over 24 months and
    /// 15 000 events, written once as CSV, about 3 MB in all.
    pub fn small() -> Self {
        SampleSize {
            customers: 300,
            subscriptions: None,
            payments: None,
            events: Some(15_000),
            mixpanel_events: false,
            span: Span::default(),
        }
    }
}

impl Default for SampleSize {
    fn default() -> Self {
        SampleSize::small()
    }
}

/// One generated export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The exports the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleExport {
    Subscriptions,
    Payments,
    MixpanelEvents,
    EventsCsv,
    NpsResponses,
    CsatResponses,
    CesResponses,
    Tickets,
    RetentionSpend,
    Accounts,
}

impl SampleExport {
    pub const ALL: [SampleExport; 10] = [
        SampleExport::Subscriptions,
        SampleExport::Payments,
        SampleExport::MixpanelEvents,
        SampleExport::EventsCsv,
        SampleExport::NpsResponses,
        SampleExport::CsatResponses,
        SampleExport::CesResponses,
        SampleExport::Tickets,
        SampleExport::RetentionSpend,
        SampleExport::Accounts,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            SampleExport::Subscriptions => "stripe_subscriptions.csv",
            SampleExport::Payments => "stripe_unified_payments.csv",
            SampleExport::MixpanelEvents => "mixpanel_events.jsonl",
            SampleExport::EventsCsv => "product_events.csv",
            SampleExport::NpsResponses => "delighted_nps.csv",
            SampleExport::CsatResponses => "typeform_csat.csv",
            SampleExport::CesResponses => "ces_responses.csv",
            SampleExport::Tickets => "zendesk_tickets.csv",
            SampleExport::RetentionSpend => "retention_spend.csv",
            SampleExport::Accounts => "hubspot_companies.csv",
        }
    }

    /// The exports a size selects, in a fixed order.
    pub fn selected(size: &SampleSize) -> Vec<SampleExport> {
        SampleExport::ALL
            .into_iter()
            .filter(|export| *export != SampleExport::MixpanelEvents || size.mixpanel_events)
            .collect()
    }
}

/// The simulated company and the settings its exports are written with.
pub struct SampleCompany {
    pub company: Company,
    size: SampleSize,
}

impl SampleCompany {
    pub fn simulate(seed: u64, size: SampleSize) -> Self {
        SampleCompany { company: Company::simulate(seed, &size), size }
    }

    /// Writes one export to `out`, row by row, so large files need not fit in memory.
    pub fn write(&self, export: SampleExport, out: &mut dyn Write) -> io::Result<()> {
        let company = &self.company;
        match export {
            SampleExport::Subscriptions => stripe::write_subscriptions(company, out),
            SampleExport::Payments => stripe::write_payments(company, out),
            SampleExport::MixpanelEvents => events::write_events(company, self.size.events, events::Format::MixpanelJson, out),
            SampleExport::EventsCsv => events::write_events(company, self.size.events, events::Format::Csv, out),
            SampleExport::NpsResponses => surveys::write_nps(company, out),
            SampleExport::CsatResponses => surveys::write_csat(company, out),
            SampleExport::CesResponses => surveys::write_ces(company, out),
            SampleExport::Tickets => zendesk::write_tickets(company, out),
            SampleExport::RetentionSpend => spend::write_spend(company, out),
            SampleExport::Accounts => accounts::write_companies(company, out),
        }
    }
}

/// Generates the sample company's exports in memory.
pub fn sample_company(seed: u64, size: SampleSize) -> Vec<SampleFile> {
    let sample = SampleCompany::simulate(seed, size);
    SampleExport::selected(&size)
        .into_iter()
        .map(|export| {
            let mut bytes = Vec::new();
            // Writing into a Vec never returns an I/O error, and every row has its header's width.
            let _ = sample.write(export, &mut bytes);
            SampleFile { name: export.file_name().to_string(), bytes }
        })
        .collect()
}
