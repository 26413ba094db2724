//! The files loaded in one page, and everything computed from them.
//!
//! The page keeps a `Session` in its background worker: files are read into it once, and each
//! change of the view settings recomputes the dashboard from the typed datasets it holds,
//! without reading any file again.

use serde::{Deserialize, Serialize};

use crate::ingest::{read_file_mapped, read_file_or_columns, Dataset, FileSummary, IngestError, LoadedFile, Mapping, Progress, ReadOptions, ReadOutcome, Transactions};
use crate::metrics::clv::{clv_report, ClvReport, ClvSettings};
use crate::metrics::currency::in_reporting_currency;
use crate::metrics::{build_dashboard, Dashboard, DashboardOptions};

/// A page's file identifier: unique for the page's lifetime, chosen by the page.
pub type FileId = u64;

/// How to read a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reading {
    /// Detect the kind and the roles, with these reading options; the default options detect
    /// everything.
    Detect(ReadOptions),
    /// The user's kind, roles and options.
    Mapped(Mapping),
}

impl Default for Reading {
    fn default() -> Self {
        Reading::Detect(ReadOptions::default())
    }
}

impl Reading {
    /// Returns how to read a file whose mapping the user changed from `current` to `chosen`.
    /// A different sheet or separator gives other columns, so their kind and roles are
    /// detected again with the chosen options. Any other change keeps the user's kind and
    /// roles by column position; a different number of header rows keeps the columns.
    pub fn for_change(current: &Mapping, chosen: &Mapping) -> Reading {
        if Reading::changes_columns(current, chosen) {
            Reading::Detect(chosen.options.clone())
        } else {
            Reading::Mapped(chosen.clone())
        }
    }

    /// Returns true when `chosen` reads another sheet or splits on another separator than
    /// `current`, so the columns, and the roles given to them, are detected again.
    pub fn changes_columns(current: &Mapping, chosen: &Mapping) -> bool {
        let (now, next) = (&current.options, &chosen.options);
        now.sheet != next.sheet || now.separator != next.separator
    }
}

/// The loaded files, in the order they finished loading, and the dashboard built ahead of the
/// page's next request.
#[derive(Default)]
pub struct Session {
    files: Vec<(FileId, LoadedFile)>,
    /// The options of the last dashboard request, which the next request most likely repeats.
    last_options: DashboardOptions,
    /// The dashboard of the current files with `last_options`. It is `None` until it is built,
    /// and again after any change of the files.
    prepared: Option<Option<Dashboard>>,
}

impl Session {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `bytes` as file `id` in the way `reading` specifies, and keeps it. A file already loaded under
    /// `id` is replaced; a file that fails to read leaves the session as it was, so a mapping
    /// that does not fit keeps the previous reading.
    ///
    /// A detected reading that no data kind fits succeeds with a summary whose
    /// [`FileSummary::unrecognised`] names the missing roles. The session then drops any
    /// previous reading under `id` and keeps no dataset for the file until a mapping reads it.
    pub fn load(&mut self, id: FileId, name: &str, bytes: &[u8], reading: &Reading, progress: &mut dyn FnMut(Progress)) -> Result<FileSummary, IngestError> {
        let loaded = match reading {
            Reading::Mapped(mapping) => read_file_mapped(name, bytes, mapping, progress)?,
            Reading::Detect(options) => match read_file_or_columns(name, bytes, options, progress)? {
                ReadOutcome::Recognised(loaded) => loaded,
                ReadOutcome::Unrecognised { summary, .. } => {
                    self.remove(id);
                    return Ok(*summary);
                }
            },
        };
        Ok(self.keep(id, loaded))
    }

    /// Keeps a file read elsewhere (such as in two parts, see [`crate::ingest::part`]) as file
    /// `id`, replacing any file loaded under `id`, and returns its summary.
    pub fn keep(&mut self, id: FileId, loaded: LoadedFile) -> FileSummary {
        let summary = loaded.summary();
        self.remove(id);
        self.files.push((id, loaded));
        summary
    }

    /// Forgets file `id`; nothing happens when it is not loaded.
    pub fn remove(&mut self, id: FileId) {
        self.files.retain(|(known, _)| *known != id);
        self.prepared = None;
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Builds the dashboard of every loaded file, or `None` when no file is loaded.
    pub fn dashboard(&self, options: &DashboardOptions) -> Option<Dashboard> {
        if self.files.is_empty() {
            return None;
        }
        let datasets: Vec<&Dataset> = self.files.iter().map(|(_, file)| &file.dataset).collect();
        Some(build_dashboard(&datasets, options))
    }

    /// Builds the dashboard that the page most likely requests next, with the options of its
    /// last request, so that the request finds it ready ([`Session::requested_dashboard`]).
    /// Does nothing when that dashboard is built already.
    ///
    /// NOTE: before the first request the options are the defaults, so a page opened with view
    /// settings in its URL builds its first dashboard twice.
    pub fn prepare_dashboard(&mut self) {
        if self.prepared.is_none() {
            self.prepared = Some(self.dashboard(&self.last_options));
        }
    }

    /// Returns the dashboard of a request with `options`: the prepared one when it was built
    /// with the same options for the same files, and a new one otherwise, which stays prepared
    /// for the next request.
    pub fn requested_dashboard(&mut self, options: &DashboardOptions) -> Option<Dashboard> {
        if self.last_options != *options {
            self.last_options = options.clone();
            self.prepared = None;
        }
        self.prepare_dashboard();
        self.prepared.clone().flatten()
    }

    /// Merges the transaction logs of every loaded file, or `None` when there is none.
    pub fn merged_transactions(&self) -> Option<Transactions> {
        let logs: Vec<&Transactions> = self
            .files
            .iter()
            .filter_map(|(_, file)| match &file.dataset {
                Dataset::Transactions(log) => Some(log),
                _ => None,
            })
            .collect();
        (!logs.is_empty()).then(|| Transactions::merge(&logs))
    }

    /// Fits the transaction-CLV models on the merged logs, in `currency` (or the main one),
    /// because spend per purchase is only comparable within one currency.
    pub fn clv(&self, settings: &ClvSettings, currency: Option<&str>) -> Result<ClvReport, String> {
        let all_currencies = self
            .merged_transactions()
            .ok_or_else(|| "Customer lifetime value needs a transactions file with customer id, date and amount columns.".to_string())?;
        let (transactions, _) = in_reporting_currency(&all_currencies, currency);
        clv_report(&transactions, settings).map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &[u8] = b"customer,date,amount\na,2024-01-03,10.00\nb,2024-01-09,20.50\na,2024-02-04,15.25\n";

    fn quiet() -> impl FnMut(Progress) {
        |_| {}
    }

    #[test]
    fn a_loaded_file_feeds_the_dashboard_and_a_removed_one_stops() {
        let mut session = Session::new();
        let summary = session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).expect("the log reads");
        assert_eq!(summary.rows_read, 3);
        assert!(session.dashboard(&DashboardOptions::default()).is_some());

        session.remove(1);
        assert!(session.dashboard(&DashboardOptions::default()).is_none());
    }

    #[test]
    fn prepared_dashboard_equals_a_new_one() {
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        let options = DashboardOptions::default();
        session.prepare_dashboard();

        let prepared = session.requested_dashboard(&options);

        assert!(prepared.is_some());
        assert_eq!(prepared, session.dashboard(&options));
    }

    #[test]
    fn prepared_dashboard_follows_file_changes() {
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        session.prepare_dashboard();
        session.remove(1);

        assert_eq!(session.requested_dashboard(&DashboardOptions::default()), None);

        session.prepare_dashboard();
        session.load(2, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();

        assert!(session.requested_dashboard(&DashboardOptions::default()).is_some());
    }

    #[test]
    fn prepared_dashboard_uses_last_options() {
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        let weekly = DashboardOptions { granularity: crate::metrics::period::Granularity::Week, ..DashboardOptions::default() };
        session.prepare_dashboard();

        assert_eq!(session.requested_dashboard(&weekly), session.dashboard(&weekly));

        session.prepare_dashboard();
        assert_eq!(session.requested_dashboard(&weekly), session.dashboard(&weekly));
        assert_eq!(session.last_options, weekly);
    }

    #[test]
    fn loading_under_the_same_id_replaces_the_file() {
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        assert_eq!(session.file_count(), 1);
        assert_eq!(session.merged_transactions().unwrap().len(), 3);
    }

    #[test]
    fn a_failed_read_keeps_what_was_loaded() {
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        let error = session.load(1, "empty.csv", b"   ", &Reading::default(), &mut quiet()).unwrap_err();
        assert!(error.to_string().starts_with("empty.csv"));
        assert_eq!(session.file_count(), 1);
    }

    #[test]
    fn unrecognised_file_keeps_other_files() {
        const NOTES: &[u8] = b"note,topic\nfirst call,onboarding\nsecond call,onboarding\nthird call,renewal\n";
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        let notes = session.load(2, "notes.csv", NOTES, &Reading::default(), &mut quiet()).expect("the columns are read");
        assert!(notes.unrecognised.as_deref().is_some_and(|reason| reason.starts_with("notes.csv: not recognised")), "{notes:?}");
        assert_eq!(notes.columns.len(), 2);
        assert_eq!(session.file_count(), 1, "the unrecognised file adds no dataset");
        assert_eq!(session.merged_transactions().unwrap().len(), 3);
    }

    #[test]
    fn detected_reading_without_kind_drops_previous() {
        let mut session = Session::new();
        session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        // Read with tabs, the file is one column that no kind fits.
        let options = ReadOptions { separator: Some(crate::ingest::dialect::Separator::Char(b'\t')), ..ReadOptions::default() };
        let summary = session.load(1, "log.csv", LOG, &Reading::Detect(options), &mut quiet()).expect("the columns are read");
        assert!(summary.unrecognised.is_some());
        assert_eq!(summary.columns.len(), 1);
        assert_eq!(session.file_count(), 0);
    }

    #[test]
    fn mapping_that_does_not_fit_keeps_previous_reading() {
        let mut session = Session::new();
        let detected = session.load(1, "log.csv", LOG, &Reading::default(), &mut quiet()).unwrap();
        let mut mapping = detected.mapping.clone();
        mapping.set_role(2, None);
        let error = session.load(1, "log.csv", LOG, &Reading::Mapped(mapping), &mut quiet()).unwrap_err();
        assert!(matches!(error, IngestError::MappingMismatch { .. }), "{error}");
        assert_eq!(session.merged_transactions().unwrap().len(), 3);
    }

    #[test]
    fn changed_columns_are_detected_again() {
        let current = crate::ingest::read_file_with("log.csv", LOG, &ReadOptions::default(), &mut quiet()).unwrap().mapping;
        let mut roles_changed = current.clone();
        roles_changed.set_role(0, None);
        assert_eq!(Reading::for_change(&current, &roles_changed), Reading::Mapped(roles_changed.clone()));

        let mut sheet_changed = current.clone();
        sheet_changed.options.sheet = Some("Refunds".to_string());
        assert_eq!(Reading::for_change(&current, &sheet_changed), Reading::Detect(sheet_changed.options.clone()));

        let mut separator_changed = current.clone();
        separator_changed.options.separator = Some(crate::ingest::dialect::Separator::Char(b';'));
        assert_eq!(Reading::for_change(&current, &separator_changed), Reading::Detect(separator_changed.options.clone()));

        let mut headerless = current.clone();
        headerless.options.header_rows = Some(0);
        assert_eq!(Reading::for_change(&current, &headerless), Reading::Mapped(headerless.clone()));

        assert!(Reading::changes_columns(&current, &sheet_changed));
        assert!(Reading::changes_columns(&current, &separator_changed));
        assert!(!Reading::changes_columns(&current, &roles_changed));
        assert!(!Reading::changes_columns(&current, &headerless));
    }

    /// Writes a workbook whose first sheet is a titled summary and whose second contains payments.
    fn summary_then_payments() -> Vec<u8> {
        let plain = rust_xlsxwriter::Format::new();
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let summary = workbook.add_worksheet().set_name("Summary").unwrap();
        summary.write_string(0, 0, "Payments report, first quarter", &plain).unwrap();
        for (row, (region, total)) in [("Region", "Total"), ("North", "1200"), ("South", "800")].iter().enumerate() {
            summary.write_string(row as u32 + 2, 0, *region, &plain).unwrap();
            summary.write_string(row as u32 + 2, 1, *total, &plain).unwrap();
        }
        let payments = workbook.add_worksheet().set_name("Payments").unwrap();
        let rows = [("customer", "date", "amount"), ("C-1", "2024-01-05", "100.25"), ("C-2", "2024-02-09", "20.50"), ("C-1", "2024-03-02", "7.30")];
        for (row, (customer, date, amount)) in rows.iter().enumerate() {
            payments.write_string(row as u32, 0, *customer, &plain).unwrap();
            payments.write_string(row as u32, 1, *date, &plain).unwrap();
            payments.write_string(row as u32, 2, *amount, &plain).unwrap();
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn second_sheet_is_detected_when_chosen() {
        let mut session = Session::new();
        let bytes = summary_then_payments();
        let first = session.load(1, "report.xlsx", &bytes, &Reading::default(), &mut quiet()).unwrap();
        let reason = first.unrecognised.clone().unwrap_or_default();
        assert!(reason.ends_with("The workbook has another sheet, \"Payments\": choose it under Sheet to read it instead."), "{reason}");
        assert_eq!(first.sheets, ["Summary", "Payments"]);

        let mut chosen = first.mapping.clone();
        chosen.options.sheet = Some("Payments".to_string());
        let reading = Reading::for_change(&first.mapping, &chosen);
        let second = session.load(1, "report.xlsx", &bytes, &reading, &mut quiet()).unwrap();
        assert_eq!(second.unrecognised, None);
        assert_eq!(second.kind_label, "transactions");
        assert_eq!(second.rows_read, 3);
        assert_eq!(second.mapping.options.sheet.as_deref(), Some("Payments"));
    }

    #[test]
    fn clv_without_transactions_says_what_is_needed() {
        let session = Session::new();
        let settings = ClvSettings {
            unit: crate::metrics::clv::TimeUnit::Weeks,
            calibration_end: chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
            horizon_months: 12,
            annual_discount_rate: 0.1,
        };
        assert!(session.clv(&settings, None).unwrap_err().contains("transactions file"));
    }
}
