//! Feeds arbitrary bytes to `read_file`: any panic, hang or memory blow-up is a bug, because
//! user files must only ever produce a dataset or an `IngestError`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = headlights_core::ingest::read_file("fuzz.csv", bytes);
});
