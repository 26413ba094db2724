//! Parser throughput on a generated 1,000,000-row event log and on cdnow_master.txt.
//!
//! Ignored by default because it is a measurement, not a check, and is only meaningful in a
//! release build: `cargo test --release -p headlights-core --test ingest_throughput -- --ignored --nocapture`.

use std::path::PathBuf;
use std::time::Instant;

use headlights_core::ingest::read_file;

fn report(name: &str, bytes: &[u8]) -> usize {
    let start = Instant::now();
    let file = read_file(name, bytes).unwrap_or_else(|error| panic!("{error}"));
    let seconds = start.elapsed().as_secs_f64();
    let megabytes = bytes.len() as f64 / 1e6;
    println!("{name}: {megabytes:.1} MB, {} rows in {seconds:.2} s = {:.1} MB/s", file.rows_read, megabytes / seconds);
    file.rows_read
}

#[test]
#[ignore = "a measurement; run in release with --ignored"]
fn throughput_of_generated_events_and_cdnow() {
    let mut text = String::from("user_id,event,timestamp,platform\n");
    let events = ["login", "view_report", "export", "invite_sent", "logout"];
    let platforms = ["web", "ios", "android"];
    for row in 0..1_000_000u64 {
        let seconds = row * 37 % 86_400;
        text.push_str(&format!(
            "user_{:05},{},2024-{:02}-{:02} {:02}:{:02}:{:02},{}\n",
            row * 7919 % 50_000,
            events[(row % 5) as usize],
            row % 12 + 1,
            row % 28 + 1,
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
            platforms[(row % 3) as usize]
        ));
    }
    assert_eq!(report("events.csv", text.as_bytes()), 1_000_000);

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets/real/cdnow_master.txt");
    let cdnow = std::fs::read(path).expect("cdnow_master.txt is readable");
    assert_eq!(report("cdnow_master.txt", &cdnow), 69_659);
}
