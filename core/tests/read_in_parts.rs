//! Reading a file in two parts, as two workers do, gives exactly what reading it whole gives:
//! the same typed rows, roles, samples, problems and line numbers.

mod support;

use headlights_core::ingest::part::read_in_parts;
use headlights_core::ingest::{read_file_mapped, read_file_with, LoadedFile, ReadOptions};
use headlights_core::sample::{sample_company, SampleSize};

/// Reads `bytes` whole and in parts and checks that both readings are equal.
fn assert_parts_equal_whole(name: &str, bytes: &[u8]) -> LoadedFile {
    let whole = read_file_with(name, bytes, &ReadOptions::default(), &mut |_| {}).expect("the file reads whole");
    let parts = read_in_parts(name, bytes, &ReadOptions::default(), None).expect("the file reads in parts").expect("the parts read");
    assert_same(&format!("{parts:?}"), &format!("{whole:?}"), name);

    let mapped = read_file_mapped(name, bytes, &whole.mapping, &mut |_| {}).expect("the file reads with its mapping");
    let mapped_parts = read_in_parts(name, bytes, &whole.mapping.options, Some(&whole.mapping)).expect("mapped in parts").expect("the parts read");
    assert_same(&format!("{mapped_parts:?}"), &format!("{mapped:?}"), &format!("{name} with its mapping"));
    whole
}

/// Fails with the first difference between two long texts, in context.
fn assert_same(parts: &str, whole: &str, what: &str) {
    let Some(at) = parts.bytes().zip(whole.bytes()).position(|(left, right)| left != right).or((parts.len() != whole.len()).then(|| parts.len().min(whole.len()))) else { return };
    let window = |text: &str| text.get(at.saturating_sub(150)..(at + 150).min(text.len())).unwrap_or("").to_string();
    panic!("{what}: the readings differ at byte {at}:\nin parts: …{}…\nwhole:    …{}…", window(parts), window(whole));
}

fn sample_export(name: &str) -> Vec<u8> {
    let size = SampleSize { events: Some(40_000), ..SampleSize::small() };
    sample_company(7, size).into_iter().find(|file| file.name == name).unwrap_or_else(|| panic!("the sample has {name}")).bytes
}

#[test]
fn sample_event_log() {
    let loaded = assert_parts_equal_whole("product_events.csv", &sample_export("product_events.csv"));
    assert_eq!(loaded.dataset.kind_label(), "product events");
}

#[test]
fn shared_event_log() {
    let bytes = std::fs::read(support::dataset_path("synthetic/ecom_events.csv")).expect("the shared data sets are beside the repository");
    assert_parts_equal_whole("ecom_events.csv", &bytes);
}

#[test]
fn payments_with_late_problems() {
    // Customers, a currency that appears only in the second half, a failed payment and a
    // refund, an unreadable date and a ragged row far down the file.
    let mut text = String::from("customer_id,date,amount,currency,status\n");
    for row in 0..6000 {
        let currency = if row > 4000 && row % 7 == 0 { "eur" } else { "USD" };
        let status = if row % 97 == 0 { "failed" } else { "succeeded" };
        text.push_str(&format!("c{},2024-{:02}-{:02},{}.{:02},{currency},{status}\n", row % 450, row % 12 + 1, row % 28 + 1, row % 300, row % 100));
    }
    text.push_str("c1,not a date,10.00,USD,succeeded\nc2,2024-01-01\n\n");
    let loaded = assert_parts_equal_whole("payments.csv", text.as_bytes());
    assert_eq!(loaded.problem_count, 2);
    assert!(loaded.problems.iter().any(|problem| problem.line == 6002), "{:?}", loaded.problems);
}

#[test]
fn events_with_late_attributes() {
    // Accounts and plans that users only get in the second half, and users first seen there.
    let mut text = String::from("user_id,timestamp,event,account_id,plan\n");
    for row in 0..8000 {
        let user = if row < 4000 { row % 300 } else { row % 500 };
        let account = if row > 4500 { format!("acct{}", user % 40) } else { String::new() };
        let plan = if row % 3 == 0 || row > 5000 { ["pro", "team", "free"][user % 3] } else { "" };
        text.push_str(&format!("u{user},2024-03-{:02} 10:{:02}:00,{},{account},{plan}\n", row % 28 + 1, row % 60, ["login", "export", "share"][row % 3]));
    }
    assert_parts_equal_whole("events.csv", text.as_bytes());
}

#[test]
fn quoted_and_small_files_stay_whole() {
    let mut quoted = String::from("customer_id,date,amount\n");
    for row in 0..3000 {
        quoted.push_str(&format!("\"c{row}\",2024-01-01,1.00\n"));
    }
    assert!(read_in_parts("quoted.csv", quoted.as_bytes(), &ReadOptions::default(), None).is_none());
    assert!(read_in_parts("small.csv", b"customer_id,date,amount\nc1,2024-01-01,1.00\n", &ReadOptions::default(), None).is_none());
}
