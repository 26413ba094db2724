//! A short run of the engine on generated files, so that the first real file runs at full speed.
//!
//! Browsers start WebAssembly in a baseline compiler and recompile a function with their
//! optimising compiler only once it has run for a while. Measured in Chromium 156, the first
//! 100,000-row file a fresh worker read took 2.7 times as long as the second one, and its
//! dashboard 3 times as long, because most of the first run happened in baseline code. The
//! worker calls [`warm_up`] right after it starts, while the user is still choosing a file.

use crate::ingest::part::read_in_parts;
use crate::ingest::{Progress, ReadOptions};
use crate::metrics::DashboardOptions;
use crate::session::{Reading, Session};

/// Event rows in the generated product-event log: enough for the per-row loops to be
/// recompiled, few enough to finish in well under a second in a cold worker.
const EVENT_ROWS: usize = 20_000;

/// Payment rows in the generated transaction log.
const PAYMENT_ROWS: usize = 10_000;

/// Reads a generated product-event log and a generated transaction log and builds their
/// dashboard, then drops everything. Returns the number of rows read, which is
/// [`EVENT_ROWS`] plus [`PAYMENT_ROWS`] unless the engine rejected a row.
pub fn warm_up() -> usize {
    let mut session = Session::new();
    let mut quiet = |_: Progress| {};
    let (event_bytes, payment_bytes) = (event_log(EVENT_ROWS), payment_log(PAYMENT_ROWS));

    let events = session.load(1, "warm-up-events.csv", &event_bytes, &Reading::default(), &mut quiet);
    let payments = session.load(2, "warm-up-payments.csv", &payment_bytes, &Reading::default(), &mut quiet);
    let dashboard = session.dashboard(&DashboardOptions::default());
    std::hint::black_box(dashboard);

    // Chromium switches a function to its optimised code at the next call, not during the one
    // under way. The steps only a file read in two parts takes, such as encoding and appending
    // the second part's rows, are run here too, so that their first real call is not baseline
    // code throughout. Measured on 1M payments, the part worker typed and sent its half in 112
    // to 120 ms with them warmed against 160 to 206 ms without.
    for (name, bytes) in [("warm-up-events.csv", &event_bytes), ("warm-up-payments.csv", &payment_bytes)] {
        std::hint::black_box(read_in_parts(name, bytes, &ReadOptions::default(), None));
    }

    [events, payments].iter().map(|summary| summary.as_ref().map_or(0, |summary| summary.rows_read)).sum()
}

/// Writes a product-event CSV in the common export shape: user, account, event name, a timestamp
/// with seconds, and a plan, spread over about 90 days.
fn event_log(rows: usize) -> Vec<u8> {
    const EVENTS: [&str; 6] = ["login", "open_dashboard", "export_report", "invite_user", "create_alert", "view_chart"];
    const PLANS: [&str; 3] = ["free", "pro", "enterprise"];

    let mut text = String::from("user_id,account_id,event,timestamp,plan\n");
    for row in 0..rows {
        let user = (row * 7_919) % 3_000;
        let second_of_span = row * 389;
        let (day, second) = (second_of_span / 86_400, second_of_span % 86_400);
        let (month, day_of_month) = (1 + day / 30, 1 + day % 28);
        text.push_str(&format!(
            "u{user},acct{account},{event},2024-{month:02}-{day_of_month:02} {hour:02}:{minute:02}:{second:02},{plan}\n",
            account = user / 10,
            event = EVENTS[row % EVENTS.len()],
            hour = second / 3_600,
            minute = second / 60 % 60,
            second = second % 60,
            plan = PLANS[user % PLANS.len()],
        ));
    }
    text.into_bytes()
}

/// Writes a transaction CSV: customer, ISO date, amount with cents, currency code.
fn payment_log(rows: usize) -> Vec<u8> {
    let mut text = String::from("customer_id,date,amount,currency\n");
    for row in 0..rows {
        let customer = (row * 104_729) % 1_500;
        let day = row * 90 / rows;
        let (month, day_of_month) = (1 + day / 30, 1 + day % 28);
        let cents = 1_000 + (row * 7_907) % 50_000;
        text.push_str(&format!("{customer},2024-{month:02}-{day_of_month:02},{}.{:02},USD\n", cents / 100, cents % 100));
    }
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_file_with;

    #[test]
    fn warm_up_reads_every_generated_row() {
        assert_eq!(warm_up(), EVENT_ROWS + PAYMENT_ROWS);
    }

    #[test]
    fn generated_logs_read_in_two_parts() {
        for bytes in [event_log(EVENT_ROWS), payment_log(PAYMENT_ROWS)] {
            let in_parts = read_in_parts("generated.csv", &bytes, &ReadOptions::default(), None);
            assert!(matches!(in_parts, Some(Ok(_))), "the generated log must take the two-part path");
        }
    }

    #[test]
    fn generated_logs_read_as_events_and_transactions() {
        let events = read_file_with("events.csv", &event_log(100), &ReadOptions::default(), &mut |_| {}).expect("events read");
        let payments = read_file_with("payments.csv", &payment_log(100), &ReadOptions::default(), &mut |_| {}).expect("payments read");

        assert_eq!(events.summary().kind_label, "product events");
        assert_eq!(payments.summary().kind_label, "transactions");
    }
}
