//! Times Headlights' engine natively on each file named on the command line, phase by phase:
//! reading the file from disk, ingest (decoding, splitting into records, finishing the text
//! table, then `recognise`: profiling, role mapping, kind detection and typing the rows) and
//! `build_dashboard` with default options, in wall time and, for ingest and the dashboard, in
//! the thread's CPU time. Prints one JSON
//! object per file and run, with the KPI values the benchmark compares against DuckDB.
//!
//!     cargo run --release -p headlights-core --example bench_phases -- [--reps N] FILE...

use std::time::Instant;

use headlights_core::ingest::{read_file_with, Phase, Progress, ReadOptions};
use headlights_core::metrics::{build_dashboard, DashboardOptions};

/// KPI ids whose raw values are printed, for the cross-check with DuckDB.
const COMPARED_KPIS: [&str; 7] = ["dau", "wau", "mau", "revenue", "active_customers", "arpu", "stickiness"];

/// Returns the CPU time this thread has run, in milliseconds, from Linux's
/// `/proc/thread-self/schedstat`; `None` elsewhere. On a shared machine it is steadier than
/// wall time, which also counts the time other processes hold the cores.
fn thread_cpu_ms() -> Option<f64> {
    let stats = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = stats.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e6)
}

/// Returns the CPU milliseconds between two readings of [`thread_cpu_ms`].
fn cpu_span(start: Option<f64>, end: Option<f64>) -> Option<f64> {
    Some(end? - start?)
}

/// Milliseconds since `start`.
fn millis_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Instants at which each ingest phase started and ended, from the progress callback.
#[derive(Default)]
struct PhaseMarks {
    decoding: Option<(f64, f64)>,
    splitting: Option<(f64, f64)>,
    typing: Option<(f64, f64)>,
}

impl PhaseMarks {
    fn record(&mut self, progress: Progress, at_ms: f64) {
        let slot = match progress.phase {
            Phase::Decoding => &mut self.decoding,
            Phase::Splitting => &mut self.splitting,
            Phase::Typing => &mut self.typing,
        };
        let marks = slot.get_or_insert((at_ms, at_ms));
        if progress.processed == progress.total {
            marks.1 = at_ms;
        }
    }
}

fn json_number(value: Option<f64>) -> String {
    value.map_or("null".to_string(), |value| format!("{value:.3}"))
}

fn run_once(path: &str, rep: usize) -> Result<String, String> {
    let started = Instant::now();
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read {path}: {error}"))?;
    let read_ms = millis_since(started);

    let ingest_cpu_start = thread_cpu_ms();
    let ingest_started = Instant::now();
    let mut marks = PhaseMarks::default();
    let loaded = read_file_with(path, &bytes, &ReadOptions::default(), &mut |progress| {
        marks.record(progress, millis_since(ingest_started))
    })
    .map_err(|error| error.to_string())?;
    let ingest_ms = millis_since(ingest_started);
    let ingest_cpu_ms = cpu_span(ingest_cpu_start, thread_cpu_ms());

    let dashboard_cpu_start = thread_cpu_ms();
    let dashboard_started = Instant::now();
    let dashboard = build_dashboard(&[&loaded.dataset], &DashboardOptions::default());
    let dashboard_ms = millis_since(dashboard_started);
    let dashboard_cpu_ms = cpu_span(dashboard_cpu_start, thread_cpu_ms());

    // Between the end of splitting and the start of the typing phase, the text table is finished.
    let table_finish_ms = match (marks.splitting, marks.typing) {
        (Some((_, split_end)), Some((typing_start, _))) => Some(typing_start - split_end),
        _ => None,
    };
    let span = |phase: Option<(f64, f64)>| phase.map(|(start, end)| end - start);
    let kpis: Vec<String> = dashboard
        .cards
        .iter()
        .filter(|card| COMPARED_KPIS.contains(&card.id))
        .filter_map(|card| card.reading.as_ref().ok().map(|reading| (card.id, reading)))
        .map(|(id, reading)| format!("\"{id}\":{{\"value\":\"{}\",\"period\":\"{}\"}}", reading.raw, reading.period))
        .collect();

    Ok(format!(
        "{{\"file\":\"{path}\",\"rep\":{rep},\"bytes\":{},\"rows_read\":{},\"kind\":\"{}\",\"read_ms\":{read_ms:.3},\
         \"decode_ms\":{},\"split_ms\":{},\"table_finish_ms\":{},\"recognise_ms\":{},\"ingest_ms\":{ingest_ms:.3},\
         \"dashboard_ms\":{dashboard_ms:.3},\"ingest_cpu_ms\":{},\"dashboard_cpu_ms\":{},\"kpis\":{{{}}}}}",
        bytes.len(),
        loaded.rows_read,
        loaded.dataset.kind_label(),
        json_number(span(marks.decoding)),
        json_number(span(marks.splitting)),
        json_number(table_finish_ms),
        json_number(span(marks.typing)),
        json_number(ingest_cpu_ms),
        json_number(dashboard_cpu_ms),
        kpis.join(",")
    ))
}

fn main() {
    let mut reps = 3;
    let mut paths = Vec::new();
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        if argument == "--reps" {
            let value = arguments.next().unwrap_or_default();
            reps = value.parse().unwrap_or_else(|_| panic!("invalid value {value:?} for --reps; expected a whole number"));
        } else {
            paths.push(argument);
        }
    }
    for path in &paths {
        for rep in 0..reps {
            match run_once(path, rep) {
                Ok(line) => println!("{line}"),
                Err(message) => println!("{{\"file\":\"{path}\",\"rep\":{rep},\"error\":{message:?}}}"),
            }
        }
    }
}
