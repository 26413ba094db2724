//! Drives the paths a user takes with a file that no data kind fits. The target calls
//! `read_file_mapped` with a mapping decoded from the first bytes of the input. Then it calls
//! `read_file_or_columns`, edits the guessed mapping with those bytes and calls
//! `read_file_mapped` again. Any panic, hang or memory blow-up is a bug, because each call must
//! return a dataset or an `IngestError`.
//!
//! Input layout: byte 0 picks the kind, byte 1 the reading options, byte 2 the number of
//! role bytes that follow (modulo 32), each a role or `None` per column. The rest is the file.
#![no_main]

use headlights_core::ingest::dialect::Separator;
use headlights_core::ingest::{read_file_mapped, read_file_or_columns, DataKind, DateOrder, DecimalSeparator, Mapping, ReadOptions, ReadOutcome, Role};
use libfuzzer_sys::fuzz_target;

const FILE_NAME: &str = "fuzz.csv";

/// Lists every role that some kind reads, each once, so that a role byte can also pick a role
/// the chosen kind does not read.
fn all_roles() -> Vec<Role> {
    let mut roles = Vec::new();
    for kind in DataKind::ALL {
        for role in kind.roles() {
            if !roles.contains(role) {
                roles.push(*role);
            }
        }
    }
    roles
}

/// Decodes the option byte. Bits 0-1 set the header rows (detect, 0, 1 or 3), bit 2 the date
/// order, bit 3 the decimal separator and bits 4-6 the separator (detect unless 1 to 5). Bit 7
/// adds a "-99" missing sentinel and names for the first two columns.
fn options_from(byte: u8) -> ReadOptions {
    let header_rows = match byte & 0b11 {
        0 => None,
        1 => Some(0),
        2 => Some(1),
        _ => Some(3),
    };
    let separator = match (byte >> 4) & 0b111 {
        1 => Some(Separator::Char(b',')),
        2 => Some(Separator::Char(b';')),
        3 => Some(Separator::Char(b'\t')),
        4 => Some(Separator::Char(b'|')),
        5 => Some(Separator::Whitespace),
        _ => None,
    };
    let extras = byte & 0x80 != 0;
    ReadOptions {
        header_rows,
        column_names: if extras { vec!["customer".to_string(), " ".to_string()] } else { Vec::new() },
        separator,
        date_order: Some(if byte & 0b100 != 0 { DateOrder::DayFirst } else { DateOrder::MonthFirst }),
        decimal_separator: Some(if byte & 0b1000 != 0 { DecimalSeparator::Comma } else { DecimalSeparator::Point }),
        missing_sentinels: if extras { vec!["-99".to_string()] } else { Vec::new() },
        sheet: None,
    }
}

/// Maps a role byte to a column's role: 0 leaves the column unused, odd values pick one of the
/// kind's own roles and even values any role.
fn role_from(byte: u8, kind: DataKind, every_role: &[Role]) -> Option<Role> {
    if byte == 0 {
        return None;
    }
    let index = usize::from(byte >> 1);
    if byte & 1 == 1 {
        Some(kind.roles()[index % kind.roles().len()])
    } else {
        Some(every_role[index % every_role.len()])
    }
}

fuzz_target!(|input: &[u8]| {
    let [kind_byte, options_byte, role_count, rest @ ..] = input else { return };
    let role_count = usize::from(*role_count % 32).min(rest.len());
    let (role_bytes, file) = rest.split_at(role_count);

    let kind = DataKind::ALL[usize::from(*kind_byte) % DataKind::ALL.len()];
    let options = options_from(*options_byte);
    let every_role = all_roles();
    let roles: Vec<Option<Role>> = role_bytes.iter().map(|byte| role_from(*byte, kind, &every_role)).collect();

    let mapping = Mapping { kind, roles, options: options.clone() };
    let _ = read_file_mapped(FILE_NAME, file, &mapping, &mut |_| {});

    // The mapping panel's flow: read the columns, let the user change the guessed kind and
    // roles, then read the file with them.
    let guessed = match read_file_or_columns(FILE_NAME, file, &options, &mut |_| {}) {
        Ok(ReadOutcome::Unrecognised { summary, .. }) => summary.mapping,
        Ok(ReadOutcome::Recognised(loaded)) => loaded.mapping,
        Err(_) => return,
    };
    let mut edited = guessed;
    edited.set_kind(kind);
    for (column, byte) in role_bytes.iter().enumerate() {
        edited.set_role(column, role_from(*byte, kind, &every_role));
    }
    let _ = read_file_mapped(FILE_NAME, file, &edited, &mut |_| {});
});
