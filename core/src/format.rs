//! Number formatting for cards, tables and chart axes, shared by the charts and the UI.

/// Groups the digits of a whole number by thousands: `23570` → `23,570`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// Formats a money amount in major units with two decimals and grouped thousands:
/// `2500315.63` → `2,500,315.63`.
pub fn money(major: f64) -> String {
    let cents = (major.abs() * 100.0).round() as u64;
    let sign = if major < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// Formats an amount compactly for axis ticks: `950`, `12.5k`, `2.5M`.
pub fn money_compact(major: f64) -> String {
    let magnitude = major.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (major / 1e9, "B")
    } else if magnitude >= 1e6 {
        (major / 1e6, "M")
    } else if magnitude >= 1e3 {
        (major / 1e3, "k")
    } else {
        return format!("{major:.0}");
    };
    let text = format!("{scaled:.1}");
    format!("{}{suffix}", text.strip_suffix(".0").unwrap_or(&text))
}

/// Formats a fraction as a percentage with one decimal: `0.26537` → `26.5%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Formats a signed fraction as a change: `+4.2%`, `−3.0%` (with a true minus sign).
pub fn signed_percent(fraction: f64) -> String {
    let text = format!("{:.1}%", fraction.abs() * 100.0);
    if fraction < 0.0 && text != "0.0%" {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// Formats a byte count for file summaries: `977501` → `954.6 KB` (units of 1024).
pub fn bytes(count: usize) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut value = count as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{count} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(thousands(23570), "23,570");
        assert_eq!(thousands(999), "999");
        assert_eq!(money(2500315.63), "2,500,315.63");
        assert_eq!(money(-0.5), "-0.50");
        assert_eq!(money_compact(2_500_000.0), "2.5M");
        assert_eq!(money_compact(12_000.0), "12k");
        assert_eq!(percent(0.26537), "26.5%");
        assert_eq!(signed_percent(-0.03), "−3.0%");
        assert_eq!(bytes(977_501), "954.6 KB");
    }
}

/// Formats one CSV field: quoted when it holds a comma, quote or line break, and neutralised
/// when it is text starting with `=`, `+`, `-`, `@`, a tab or a carriage return, which
/// spreadsheets would run as a formula (a leading `'` makes them show it as text). Plain
/// numbers such as `-12.50` are left as they are.
pub fn csv_field(value: &str) -> String {
    let formula_start = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let is_number = value.parse::<f64>().is_ok();
    let text = if formula_start && !is_number { format!("'{value}") } else { value.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod csv_tests {
    use super::csv_field;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("+1 555"), "'+1 555");
        assert_eq!(csv_field("-12.50"), "-12.50");
        assert_eq!(csv_field("Smith, J"), "\"Smith, J\"");
        assert_eq!(csv_field("00042"), "00042");
    }
}
