//! What the user can decide about a file: the reading options, the data kind and the role of
//! each column, and the header fingerprint under which the UI remembers those choices.

use serde::{Deserialize, Serialize};
use super::dialect::Separator;
use super::roles::Role;
use super::values::{DateOrder, DecimalSeparator};

/// The data kinds a file can hold, one per [`super::Dataset`] variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DataKind {
    Transactions,
    CustomerSnapshot,
    Subscriptions,
    Events,
    Survey,
    Tickets,
    RetentionSpend,
    Accounts,
}

impl DataKind {
    pub const ALL: [DataKind; 8] = [
        DataKind::Transactions,
        DataKind::CustomerSnapshot,
        DataKind::Subscriptions,
        DataKind::Events,
        DataKind::Survey,
        DataKind::Tickets,
        DataKind::RetentionSpend,
        DataKind::Accounts,
    ];

    /// The same label as [`super::Dataset::kind_label`].
    pub fn label(self) -> &'static str {
        match self {
            DataKind::Transactions => "transactions",
            DataKind::CustomerSnapshot => "customer snapshot",
            DataKind::Subscriptions => "subscriptions",
            DataKind::Events => "product events",
            DataKind::Survey => "survey responses",
            DataKind::Tickets => "support tickets",
            DataKind::RetentionSpend => "retention spend",
            DataKind::Accounts => "account attributes",
        }
    }

    /// The roles a file of this kind must map; the others are optional.
    pub fn required_roles(self) -> &'static [Role] {
        match self {
            DataKind::Transactions => &[Role::CustomerId, Role::Date, Role::Amount],
            DataKind::CustomerSnapshot => &[Role::CustomerId, Role::ChurnFlag, Role::MonthlyCharge],
            DataKind::Subscriptions => &[Role::CustomerId, Role::StartDate],
            DataKind::Events => &[Role::UserId, Role::Date, Role::EventName],
            DataKind::Survey => &[Role::Score],
            DataKind::Tickets => &[Role::TicketId, Role::Date, Role::Status],
            DataKind::RetentionSpend => &[Role::Date, Role::Amount],
            DataKind::Accounts => &[Role::CustomerId],
        }
    }

    /// Every role a file of this kind reads, its required roles first.
    pub fn roles(self) -> &'static [Role] {
        match self {
            DataKind::Transactions => &[
                Role::CustomerId,
                Role::Date,
                Role::Amount,
                Role::Currency,
                Role::Status,
                Role::Captured,
                Role::AmountRefunded,
                Role::RefundedDate,
                Role::Tax,
                Role::Fee,
                Role::ConvertedAmount,
                Role::ConvertedAmountRefunded,
                Role::ConvertedCurrency,
            ],
            DataKind::CustomerSnapshot => &[Role::CustomerId, Role::ChurnFlag, Role::MonthlyCharge, Role::Segment],
            DataKind::Subscriptions => &[
                Role::CustomerId,
                Role::StartDate,
                Role::SubscriptionId,
                Role::Status,
                Role::Plan,
                Role::Amount,
                Role::Quantity,
                Role::Interval,
                Role::IntervalCount,
                Role::Currency,
                Role::CurrentPeriodEnd,
                Role::TrialStart,
                Role::TrialEnd,
                Role::CanceledAt,
                Role::EndedAt,
                Role::PausedAt,
                Role::CancelAtPeriodEnd,
            ],
            DataKind::Events => &[Role::UserId, Role::Date, Role::EventName, Role::AccountId, Role::SignupDate, Role::Segment],
            DataKind::Survey => &[Role::Score, Role::RespondentId, Role::Date, Role::SurveyType, Role::Segment],
            DataKind::Tickets => &[
                Role::TicketId,
                Role::Date,
                Role::Status,
                Role::SolvedDate,
                Role::Replies,
                Role::Reopens,
                Role::Rating,
                Role::CustomerId,
                Role::FirstContactResolution,
                Role::Segment,
            ],
            DataKind::RetentionSpend => &[Role::Date, Role::Amount, Role::Currency],
            DataKind::Accounts => &[Role::CustomerId, Role::Segment],
        }
    }

    /// Whether several columns may take `role`: a survey has a score column per question, and
    /// every categorical column can be a segment. Other roles are read from one column.
    pub fn allows_several(self, role: Role) -> bool {
        matches!(role, Role::Score | Role::Segment)
    }
}

/// Choices about reading a file that the values alone may not settle. `None` means detect.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// Header rows above the data: 0 for a file without a header.
    pub header_rows: Option<usize>,
    /// Names for the columns of a file without a header row, in column order; columns beyond
    /// the list keep their numbered names.
    pub column_names: Vec<String>,
    pub separator: Option<Separator>,
    /// Applies to every date column written as two small numbers and a year.
    pub date_order: Option<DateOrder>,
    /// Applies to every number column.
    pub decimal_separator: Option<DecimalSeparator>,
    /// Values that mean "no answer" in this file (`-99`, `999`), besides the built-in missing
    /// markers; compared after trimming.
    pub missing_sentinels: Vec<String>,
    /// The workbook sheet to read; the first sheet with data when `None`.
    pub sheet: Option<String>,
}

/// A user's explicit reading of a file: its kind, the role of each column by position, and
/// the reading options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub kind: DataKind,
    /// One entry per column, in file order; `None` leaves a column unused.
    pub roles: Vec<Option<Role>>,
    pub options: ReadOptions,
}

impl Mapping {
    /// The kind's required roles that no column takes, in the kind's order.
    pub fn missing_roles(&self) -> Vec<Role> {
        self.kind.required_roles().iter().copied().filter(|role| !self.roles.contains(&Some(*role))).collect()
    }

    /// Gives column `column` (from 0) the role `role`, or leaves it unused with `None`. A role
    /// that only one column can take moves: the column that had it becomes unused. A column
    /// beyond the mapping's columns is ignored.
    pub fn set_role(&mut self, column: usize, role: Option<Role>) {
        if column >= self.roles.len() {
            return;
        }
        if let Some(role) = role.filter(|role| !self.kind.allows_several(*role)) {
            for other in self.roles.iter_mut().filter(|other| **other == Some(role)) {
                *other = None;
            }
        }
        self.roles[column] = role;
    }

    /// Changes the kind. Columns keep the roles that the new kind also reads; the others
    /// become unused.
    pub fn set_kind(&mut self, kind: DataKind) {
        self.kind = kind;
        for role in self.roles.iter_mut() {
            if role.is_some_and(|taken| !kind.roles().contains(&taken)) {
                *role = None;
            }
        }
    }
}

/// Returns a stable fingerprint of a header: 16 hexadecimal digits of the 64-bit FNV-1a hash
/// of the normalised column names joined by newlines. Case, surrounding spaces and the
/// separator do not change it; column order and names do. The hash is fixed here rather than
/// taken from `std`, whose hashers may change between Rust releases.
pub fn header_fingerprint(headers: &[String]) -> String {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET_BASIS;
    for (position, header) in headers.iter().enumerate() {
        if position > 0 {
            hash = (hash ^ u64::from(b'\n')).wrapping_mul(PRIME);
        }
        for byte in header.trim().to_lowercase().bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_case_and_spaces() {
        let a = header_fingerprint(&["Customer ID".into(), "Amount".into()]);
        let b = header_fingerprint(&[" customer id".into(), "AMOUNT ".into()]);
        assert_eq!(a, b);
        assert_ne!(a, header_fingerprint(&["Amount".into(), "Customer ID".into()]));
        assert_eq!(header_fingerprint(&[]), "cbf29ce484222325");
    }

    fn payments_mapping() -> Mapping {
        Mapping {
            kind: DataKind::Transactions,
            roles: vec![Some(Role::CustomerId), Some(Role::Date), Some(Role::Amount), None],
            options: ReadOptions::default(),
        }
    }

    #[test]
    fn every_kind_reads_its_required_roles_first() {
        for kind in DataKind::ALL {
            let required = kind.required_roles();
            assert_eq!(&kind.roles()[..required.len()], required, "{}", kind.label());
        }
    }

    #[test]
    fn single_role_moves_between_columns() {
        let mut mapping = payments_mapping();
        mapping.set_role(3, Some(Role::Amount));
        assert_eq!(mapping.roles, vec![Some(Role::CustomerId), Some(Role::Date), None, Some(Role::Amount)]);
        assert_eq!(mapping.missing_roles(), Vec::<Role>::new());
    }

    #[test]
    fn unused_column_leaves_role_missing() {
        let mut mapping = payments_mapping();
        mapping.set_role(1, None);
        assert_eq!(mapping.missing_roles(), vec![Role::Date]);
    }

    #[test]
    fn several_columns_keep_score_role() {
        let mut mapping = Mapping { kind: DataKind::Survey, roles: vec![Some(Role::Score), None], options: ReadOptions::default() };
        mapping.set_role(1, Some(Role::Score));
        assert_eq!(mapping.roles, vec![Some(Role::Score), Some(Role::Score)]);
    }

    #[test]
    fn role_beyond_last_column_is_ignored() {
        let mut mapping = payments_mapping();
        mapping.set_role(9, Some(Role::Currency));
        assert_eq!(mapping, payments_mapping());
    }

    #[test]
    fn kind_change_drops_roles_it_does_not_read() {
        let mut mapping = payments_mapping();
        mapping.set_kind(DataKind::RetentionSpend);
        assert_eq!(mapping.roles, vec![None, Some(Role::Date), Some(Role::Amount), None]);
        assert_eq!(mapping.missing_roles(), Vec::<Role>::new());

        mapping.set_kind(DataKind::Events);
        assert_eq!(mapping.roles, vec![None, Some(Role::Date), None, None]);
        assert_eq!(mapping.missing_roles(), vec![Role::UserId, Role::EventName]);
    }
}
