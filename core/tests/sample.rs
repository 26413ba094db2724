//! Tests of the built-in sample company: determinism, the vendors' headers, consistency
//! between the files (computed from the generated rows alone) and the event target.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::sync::OnceLock;

use chrono::NaiveDateTime;
use headlights_core::sample::{sample_company, SampleCompany, SampleExport, SampleFile, SampleSize};

const SEED: u64 = 42;
const DAY: i64 = 86_400;

fn default_files() -> &'static [SampleFile] {
    static FILES: OnceLock<Vec<SampleFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut size = SampleSize::small();
        size.mixpanel_events = true;
        sample_company(SEED, size)
    })
}

fn file(name: &str) -> &'static SampleFile {
    default_files().iter().find(|file| file.name == name).unwrap_or_else(|| panic!("no file named {name}"))
}

/// A parsed CSV file: its header and rows of cells looked up by column name.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(name: &str) -> Table {
        let mut reader = csv::Reader::from_reader(file(name).bytes.as_slice());
        let header = reader.headers().expect("header").iter().map(str::to_string).collect();
        let rows = reader.records().map(|record| record.expect("record").iter().map(str::to_string).collect()).collect();
        Table { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header.iter().position(|column| column == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    fn values(&self, name: &str) -> Vec<&str> {
        let index = self.column(name);
        self.rows.iter().map(|row| row[index].as_str()).collect()
    }
}

fn seconds(text: &str) -> i64 {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|error| panic!("invalid time {text:?}: {error}"))
        .and_utc()
        .timestamp()
}

/// One subscription row's service interval: created to end, where `None` runs on.
struct Service {
    start: i64,
    end: Option<i64>,
    reason: String,
}

/// Each customer's subscriptions as service intervals, ordered by start.
fn services_by_customer() -> BTreeMap<String, Vec<Service>> {
    let table = Table::parse("stripe_subscriptions.csv");
    let [customer, created, ended, cancel_at_end, period_end, reason] = [
        "Customer ID",
        "Created (UTC)",
        "Ended At (UTC)",
        "Cancel At Period End",
        "Current Period End (UTC)",
        "Cancellation Reason",
    ]
    .map(|name| table.column(name));
    let mut services: BTreeMap<String, Vec<Service>> = BTreeMap::new();
    for row in &table.rows {
        let end = if !row[ended].is_empty() {
            Some(seconds(&row[ended]))
        } else if row[cancel_at_end] == "true" {
            Some(seconds(&row[period_end]))
        } else {
            None
        };
        let service = Service { start: seconds(&row[created]), end, reason: row[reason].clone() };
        services.entry(row[customer].clone()).or_default().push(service);
    }
    for list in services.values_mut() {
        list.sort_by_key(|service| service.start);
    }
    services
}

/// The first instant a customer has no service left, or `None` while any subscription runs.
fn final_end(services: &[Service]) -> Option<i64> {
    services.iter().map(|service| service.end).collect::<Option<Vec<i64>>>()?.into_iter().max()
}

fn is_in_service(services: &[Service], instant: i64, grace: i64) -> bool {
    services.iter().any(|service| service.start <= instant && service.end.is_none_or(|end| instant < end + grace))
}

/// The customers whose service ended at the customer's request, with the end.
fn churned_by_request() -> BTreeMap<String, i64> {
    services_by_customer()
        .into_iter()
        .filter_map(|(customer, services)| {
            let end = final_end(&services)?;
            let last = services.iter().max_by_key(|service| service.end)?;
            (last.reason == "cancellation_requested").then_some((customer, end))
        })
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let mut size = SampleSize::small();
    size.mixpanel_events = true;
    assert_eq!(sample_company(SEED, size), default_files());
}

#[test]
fn different_seed_changes_every_file() {
    let mut size = SampleSize::small();
    size.mixpanel_events = true;
    let other = sample_company(SEED + 1, size);
    for (mine, theirs) in default_files().iter().zip(&other) {
        assert_eq!(mine.name, theirs.name);
        assert_ne!(mine.bytes, theirs.bytes, "{} is the same for two seeds", mine.name);
    }
}

#[test]
fn default_size_fits_the_sample_button() {
    let files = sample_company(SEED, SampleSize::small());
    let total: usize = files.iter().map(|file| file.bytes.len()).sum();
    assert!(total <= 3_300_000, "the default sample takes {total} bytes");
    assert!(files.iter().all(|file| file.name != "mixpanel_events.jsonl"));
    assert_eq!(Table::parse("hubspot_companies.csv").rows.len(), 300);
}

#[test]
fn headers_match_vendor_exports() {
    let expected = [
        ("stripe_subscriptions.csv", "id,Customer ID,Customer Description,Customer Email,Customer Name,Plan,Product,Quantity,Currency,Interval,Amount,Status,Cancellation Reason,Created (UTC),Start (UTC),Current Period Start (UTC),Current Period End (UTC),Trial Start (UTC),Trial End (UTC),Canceled At (UTC),Ended At (UTC),Cancel At Period End,Coupon"),
        ("stripe_unified_payments.csv", "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,Converted Currency,Description,Fee,Is Link,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Card Name,Card Address Line1,Card Address Line2,Card Address City,Card Address State,Card Address Country,Card Address Zip,Card AVS Line1 Status,Card AVS Zip Status,Card Brand,Card CVC Status,Card Exp Month,Card Exp Year,Card Fingerprint,Card Funding,Card Issue Country,Card Last4,Card Tokenization Method,Customer ID,Customer Description,Customer Email,Customer Phone,Shipping Name,Shipping Address Line1,Shipping Address Line2,Shipping Address City,Shipping Address State,Shipping Address Country,Shipping Address Postal Code,Disputed Amount,Dispute Date (UTC),Dispute Evidence Due (UTC),Dispute Reason,Dispute Status,Invoice ID,Invoice Number,Checkout Session ID,Checkout Custom Field 1 Key,Checkout Custom Field 1 Value,Checkout Custom Field 2 Key,Checkout Custom Field 2 Value,Checkout Custom Field 3 Key,Checkout Custom Field 3 Value,Checkout Line Item Summary,Checkout Promotional Consent,Checkout Terms of Service Consent,Client Reference ID,Payment Link ID,UTM Campaign,UTM Content,UTM Medium,UTM Source,UTM Term,Application Fee,Application ID,Destination,Transfer,Transfer Group"),
        ("zendesk_tickets.csv", "Summation column,Id,Requester,Requester id,Requester external id,Requester email,Requester domain,Submitter,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,Created at,Updated at,Assigned at,Organization,Due date,Initially assigned at,Solved at,Resolution time,Satisfaction Score,Group stations,Assignee stations,Reopens,Replies,First reply time in minutes,First reply time in minutes within business hours,First resolution time in minutes,First resolution time in minutes within business hours,Full resolution time in minutes,Full resolution time in minutes within business hours,Agent wait time in minutes,Agent wait time in minutes within business hours,Requester wait time in minutes,Requester wait time in minutes within business hours,On hold time in minutes,On hold time in minutes within business hours"),
        ("product_events.csv", "user_id,account_id,event,timestamp,platform"),
        ("ces_responses.csv", "respondent id,date,effort score"),
        ("retention_spend.csv", "date,category,amount,currency"),
    ];
    for (name, header) in expected {
        let first_line = file(name).bytes.split(|byte| *byte == b'\n').next().unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(first_line), header, "header of {name}");
    }
}

#[test]
fn header_prefixes_match_vendor_exports() {
    let expected = [
        ("hubspot_companies.csv", "Record ID,Company name,Company owner,Create Date,Last Activity Date,"),
        ("typeform_csat.csv", "#,"),
        ("delighted_nps.csv", "Response ID,"),
    ];
    for (name, prefix) in expected {
        assert!(file(name).bytes.starts_with(prefix.as_bytes()), "header of {name}");
    }
    let accounts = Table::parse("hubspot_companies.csv");
    for column in ["Plan", "Region", "Company size", "Stripe Customer ID"] {
        accounts.column(column);
    }
    let csat = Table::parse("typeform_csat.csv");
    for column in ["Response Type", "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)", "Network ID"] {
        csat.column(column);
    }
}

#[test]
fn rows_have_the_header_width() {
    for file in default_files().iter().filter(|file| file.name.ends_with(".csv")) {
        let mut reader = csv::Reader::from_reader(file.bytes.as_slice());
        let width = reader.headers().expect("header").len();
        for record in reader.records() {
            let record = record.unwrap_or_else(|error| panic!("{}: {error}", file.name));
            assert_eq!(record.len(), width, "a row of {} has the wrong width", file.name);
        }
    }
}

#[test]
fn mixpanel_lines_have_raw_export_shape() {
    let text = std::str::from_utf8(&file("mixpanel_events.jsonl").bytes).expect("UTF-8");
    let csv_rows = Table::parse("product_events.csv").rows.len();
    assert_eq!(text.lines().count(), csv_rows, "the two event files hold different counts");
    for line in text.lines().take(1_000) {
        let event: serde_json::Value = serde_json::from_str(line).expect("JSON");
        assert!(event["event"].is_string());
        let properties = &event["properties"];
        assert!(properties["time"].is_i64());
        for key in ["distinct_id", "$insert_id", "account_id", "plan"] {
            assert!(properties[key].is_string(), "{key} missing in {line}");
        }
    }
}

#[test]
fn every_payment_has_a_subscription() {
    let services = services_by_customer();
    let payments = Table::parse("stripe_unified_payments.csv");
    for customer in payments.values("Customer ID") {
        assert!(services.contains_key(customer), "payment of {customer} without a subscription");
    }
}

#[test]
fn no_payment_outside_service() {
    let services = services_by_customer();
    let payments = Table::parse("stripe_unified_payments.csv");
    let customers = payments.values("Customer ID");
    let created = payments.values("Created date (UTC)");
    for (customer, created) in customers.into_iter().zip(created) {
        let services = &services[customer];
        let paid_at = seconds(created);
        if let Some(end) = final_end(services) {
            assert!(paid_at <= end, "payment of {customer} at {created} after its final end");
        }
        assert!(is_in_service(services, paid_at, 1), "payment of {customer} at {created} outside service");
    }
}

#[test]
fn no_events_after_churn() {
    let services = services_by_customer();
    let events = Table::parse("product_events.csv");
    for (account, timestamp) in events.values("account_id").into_iter().zip(events.values("timestamp")) {
        let services = services.get(account).unwrap_or_else(|| panic!("events of unknown account {account}"));
        let at = seconds(timestamp);
        if let Some(end) = final_end(services) {
            assert!(at < end + DAY, "event of {account} at {timestamp} after churn");
        }
        assert!(is_in_service(services, at, DAY), "event of {account} at {timestamp} outside service");
    }
}

#[test]
fn no_tickets_outside_service() {
    let services = services_by_customer();
    let accounts = Table::parse("hubspot_companies.csv");
    let customer_of: BTreeMap<&str, &str> =
        accounts.values("Company Domain Name").into_iter().zip(accounts.values("Stripe Customer ID")).collect();
    let tickets = Table::parse("zendesk_tickets.csv");
    for (domain, created) in tickets.values("Requester domain").into_iter().zip(tickets.values("Created at")) {
        // Two customers can share a made-up domain; check only the unambiguous ones.
        if accounts.values("Company Domain Name").iter().filter(|other| **other == domain).count() != 1 {
            continue;
        }
        let services = &services[customer_of[domain]];
        assert!(is_in_service(services, seconds(created), 0), "ticket of {domain} at {created} outside service");
    }
}

#[test]
fn reactivated_customers_exist() {
    let reactivated = services_by_customer()
        .values()
        .filter(|services| {
            services.windows(2).any(|pair| pair[0].end.is_some_and(|end| pair[1].start > end + DAY))
        })
        .count();
    assert!(reactivated >= 3, "only {reactivated} reactivated customers");
}

#[test]
fn billing_edge_cases_are_present() {
    let subscriptions = Table::parse("stripe_subscriptions.csv");
    let payments = Table::parse("stripe_unified_payments.csv");
    let coupons = subscriptions.values("Coupon");
    assert!(coupons.contains(&"PARTNER100"), "no forever 100% coupon");
    assert!(coupons.contains(&"FREE3MONTHS"), "no repeating 100% coupon");
    assert!(coupons.contains(&"WELCOME20"), "no repeating partial coupon");
    assert!(subscriptions.values("Interval").contains(&"year"), "no annual plan");
    assert!(subscriptions.values("Trial Start (UTC)").iter().any(|start| !start.is_empty()), "no trial");
    assert!(subscriptions.values("Status").contains(&"trialing") || subscriptions.values("Status").contains(&"past_due"));
    assert!(subscriptions.values("Cancellation Reason").contains(&"payment_failed"), "no involuntary churn");
    assert!(subscriptions.values("Currency").contains(&"eur"), "no EUR subscription");
    assert!(payments.values("Currency").contains(&"eur"), "no EUR payment");
    assert!(payments.values("Status").contains(&"Failed"), "no failed charge");
    assert!(payments.values("Amount Refunded").iter().any(|amount| *amount != "0.00"), "no refund");
}

#[test]
fn partners_on_full_discount_never_pay() {
    let subscriptions = Table::parse("stripe_subscriptions.csv");
    let partners: BTreeSet<&str> = subscriptions
        .values("Customer ID")
        .into_iter()
        .zip(subscriptions.values("Coupon"))
        .filter(|(_, coupon)| *coupon == "PARTNER100")
        .map(|(customer, _)| customer)
        .collect();
    let always_partner: Vec<&str> = partners
        .into_iter()
        .filter(|customer| {
            subscriptions.rows.iter().all(|row| {
                row[subscriptions.column("Customer ID")] != *customer || row[subscriptions.column("Coupon")] == "PARTNER100"
            })
        })
        .collect();
    assert!(!always_partner.is_empty());
    let payments = Table::parse("stripe_unified_payments.csv");
    let payers: BTreeSet<&str> = payments.values("Customer ID").into_iter().collect();
    for customer in always_partner {
        assert!(!payers.contains(customer), "partner {customer} was charged");
    }
}

#[test]
fn survey_scores_cover_their_scales() {
    let scores = |name: &str, column: &str| -> BTreeSet<i64> {
        let table = Table::parse(name);
        table.values(column).into_iter().filter(|score| !score.is_empty()).map(|score| score.parse().expect("score")).collect()
    };
    assert_eq!(scores("delighted_nps.csv", "Score"), (0..=10).collect());
    assert_eq!(scores("typeform_csat.csv", "How satisfied were you with our support? (1-5)"), (1..=5).collect());
    assert_eq!(scores("ces_responses.csv", "effort score"), (1..=7).collect());
}

#[test]
fn ticket_satisfaction_uses_zendesk_values() {
    let tickets = Table::parse("zendesk_tickets.csv");
    let values: BTreeSet<&str> = tickets.values("Satisfaction Score").into_iter().collect();
    assert_eq!(values, ["Bad", "Good", "Offered", "Unoffered"].into_iter().collect());
    assert!(tickets.values("Reopens").iter().any(|reopens| *reopens != "0"));
}

#[test]
fn nps_is_lower_before_churn() {
    let churned = churned_by_request();
    let running: BTreeSet<String> = services_by_customer()
        .into_iter()
        .filter(|(_, services)| final_end(services).is_none())
        .map(|(customer, _)| customer)
        .collect();
    let nps = Table::parse("delighted_nps.csv");
    let (mut before_churn, mut staying) = (Vec::new(), Vec::new());
    let answers = nps.values("Account ID").into_iter().zip(nps.values("Score")).zip(nps.values("Created At (UTC)"));
    for ((account, score), answered) in answers {
        let score: f64 = score.parse().expect("score");
        match churned.get(account) {
            Some(end) if end - seconds(answered) < 180 * DAY => before_churn.push(score),
            Some(_) => {}
            None if running.contains(account) => staying.push(score),
            None => {}
        }
    }
    let mean = |scores: &[f64]| scores.iter().sum::<f64>() / scores.len() as f64;
    assert!(before_churn.len() >= 30, "only {} responses in the half year before churn", before_churn.len());
    let (churn_mean, staying_mean) = (mean(&before_churn), mean(&staying));
    assert!(
        churn_mean + 1.0 < staying_mean,
        "mean NPS score {churn_mean:.2} in the half year before churn, {staying_mean:.2} of staying customers"
    );
}

#[test]
fn usage_fades_before_churn() {
    let churned = churned_by_request();
    let events = Table::parse("product_events.csv");
    let (mut last_month, mut two_months_before) = (0, 0);
    for (account, timestamp) in events.values("account_id").into_iter().zip(events.values("timestamp")) {
        let Some(end) = churned.get(account) else {
            continue;
        };
        let days_before = (end - seconds(timestamp)) / DAY;
        match days_before {
            0..30 => last_month += 1,
            60..90 => two_months_before += 1,
            _ => {}
        }
    }
    assert!(last_month * 2 < two_months_before, "{last_month} events in the last month, {two_months_before} two months before");
}

#[test]
fn spend_has_a_row_per_month_and_category() {
    let spend = Table::parse("retention_spend.csv");
    assert_eq!(spend.rows.len(), 24 * 4);
    assert_eq!(spend.values("date").first(), Some(&"2024-11-01"));
    assert_eq!(spend.values("date").last(), Some(&"2026-10-01"));
}

/// Counts newline bytes without keeping the output.
struct LineCounter {
    lines: u64,
}

impl Write for LineCounter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.lines += bytes.iter().filter(|byte| **byte == b'\n').count() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn million_event_target_within_one_percent() {
    let mut size = SampleSize::small();
    size.events = Some(1_000_000);
    let sample = SampleCompany::simulate(SEED, size);
    let mut counter = LineCounter { lines: 0 };
    sample.write(SampleExport::EventsCsv, &mut counter).expect("write");
    let rows = counter.lines - 1;
    assert!(rows.abs_diff(1_000_000) <= 10_000, "{rows} event rows");
}

#[test]
fn subscription_and_payment_targets_add_customers() {
    let mut size = SampleSize::small();
    size.customers = 10;
    size.subscriptions = Some(500);
    size.payments = Some(3_000);
    size.events = Some(0);
    let sample = SampleCompany::simulate(SEED, size);
    let subscriptions: usize = sample.company.customers.iter().map(|customer| customer.subscriptions.len()).sum();
    assert!(subscriptions >= 500);
    let mut counter = LineCounter { lines: 0 };
    sample.write(SampleExport::Payments, &mut counter).expect("write");
    assert!(counter.lines - 1 >= 3_000);
}

#[test]
fn generator_binary_writes_event_target() {
    let out = std::env::temp_dir().join(format!("headlights-sample-{}", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_generate-sample"))
        .args(["--seed", "3", "--customers", "40", "--events", "50000", "--out"])
        .arg(&out)
        .output()
        .expect("run generate-sample");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let events = std::fs::read_to_string(out.join("product_events.csv")).expect("events file");
    let rows = events.lines().count() as u64 - 1;
    assert!(rows.abs_diff(50_000) <= 500, "{rows} event rows");
    let jsonl = std::fs::read_to_string(out.join("mixpanel_events.jsonl")).expect("JSON lines file");
    assert_eq!(jsonl.lines().count() as u64, rows);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn generator_binary_rejects_bad_flags() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_generate-sample"))
        .args(["--events", "lots"])
        .output()
        .expect("run generate-sample");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value \"lots\" for --events"));
}
