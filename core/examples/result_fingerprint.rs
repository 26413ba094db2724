//! Prints a fingerprint of everything ingest and the dashboard produce for each file named on
//! the command line: the `Debug` text of the loaded file (typed dataset, column roles,
//! ambiguities, row problems) and of the dashboard, each hashed with SipHash under fixed keys.
//! Two builds that print the same lines produced the same results; use it to check that a
//! speed-up changes nothing. For files that can be read in two parts (see
//! `headlights_core::ingest::part`), it also prints on stderr whether that reading is the same.
//!
//!     cargo run --release -p headlights-core --example result_fingerprint -- FILE...

use std::fmt::Write as _;
use std::hash::Hasher;

use headlights_core::ingest::part::read_in_parts;
use headlights_core::ingest::{read_file, ReadOptions};
use headlights_core::metrics::{build_dashboard, DashboardOptions};

/// Streams formatted text into a hasher, so that no large string is built.
struct HashWriter(std::hash::DefaultHasher);

impl std::fmt::Write for HashWriter {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.write(text.as_bytes());
        Ok(())
    }
}

/// Returns the hash of a value's `Debug` text. `DefaultHasher::new` uses fixed keys, so the
/// hash is the same in every run of the same Rust release.
fn fingerprint(value: &impl std::fmt::Debug) -> u64 {
    let mut writer = HashWriter(std::hash::DefaultHasher::new());
    write!(writer, "{value:?}").expect("writing to a hasher cannot fail");
    writer.0.finish()
}

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
        match read_file(&path, &bytes) {
            Ok(loaded) => {
                let dashboard = build_dashboard(&[&loaded.dataset], &DashboardOptions::default());
                println!("{path}: ingest {:016x} dashboard {:016x}", fingerprint(&loaded), fingerprint(&dashboard));
                if let Some(parts) = read_in_parts(&path, &bytes, &ReadOptions::default(), None) {
                    let same = parts.is_ok_and(|parts| fingerprint(&parts) == fingerprint(&loaded));
                    eprintln!("{path}: read in two parts, {}", if same { "the same result" } else { "A DIFFERENT RESULT" });
                }
            }
            Err(error) => println!("{path}: error {:016x} {error}", fingerprint(&error)),
        }
    }
}
