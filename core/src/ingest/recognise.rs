//! A text table to a typed dataset: profile every column, decide its format, detect the data
//! kind and roles (or take the user's mapping), then type the rows.

use super::build_activity;
use super::build_money;
use super::dataset::Dataset;
use super::detect::{detect, guess_transactions};
use super::error::{IngestError, RowProblem};
use super::mapping::{DataKind, ReadOptions};
use super::profile::{Ambiguity, ColumnFormat, ColumnProfile, DateEncoding, DetectedSentinel, ValueType};
use super::roles::{matching_form, names_a_time, normalise_header, Candidate, ColumnMapping, Role, SAMPLE_VALUES};
use super::rows::{is_missing_with, Context, RoleMap};
use super::table::TextTable;
use super::values::{parse_number, read_written_date, DecimalSeparator};

/// A recognised table: the typed dataset, the role of every column, and the values that could
/// not be read (their rows are left out of the dataset).
pub struct Recognised {
    pub dataset: Dataset,
    pub kind: DataKind,
    pub roles: Vec<Option<Role>>,
    pub columns: Vec<ColumnMapping>,
    pub problems: Vec<RowProblem>,
    pub excluded_rows: usize,
    pub ambiguities: Vec<Ambiguity>,
    pub sentinels: Vec<DetectedSentinel>,
}

/// A table that no data kind fits: the columns with their types and sample values, a guess
/// at the kind and roles for the user to complete, and the error that names the missing roles.
pub struct Unrecognised {
    pub kind: DataKind,
    pub roles: Vec<Option<Role>>,
    pub columns: Vec<ColumnMapping>,
    pub ambiguities: Vec<Ambiguity>,
    pub sentinels: Vec<DetectedSentinel>,
    /// An [`IngestError::Unrecognised`].
    pub error: IngestError,
}

/// The result of [`recognise`]: a typed table, or only its columns.
pub enum Recognition {
    Typed(Recognised),
    Untyped(Unrecognised),
}

/// Decides the format of every column, applying the user's date order and decimal separator
/// where given, and lists the choices the values could not settle. `semicolons` is true when
/// the file's fields are separated by semicolons, a hint for the decimal separator.
fn column_formats(table: &TextTable, later: &[Vec<String>], profiles: &[ColumnProfile], options: &ReadOptions, semicolons: bool) -> (Vec<ColumnFormat>, Vec<Ambiguity>) {
    let mut ambiguities = Vec::new();
    let mut undecided_decimals = Vec::new();
    let mut formats: Vec<ColumnFormat> = profiles
        .iter()
        .enumerate()
        .map(|(index, profile)| {
            let header = &table.headers[index];
            let mut format = profile.format(names_a_time(&matching_form(header)));
            if let Some(decimal) = options.decimal_separator {
                format.decimal = decimal;
                if format.value_type == ValueType::Text && profile.non_missing > 0 && profile.comma_numbers + profile.point_numbers > 0 {
                    format = profile_with_decimal(profile, format);
                }
            }
            if let DateEncoding::Written(_) = format.dates {
                match options.date_order {
                    Some(order) => format.dates = DateEncoding::Written(order),
                    None if format.value_type == ValueType::Date && profile.date_order().1 && profile_has_slash_dates(profile) && has_order_dependent_date(table, index) => {
                        ambiguities.push(Ambiguity::DateOrder { column: header.clone(), examples: samples(table, later, index, 3) });
                    }
                    None => {}
                }
            }
            if format.value_type == ValueType::Number && options.decimal_separator.is_none() && profile.decimal_is_undecided() && profile.comma_numbers == profile.point_numbers && has_grouping(table, index) {
                undecided_decimals.push(index);
            }
            format
        })
        .collect();
    if !undecided_decimals.is_empty() {
        let assumed = assumed_decimal(profiles, &formats, semicolons);
        for index in undecided_decimals {
            formats[index].decimal = assumed;
            ambiguities.push(Ambiguity::DecimalSeparator { column: table.headers[index].clone(), examples: samples(table, later, index, 3), assumed });
        }
    }
    (formats, ambiguities)
}

/// Decides the decimal separator of the number columns whose values read both ways (`3,250`
/// is 3250 with a decimal point and 3.25 with a decimal comma). The first rule that applies:
///
/// 1. The separator that more of the file's other number columns prove by their values
///    (`1.234,56` or `7,5` prove a comma, `1,234.56` or `7.5` a point), because an export
///    writes all its numbers in one locale.
/// 2. A decimal comma when the fields are separated by semicolons: spreadsheet programs in
///    locales that write decimals with a comma (German, French, Spanish, Dutch and others)
///    separate CSV fields with semicolons, because the comma is taken.
/// 3. A decimal point.
///
/// The file row shows the question in every case, so the user can correct the assumption.
fn assumed_decimal(profiles: &[ColumnProfile], formats: &[ColumnFormat], semicolons: bool) -> DecimalSeparator {
    let decided = profiles.iter().zip(formats).filter(|(profile, format)| format.value_type == ValueType::Number && profile.comma_only != profile.point_only);
    let (comma_columns, point_columns) = decided.fold((0, 0), |(comma, point), (profile, _)| {
        if profile.comma_only > profile.point_only {
            (comma + 1, point)
        } else {
            (comma, point + 1)
        }
    });
    if comma_columns != point_columns {
        return if comma_columns > point_columns { DecimalSeparator::Comma } else { DecimalSeparator::Point };
    }
    if semicolons {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Point
    }
}

fn profile_with_decimal(profile: &ColumnProfile, mut format: ColumnFormat) -> ColumnFormat {
    let numbers = match format.decimal {
        DecimalSeparator::Point => profile.point_numbers,
        DecimalSeparator::Comma => profile.comma_numbers,
    };
    if numbers * 20 >= profile.non_missing * 19 {
        format.value_type = ValueType::Number;
    }
    format
}

/// Returns true when some order-dependent date was seen, so the order is a real question.
fn profile_has_slash_dates(profile: &ColumnProfile) -> bool {
    profile.dates > 0 && (profile.day_first_proofs + profile.month_first_proofs) == 0
}

/// Returns true when one of the first 1000 values is written with two small numbers and a
/// year (`03/04/2024`), whose order is a question, rather than year first (`2024-03-04`).
// NOTE: a column whose first 1000 values are year first and later ones are not is read month
// first without asking.
fn has_order_dependent_date(table: &TextTable, column: usize) -> bool {
    table.columns[column].iter().take(1000).any(|cell| read_written_date(cell).is_some_and(|date| date.order_matters))
}

/// Returns true when some value has a single `,` or `.` followed by exactly three digits,
/// which reads as thousands one way and as decimals the other.
fn has_grouping(table: &TextTable, column: usize) -> bool {
    table.columns[column].iter().take(1000).any(|cell| {
        let marks: Vec<usize> = cell.match_indices([',', '.']).map(|(at, _)| at).collect();
        matches!(marks[..], [at] if cell.len() - at - 1 == 3)
    })
}

/// Returns up to `count` distinct non-empty values of a column, in file order: first from
/// `table`, then from `later`, the samples of the rows that follow it when a file is read in
/// parts (empty for a whole table).
pub fn samples(table: &TextTable, later: &[Vec<String>], column: usize, count: usize) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let later_cells = later.get(column).into_iter().flatten().map(String::as_str);
    for cell in table.columns[column].iter().chain(later_cells) {
        if found.len() == count {
            break;
        }
        if !cell.is_empty() && !found.iter().any(|seen| seen == cell) {
            found.push(cell.to_string());
        }
    }
    found
}

/// Decides the data kind of a table (or takes `mapping`) and types its rows. A table that no
/// kind fits is [`Recognition::Untyped`]; a `mapping` that does not fit is an error.
/// `semicolons` is true for text split on semicolons, which hints at a decimal comma.
pub fn recognise(file: &str, table: &TextTable, options: &ReadOptions, mapping: Option<(DataKind, &[Option<Role>])>, semicolons: bool) -> Result<Recognition, IngestError> {
    let mut sentinels = options.missing_sentinels.clone();
    let mut profiles = profile_columns(table, &sentinels);
    // Detection looks for "no answer" codes only when the user gave no markers, so that
    // clearing the markers in the mapping panel reads the codes as values.
    let detected_sentinels = if mapping.is_none() && sentinels.is_empty() { score_sentinels(&table.headers, &profiles) } else { Vec::new() };
    if !detected_sentinels.is_empty() {
        for found in &detected_sentinels {
            if !sentinels.contains(&found.value) {
                sentinels.push(found.value.clone());
            }
        }
        profiles = profile_columns(table, &sentinels);
    }
    let found = Found { table, later_samples: &[], profiles: &profiles, sentinels, detected_sentinels };
    let decision = match decide(file, found, options, mapping, semicolons)? {
        Decided::Typed(decision) => decision,
        Decided::Untyped(untyped) => return Ok(Recognition::Untyped(untyped)),
    };

    let mut context = Context { table, formats: &decision.formats, sentinels: &decision.sentinels, problems: Vec::new(), excluded_rows: 0, rows_after: 0 };
    let dataset = build(decision.kind, &mut context, &decision.roles);
    Ok(Recognition::Typed(Recognised {
        dataset,
        kind: decision.kind,
        roles: decision.roles.roles,
        columns: decision.columns,
        problems: context.problems,
        excluded_rows: context.excluded_rows,
        ambiguities: decision.ambiguities,
        sentinels: decision.detected_sentinels,
    }))
}

/// The findings about a table's columns before anything is decided.
pub struct Found<'a> {
    /// The table, or the first part of a file read in parts: its headers, its first rows
    /// and its samples are the file's.
    pub table: &'a TextTable,
    /// Samples of each column from the parts after `table` (see [`samples`]).
    pub later_samples: &'a [Vec<String>],
    /// The profile of each whole column, with `sentinels` read as missing.
    pub profiles: &'a [ColumnProfile],
    /// The user's missing-value markers and the detected ones.
    pub sentinels: Vec<String>,
    pub detected_sentinels: Vec<DetectedSentinel>,
}

/// How a table's rows are to be typed: everything [`recognise`] decides before typing.
pub struct Decision {
    pub kind: DataKind,
    pub roles: RoleMap,
    pub formats: Vec<ColumnFormat>,
    pub sentinels: Vec<String>,
    pub columns: Vec<ColumnMapping>,
    pub ambiguities: Vec<Ambiguity>,
    pub detected_sentinels: Vec<DetectedSentinel>,
}

/// The result of [`decide`].
pub enum Decided {
    Typed(Decision),
    Untyped(Unrecognised),
}

/// Decides the column formats, the data kind and the roles (or takes `mapping`) from the
/// profiles of the columns.
pub fn decide(file: &str, found: Found, options: &ReadOptions, mapping: Option<(DataKind, &[Option<Role>])>, semicolons: bool) -> Result<Decided, IngestError> {
    let Found { table, later_samples, profiles, sentinels, detected_sentinels } = found;
    let (formats, ambiguities) = column_formats(table, later_samples, profiles, options, semicolons);
    let candidates: Vec<Candidate> = profiles
        .iter()
        .enumerate()
        .map(|(index, profile)| Candidate {
            index,
            header: &table.headers[index],
            normalised: matching_form(&table.headers[index]),
            detail: normalise_header(table.header_details.get(index).map_or("", String::as_str)),
            profile,
            format: formats[index],
        })
        .collect();

    let (kind, roles) = match mapping {
        Some((kind, roles)) => (kind, checked_mapping(file, table, kind, roles)?),
        None => match detect(&candidates, table.header_rows) {
            Some(detected) => (detected.kind, RoleMap::new(table.headers.len(), &detected.roles)),
            None => {
                let guess = guess_transactions(&candidates);
                let roles = RoleMap::new(table.headers.len(), &guess.roles);
                let error = unrecognised(file, table, &candidates, &sentinels, guess.kind, &roles.roles);
                let columns = column_mappings(table, later_samples, &formats, &roles.roles);
                return Ok(Decided::Untyped(Unrecognised { kind: guess.kind, roles: roles.roles, columns, ambiguities, sentinels: detected_sentinels, error }));
            }
        },
    };
    let columns = column_mappings(table, later_samples, &formats, &roles.roles);
    Ok(Decided::Typed(Decision { kind, roles, formats, sentinels, columns, ambiguities, detected_sentinels }))
}

/// Profiles every column of `table`, with `sentinels` read as missing.
pub fn profile_columns(table: &TextTable, sentinels: &[String]) -> Vec<ColumnProfile> {
    table.columns.iter().map(|column| ColumnProfile::of(column.iter(), |cell| is_missing_with(cell, sentinels))).collect()
}

/// Finds the "no answer" codes of the columns that are 0–10 scores apart from such a code.
/// A code found in one column is then missing in every column, as a file's markers are.
pub fn score_sentinels(headers: &[String], profiles: &[ColumnProfile]) -> Vec<DetectedSentinel> {
    profiles
        .iter()
        .zip(headers)
        .filter_map(|(profile, header)| {
            let (value, cells) = profile.score_sentinel()?;
            Some(DetectedSentinel { value: value.to_string(), column: header.clone(), cells })
        })
        .collect()
}

/// Describes every column for the mapping panel: header, type, role and sample values.
fn column_mappings(table: &TextTable, later: &[Vec<String>], formats: &[ColumnFormat], roles: &[Option<Role>]) -> Vec<ColumnMapping> {
    table
        .headers
        .iter()
        .enumerate()
        .map(|(index, header)| ColumnMapping {
            header: header.clone(),
            value_type: formats[index].value_type,
            role: roles[index],
            samples: samples(table, later, index, SAMPLE_VALUES),
        })
        .collect()
}

pub fn build(kind: DataKind, context: &mut Context, roles: &RoleMap) -> Dataset {
    match kind {
        DataKind::Transactions => build_money::transactions(context, roles),
        DataKind::CustomerSnapshot => build_money::snapshot(context, roles),
        DataKind::RetentionSpend => build_money::spend(context, roles),
        DataKind::Accounts => build_money::accounts(context, roles),
        DataKind::Subscriptions => build_activity::subscriptions(context, roles),
        DataKind::Events => build_activity::events(context, roles),
        DataKind::Survey => build_activity::survey(context, roles),
        DataKind::Tickets => build_activity::tickets(context, roles),
    }
}

/// Checks that a user's mapping has one role per column and every required role.
fn checked_mapping(file: &str, table: &TextTable, kind: DataKind, roles: &[Option<Role>]) -> Result<RoleMap, IngestError> {
    let mismatch = |detail: String| IngestError::MappingMismatch { file: file.to_string(), detail };
    if roles.len() != table.headers.len() {
        return Err(mismatch(format!("it gives roles for {} columns but the file has {}", roles.len(), table.headers.len())));
    }
    let missing: Vec<&str> = kind.required_roles().iter().filter(|role| !roles.contains(&Some(**role))).map(|role| role.label()).collect();
    if !missing.is_empty() {
        return Err(mismatch(format!("{} needs a column for {}", kind.label(), join_with_and(&missing))));
    }
    Ok(RoleMap { roles: roles.to_vec() })
}

/// Says which of the guessed kind's required roles no column was recognised as, which
/// columns were, and that the mapping panel lets the user choose. `sentinels` are the
/// missing-value markers the file is read with.
fn unrecognised(file: &str, table: &TextTable, candidates: &[Candidate], sentinels: &[String], kind: DataKind, roles: &[Option<Role>]) -> IngestError {
    let found: Vec<String> = kind
        .required_roles()
        .iter()
        .filter_map(|role| roles.iter().position(|taken| *taken == Some(*role)).map(|column| format!("\"{}\" as the {}", table.headers[column], role.label())))
        .collect();
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    let missing: Vec<&str> = kind.required_roles().iter().filter(|role| !roles.contains(&Some(**role))).map(|role| role.label()).collect();
    let guess = match (found.is_empty(), missing.is_empty()) {
        (true, _) => format!("As {}, no column was recognised as the {}.", kind.label(), join_with_or(&missing)),
        (false, false) => format!("As {}, the page would read {}, but no column was recognised as the {}.", kind.label(), join_with_and(&found), join_with_or(&missing)),
        (false, true) => format!("As {}, the page would read {}.", kind.label(), join_with_and(&found)),
    };
    let mut values = String::new();
    if !candidates.iter().any(Candidate::is_date) {
        values.push_str(" No column looks like a date: if the file has one, check its format.");
    }
    if !candidates.iter().any(Candidate::is_number) {
        match candidates.iter().find_map(|candidate| mostly_numbers(table, candidate, sentinels)) {
            Some(column) => values.push_str(&column),
            None => values.push_str(" No column holds numbers such as amounts or scores."),
        }
    }
    let hint = format!(
        "{guess}{values} Choose the data kind and a column for each role in the column mapping below, then press Apply.",
    );
    IngestError::Unrecognised { file: file.to_string(), found: quote_list(&table.headers), hint }
}

/// Describes a column read as text although at least half of its values are numbers, and names
/// its first value that is not one, so that the user can find and correct it. Returns `None` for
/// any other column.
fn mostly_numbers(table: &TextTable, candidate: &Candidate, sentinels: &[String]) -> Option<String> {
    let profile = candidate.profile;
    let numbers = profile.point_numbers.max(profile.comma_numbers);
    if numbers == 0 || numbers * 2 < profile.non_missing {
        return None;
    }

    let decimal = candidate.format.decimal;
    let not_a_number = |cell: &str| !is_missing_with(cell, sentinels) && parse_number(cell, decimal).is_none();
    let row = (0..table.row_count()).find(|row| not_a_number(table.cell(candidate.index, *row)))?;
    Some(format!(
        " Column \"{}\" has numbers in {numbers} of its {} values, but also \"{}\" on line {}, so it was read as text. \
         Correct such values in the file, or choose the column's role below: the rows whose value cannot be read are then left out and listed.",
        candidate.header,
        profile.non_missing,
        table.cell(candidate.index, row),
        table.row_lines[row],
    ))
}

/// Joins `["a", "b", "c"]` as `a, b and c`.
pub fn join_with_and(items: &[&str]) -> String {
    join_with(items, "and")
}

/// Joins `["a", "b", "c"]` as `a, b or c`.
fn join_with_or(items: &[&str]) -> String {
    join_with(items, "or")
}

fn join_with(items: &[&str], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [single] => single.to_string(),
        [rest @ .., last] => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

fn quote_list(headers: &[String]) -> String {
    let shown: Vec<String> = headers.iter().take(12).map(|header| format!("\"{header}\"")).collect();
    let more = headers.len().saturating_sub(12);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
