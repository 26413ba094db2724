//! The page's state: the files dropped so far and what the dashboard shows from them.

use std::rc::Rc;
use std::sync::Arc;

use headlights_core::ingest::FileSummary;
use headlights_core::metrics::clv::ClvReport;
use headlights_core::metrics::{Dashboard, DashboardOptions};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::engine::Engine;
use crate::worker_protocol::LoadStage;

/// Where a dropped file is in its life.
#[derive(Clone, Debug)]
pub enum FileStatus {
    Reading,
    Loaded(Arc<FileSummary>),
    /// Read into its columns, but no data kind fits them. The mapping panel requests the kind
    /// and roles from the user, and the file adds nothing to the dashboard until then.
    Unrecognised(Arc<FileSummary>),
    Failed(String),
}

impl FileStatus {
    /// Returns the status of a file whose reading gave `summary`.
    pub fn of_summary(summary: Arc<FileSummary>) -> Self {
        if summary.unrecognised.is_some() {
            FileStatus::Unrecognised(summary)
        } else {
            FileStatus::Loaded(summary)
        }
    }
}

/// How far the read of a file has got: `done` of `total` in the stage's unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReadProgress {
    pub stage: LoadStage,
    pub done: u64,
    pub total: u64,
}

/// The origin of the mapping of a file's current reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MappingSource {
    /// Detected from the header and the values.
    Detected,
    /// Remembered on this device for files with the same header, and applied on load.
    Remembered,
    /// Chosen by the user in the mapping panel in this tab.
    Chosen,
}

/// The state of a loaded file's mapping panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemapStatus {
    Idle,
    /// The file is being read again with a new mapping; the previous reading stays shown.
    Applying,
    /// The last mapping could not be applied, for this reason; the previous reading stays.
    Failed(String),
    /// The mapping applied, with something the user should know (it could not be remembered).
    Notice(String),
}

/// One dropped file as the file list shows it.
#[derive(Clone, Debug)]
pub struct FileEntry {
    /// Unique for the page's lifetime, so a list row keeps its identity when others change.
    pub id: u64,
    pub name: String,
    pub size_bytes: usize,
    pub status: FileStatus,
    /// True when the file came from this device's storage rather than a drop.
    pub restored: bool,
    /// Progress while the file is read; a signal of its own so that progress messages redraw
    /// only the progress bar.
    pub progress: RwSignal<Option<ReadProgress>>,
    /// The remembered-mapping key of the file's detected reading, once it is loaded.
    pub mapping_key: Option<String>,
    pub mapping_source: MappingSource,
    /// Counts the readings of this file, so that a new reading redraws its row and the
    /// dashboard even though the file's id stays.
    pub revision: u64,
    /// A signal so that applying a mapping redraws only the panel until the new reading is in.
    pub remap: RwSignal<RemapStatus>,
    /// Whether the mapping panel is open; kept here because a new reading redraws the row.
    pub mapping_open: RwSignal<bool>,
}

/// Where the transaction-CLV model is: it runs only when the user asks, in a worker.
#[derive(Clone, Debug, Default)]
pub enum ClvState {
    #[default]
    Idle,
    Fitting,
    Done(Arc<ClvReport>),
    Failed(String),
}

/// The inputs a dashboard is computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct DashboardInputs {
    /// Each loaded file's id and revision: a file read again with a new mapping counts as new.
    pub file_ids: Vec<(u64, u64)>,
    pub options: DashboardOptions,
}

/// What the dashboard root reports in `data-state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageState {
    Empty,
    Loading,
    Ready,
    Error,
}

impl PageState {
    pub fn as_str(self) -> &'static str {
        match self {
            PageState::Empty => "empty",
            PageState::Loading => "loading",
            PageState::Ready => "ready",
            PageState::Error => "error",
        }
    }
}

/// Shared state, provided as context to every component.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The dropped files, in drop order; a signal because the file list and the dashboard
    /// both follow it.
    pub files: RwSignal<Vec<FileEntry>>,
    pub options: RwSignal<DashboardOptions>,
    /// Bumped whenever the set of loaded files changes, so charts can report which version
    /// of the data they have drawn.
    pub generation: RwSignal<u64>,
    /// `(chart id, generation)` for every chart drawn with the current data.
    pub drawn_charts: RwSignal<Vec<(&'static str, u64)>>,
    /// The dashboard of the loaded files and the current options, as the worker last computed
    /// it; every card and chart reads it.
    pub dashboard: RwSignal<Option<Dashboard>>,
    /// The loaded file ids and options the shown dashboard was computed from; while they differ
    /// from the current ones, a new dashboard is on its way and the page is loading.
    pub dashboard_inputs: RwSignal<Option<DashboardInputs>>,
    /// Bumped whenever the set of loaded files changes; a CLV fit of older files is dropped.
    pub files_version: RwSignal<u64>,
    /// The background worker that reads files and computes the dashboard.
    pub engine: StoredValue<Engine, LocalStorage>,
    /// Whether dropped files are stored on this device; a signal for the checkbox.
    pub remember: RwSignal<bool>,
    /// The last storage outcome worth telling the user (stored, forgotten, quota full).
    pub storage_message: RwSignal<Option<String>>,
    /// The browser `File` of each loaded file by name, kept so that turning "remember" on
    /// later can store files dropped before. Not reactive: nothing renders from it.
    pub file_handles: StoredValue<Vec<(String, web_sys::File)>, LocalStorage>,
    /// The CLV model's state; reset whenever the files change, because it describes them.
    pub clv: RwSignal<ClvState>,
    next_id: StoredValue<u64>,
}

impl AppState {
    pub fn new() -> Self {
        let files = RwSignal::new(Vec::<FileEntry>::new());
        let engine = Engine::start();
        engine.set_progress_handler(Rc::new(move |id, stage, done, total| {
            let entry = files.with_untracked(|files| files.iter().find(|entry| entry.id == id).map(|entry| entry.progress));
            if let Some(progress) = entry {
                progress.set(Some(ReadProgress { stage, done, total }));
            }
        }));
        let state = AppState {
            files,
            options: RwSignal::new(super::controls::options_from_location()),
            generation: RwSignal::new(0),
            drawn_charts: RwSignal::new(Vec::new()),
            dashboard: RwSignal::new(None),
            dashboard_inputs: RwSignal::new(None),
            files_version: RwSignal::new(0),
            engine: StoredValue::new_local(engine),
            remember: RwSignal::new(false),
            storage_message: RwSignal::new(None),
            file_handles: StoredValue::new_local(Vec::new()),
            clv: RwSignal::new(ClvState::Idle),
            next_id: StoredValue::new(1),
        };
        state.recompute_dashboard_on_change();
        state
    }

    /// Asks the worker for a new dashboard whenever the loaded files or the options change.
    /// Replies can arrive out of date; only the answer to the latest request is shown.
    fn recompute_dashboard_on_change(&self) {
        let state = *self;
        let latest_request = StoredValue::new(0u64);
        // A memo, so that a file that starts reading does not ask for the same dashboard again.
        let wanted = Memo::new(move |_| state.current_inputs());
        Effect::new(move |_| {
            let inputs = wanted.get();
            let request = latest_request.get_value() + 1;
            latest_request.set_value(request);
            if inputs.file_ids.is_empty() {
                state.dashboard.set(None);
                state.dashboard_inputs.set(Some(inputs));
                return;
            }

            let engine = state.engine.get_value();
            spawn_local(async move {
                let outcome = engine.dashboard(inputs.options.clone()).await;
                if latest_request.get_value() != request {
                    return;
                }
                let dashboard = outcome.unwrap_or_else(|error| {
                    gloo::console::error!(format!("the dashboard could not be computed: {error}"));
                    None
                });
                state.dashboard.set(dashboard);
                state.dashboard_inputs.set(Some(inputs));
                state.generation.update(|generation| *generation += 1);
            });
        });
    }

    /// The loaded file ids and the options, as the dashboard should show them now.
    fn current_inputs(&self) -> DashboardInputs {
        let file_ids = self.files.with(|files| files.iter().filter(|entry| matches!(entry.status, FileStatus::Loaded(_))).map(|entry| (entry.id, entry.revision)).collect());
        DashboardInputs { file_ids, options: self.options.get() }
    }

    pub fn next_file_id(&self) -> u64 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// Replaces the files and marks every chart as not yet drawn with the new data.
    pub fn update_files(&self, change: impl FnOnce(&mut Vec<FileEntry>)) {
        self.files.update(change);
        self.clv.set(ClvState::Idle);
        self.files_version.update(|version| *version += 1);
        self.generation.update(|generation| *generation += 1);
    }

    /// Whether a loaded file is a transaction log, which the CLV section needs.
    pub fn has_transactions(&self) -> bool {
        self.files.with(|files| files.iter().any(|entry| matches!(&entry.status, FileStatus::Loaded(file) if file.kind_label == "transactions")))
    }

    /// Records that chart `id` has drawn the data of `generation`.
    pub fn mark_drawn(&self, id: &'static str, generation: u64) {
        self.drawn_charts.update(|drawn| {
            drawn.retain(|(chart, _)| *chart != id);
            drawn.push((id, generation));
        });
    }

    /// Chart ids the current dashboard shows.
    pub fn expected_charts(dashboard: &Dashboard, clv: &ClvState) -> Vec<&'static str> {
        let mut ids = Vec::new();
        if matches!(clv, ClvState::Done(_)) {
            ids.extend([super::clv::CLV_HOLDOUT, super::clv::CLV_DISTRIBUTION]);
        }
        if dashboard.revenue_by_month.is_some() {
            ids.push(super::charts::REVENUE_TREND);
        }
        if dashboard.cohorts.is_some() {
            ids.push(super::charts::COHORT_RETENTION);
        }
        if dashboard.segment_churn.is_some() {
            ids.push(super::charts::SEGMENT_CHURN);
        }
        if dashboard.mrr_movements.is_some() {
            ids.push(super::charts::MRR_MOVEMENTS);
        }
        if dashboard.nps_by_period.is_some() {
            ids.push(super::charts::NPS_DISTRIBUTION);
        }
        if dashboard.feature_adoption.is_some() {
            ids.push(super::charts::FEATURE_ADOPTION);
        }
        if dashboard.user_adoption.is_some() {
            ids.push(super::charts::USER_ADOPTION);
        }
        if dashboard.dau_series.is_some() {
            ids.push(super::charts::ACTIVE_USERS);
        }
        ids
    }

    /// Derives `data-state`: loading while a file is read or a chart has not drawn the
    /// current data, error when files were dropped and none could be used.
    pub fn page_state(&self) -> PageState {
        let files = self.files.get();
        if files.is_empty() {
            return PageState::Empty;
        }
        let clv = self.clv.get();
        let reading = files.iter().any(|entry| matches!(entry.status, FileStatus::Reading) || entry.remap.with(|remap| *remap == RemapStatus::Applying));
        let stale = self.dashboard_inputs.get().as_ref() != Some(&self.current_inputs());
        if reading || stale || matches!(clv, ClvState::Fitting) {
            return PageState::Loading;
        }
        let Some(dashboard) = self.dashboard.get() else {
            return PageState::Error;
        };
        let generation = self.generation.get();
        let drawn = self.drawn_charts.get();
        let all_drawn = Self::expected_charts(&dashboard, &clv)
            .iter()
            .all(|id| drawn.contains(&(*id, generation)));
        if all_drawn {
            PageState::Ready
        } else {
            PageState::Loading
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
