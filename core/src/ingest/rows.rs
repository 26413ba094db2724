//! Typed reading of one row's cells, collecting a [`RowProblem`] for each value that cannot be
//! read; shared by the builders of every data kind.

use super::dataset::{Interner, Segment};
use super::error::RowProblem;
use super::kinds::Timestamp;
use super::profile::ColumnFormat;
use super::roles::Role;
use super::table::TextTable;
use super::values::{is_missing, parse_bool, parse_count, trim_cell, IsoDay, Number};

pub const EXPECTED_DATE: &str = "a date such as 2024-01-31, 31/01/2024 or 2024-01-31 14:05";
pub const EXPECTED_AMOUNT: &str = "an amount such as 1234.56";
pub const EXPECTED_FLAG: &str = "Yes or No";
pub const EXPECTED_COUNT: &str = "a whole number such as 3";
pub const EXPECTED_ID: &str = "an identifier";

/// The role of each column, by position.
#[derive(Clone, Debug, Default)]
pub struct RoleMap {
    pub roles: Vec<Option<Role>>,
}

impl RoleMap {
    pub fn new(width: usize, assigned: &[(usize, Role)]) -> Self {
        let mut roles = vec![None; width];
        for (column, role) in assigned {
            if let Some(slot) = roles.get_mut(*column) {
                *slot = Some(*role);
            }
        }
        RoleMap { roles }
    }

    pub fn first(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|assigned| *assigned == Some(role))
    }

    pub fn all(&self, role: Role) -> Vec<usize> {
        self.roles.iter().enumerate().filter(|(_, assigned)| **assigned == Some(role)).map(|(column, _)| column).collect()
    }
}

/// The table being typed, its column formats and what went wrong so far.
pub struct Context<'t> {
    pub table: &'t TextTable,
    pub formats: &'t [ColumnFormat],
    pub sentinels: &'t [String],
    pub problems: Vec<RowProblem>,
    /// Rows left out on purpose (failed or uncaptured payments), not problems.
    pub excluded_rows: usize,
    /// Rows of a later part of the file that will be appended to these (see
    /// [`super::part`]), so that the typed columns reserve room for them once.
    pub rows_after: usize,
}

impl<'t> Context<'t> {
    /// Returns the typed rows to reserve room for: this table's and those of a later part.
    pub fn expected_rows(&self) -> usize {
        self.table.row_count() + self.rows_after
    }

    pub fn is_missing(&self, cell: &str) -> bool {
        is_missing_with(cell, self.sentinels)
    }

    pub fn row(&self, row: usize) -> RowReader<'_, 't> {
        RowReader { context: self, row, problems: Vec::new() }
    }

    /// Keeps the problems of a row that was left out or had values left out.
    pub fn record(&mut self, reader_problems: Vec<RowProblem>) {
        self.problems.extend(reader_problems);
    }

    /// Builds segments from the given columns, one value per kept row in `rows`.
    pub fn segments(&self, columns: &[usize], rows: &[usize]) -> Vec<Segment> {
        columns
            .iter()
            .map(|column| {
                let mut interner = Interner::default();
                let values = rows
                    .iter()
                    .map(|row| {
                        let cell = self.table.cell(*column, *row);
                        interner.intern(if self.is_missing(cell) { "(blank)" } else { cell })
                    })
                    .collect();
                Segment { name: self.table.headers[*column].clone(), labels: interner.values, values }
            })
            .collect()
    }
}

/// Returns true for a built-in missing marker or one of the file's sentinels.
pub fn is_missing_with(cell: &str, sentinels: &[String]) -> bool {
    is_missing(cell) || (!sentinels.is_empty() && sentinels.iter().any(|sentinel| sentinel.trim() == cell.trim()))
}

/// Reads the cells of one row.
pub struct RowReader<'c, 't> {
    context: &'c Context<'t>,
    row: usize,
    pub problems: Vec<RowProblem>,
}

impl<'t> RowReader<'_, 't> {
    fn problem(&mut self, column: usize, expected: &str) {
        let table = self.context.table;
        self.problems.push(RowProblem {
            line: table.row_lines[self.row],
            column: Some(table.headers[column].clone()),
            found: table.cell(column, self.row).to_string(),
            expected: expected.to_string(),
        });
    }

    /// Returns the cell, or `None` when it is missing. The cell borrows the table, not the reader.
    pub fn text(&self, column: Option<usize>) -> Option<&'t str> {
        let table: &'t TextTable = self.context.table;
        let cell = table.cell(column?, self.row);
        (!self.context.is_missing(cell)).then_some(cell)
    }

    /// Returns the cell, with a problem when it is missing.
    pub fn required_text(&mut self, column: usize) -> Option<&'t str> {
        let cell = self.text(Some(column));
        if cell.is_none() {
            self.problem(column, EXPECTED_ID);
        }
        cell
    }

    /// Reads an optional value; a present value that does not parse is a problem.
    fn optional<T>(&mut self, column: Option<usize>, expected: &str, mut parse: impl FnMut(&ColumnFormat, &'t str) -> Option<T>) -> Option<T> {
        let column = column?;
        let cell = self.text(Some(column))?;
        let value = parse(&self.context.formats[column], cell);
        if value.is_none() {
            self.problem(column, expected);
        }
        value
    }

    /// Reads a required value; a missing or unreadable value is a problem.
    fn required<T>(&mut self, column: usize, expected: &str, mut parse: impl FnMut(&ColumnFormat, &'t str) -> Option<T>) -> Option<T> {
        let value = self.text(Some(column)).and_then(|cell| parse(&self.context.formats[column], cell));
        if value.is_none() {
            self.problem(column, expected);
        }
        value
    }

    pub fn time(&mut self, column: Option<usize>) -> Option<Timestamp> {
        self.optional(column, EXPECTED_DATE, |format, cell| format.timestamp(cell))
    }

    pub fn required_time(&mut self, column: usize) -> Option<Timestamp> {
        self.required(column, EXPECTED_DATE, |format, cell| format.timestamp(cell))
    }

    /// Reads a required date as [`RowReader::required_time`] does, through `day`
    /// ([`ColumnFormat::timestamp_with`]).
    pub fn required_time_with(&mut self, column: usize, day: &mut IsoDay) -> Option<Timestamp> {
        self.required(column, EXPECTED_DATE, |format, cell| format.timestamp_with(cell, day))
    }

    /// Reads a required date as [`RowReader::required_time`] does, but parses the cell only
    /// when it differs from the last cell read through `last`.
    pub fn required_time_after(&mut self, column: usize, last: &mut LastCell<'t, Timestamp>) -> Option<Timestamp> {
        self.required(column, EXPECTED_DATE, |format, cell| last.read(cell, |cell| format.timestamp(cell)))
    }

    pub fn number(&mut self, column: Option<usize>) -> Option<Number> {
        self.optional(column, EXPECTED_AMOUNT, |format, cell| format.number(cell))
    }

    pub fn required_number(&mut self, column: usize) -> Option<Number> {
        self.required(column, EXPECTED_AMOUNT, |format, cell| format.number(cell))
    }

    pub fn count(&mut self, column: Option<usize>) -> Option<u32> {
        self.optional(column, EXPECTED_COUNT, |_, cell| parse_count(cell))
    }

    pub fn flag(&mut self, column: Option<usize>) -> Option<bool> {
        self.optional(column, EXPECTED_FLAG, |_, cell| parse_bool(cell))
    }

    pub fn required_flag(&mut self, column: usize) -> Option<bool> {
        self.required(column, EXPECTED_FLAG, |_, cell| parse_bool(cell))
    }

    /// Reads an optional value with a parser of its own.
    pub fn parsed<T>(&mut self, column: Option<usize>, expected: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        self.optional(column, expected, |_, cell| parse(cell))
    }
}

/// The last cell read from one column and the value parsed from it. Logs sorted by date
/// repeat the same date or currency over runs of rows, and each run is parsed once.
pub struct LastCell<'t, T> {
    last: Option<(&'t str, Option<T>)>,
}

impl<T> Default for LastCell<'_, T> {
    fn default() -> Self {
        LastCell { last: None }
    }
}

impl<'t, T: Copy> LastCell<'t, T> {
    /// Returns `parse(cell)`, calling `parse` only when `cell` differs from the last cell
    /// read. `parse` must return the same value for the same cell each time.
    pub fn read(&mut self, cell: &'t str, parse: impl FnOnce(&'t str) -> Option<T>) -> Option<T> {
        match self.last {
            Some((last_cell, value)) if last_cell == cell => value,
            _ => {
                let value = parse(cell);
                self.last = Some((cell, value));
                value
            }
        }
    }
}

/// Interns upper-cased currency codes; the index type of the typed tables is `u16`.
#[derive(Default)]
pub struct Currencies {
    interner: Interner,
}

impl Currencies {
    pub fn index(&mut self, code: &str) -> u16 {
        let code = trim_cell(code);
        if !code.bytes().any(|byte| byte.is_ascii_lowercase()) {
            return self.interner.intern(code) as u16;
        }
        self.interner.intern(&code.to_ascii_uppercase()) as u16
    }

    pub fn into_codes(self) -> Vec<String> {
        self.interner.values
    }
}

/// Returns the code written with a number (`USD 12.00`), as text.
pub fn currency_of(number: &Number) -> Option<String> {
    number.currency.map(|code| String::from_utf8_lossy(&code).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_cell_parses_each_run_once() {
        let mut last = LastCell::default();
        let mut parsed = Vec::new();
        for cell in ["1", "1", "x", "x", "2", "1"] {
            let value = last.read(cell, |cell| {
                parsed.push(cell);
                cell.parse::<u32>().ok()
            });
            assert_eq!(value, cell.parse::<u32>().ok(), "{cell}");
        }
        assert_eq!(parsed, ["1", "x", "2", "1"]);
    }
}
