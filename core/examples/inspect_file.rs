//! Reads the files named on the command line and prints what ingest made of each: the data
//! kind, the role of every column and the first row problems.
//!
//!     cargo run -p headlights-core --example inspect_file -- export.csv

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).expect("readable file");
        match headlights_core::ingest::read_file(&path, &bytes) {
            Ok(file) => {
                let roles: Vec<String> = file.columns.iter().map(|column| format!("{}={:?}", column.header, column.role)).collect();
                println!("{path}: {} rows as {}; {}", file.rows_read, file.dataset.kind_label(), roles.join(", "));
                for problem in file.problems.iter().take(3) {
                    println!("  problem: {problem}");
                }
            }
            Err(error) => println!("{path}: {error}"),
        }
    }
}
