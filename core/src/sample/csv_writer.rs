//! Shared pieces of the CSV exports: the writer settings and the text form of amounts.

use std::io::Write;

/// A CSV writer with `\n` line ends that quotes only the fields that need it. It rejects a row
/// whose length differs from the header's, which catches a column left out of a wide export.
pub fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out)
}

/// An amount in minor units as major units with two decimals: `1500` → `15.00`, `-5` → `-0.05`.
pub fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

/// Splits a header written as one comma-separated line into its column names.
pub fn columns(header: &str) -> Vec<&str> {
    header.split(',').collect()
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_pads_minor_units() {
        assert_eq!(money(1500), "15.00");
        assert_eq!(money(7), "0.07");
        assert_eq!(money(-5), "-0.05");
    }
}
