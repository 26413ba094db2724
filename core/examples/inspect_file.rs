//! Reads the files named on the command line and prints what ingest made of each: the data
//! kind, the role of every column and the first row problems. Then prints every dashboard card
//! computed from all of them together.
//!
//!     cargo run -p headlights-core --example inspect_file -- export.csv [more files…]

use headlights_core::ingest::read_file;
use headlights_core::metrics::{build_dashboard, DashboardOptions};

fn main() {
    let mut datasets = Vec::new();
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
        match read_file(&path, &bytes) {
            Ok(file) => {
                let roles: Vec<String> =
                    file.columns.iter().map(|column| format!("{}={:?}", column.header, column.role)).collect();
                println!("{path}: {} rows as {}; {}", file.rows_read, file.dataset.kind_label(), roles.join(", "));
                for problem in file.problems.iter().take(3) {
                    println!("  problem: {problem}");
                }
                datasets.push(file.dataset);
            }
            Err(error) => println!("{path}: {error}"),
        }
    }

    let references: Vec<_> = datasets.iter().collect();
    let dashboard = build_dashboard(&references, &DashboardOptions::default());
    for card in &dashboard.cards {
        match &card.reading {
            Ok(reading) => println!("{:24} {:>16}  {} (n = {} {})", card.id, reading.display, reading.period, reading.n, reading.n_label),
            Err(reason) => println!("{:24} unavailable: {reason}", card.id),
        }
    }
}
