//! Test helpers: a small CSV reader that builds the engine's typed tables from the real data
//! sets directly, so these tests do not depend on the ingest layer, and a reader for the
//! expected-value fixtures that `fixtures/scripts/expected_values.py` writes.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDateTime;
use headlights_core::ingest::dataset::Interner;
use headlights_core::ingest::kinds::{
    Events, ScaleSource, ScoreScale, SurveyKind, SurveyQuestion, SurveyResponses, Timestamp,
};
use headlights_core::ingest::{CustomerSnapshot, Money, Segment};

/// The columns of the Telco file that are categorical attributes of a customer.
pub const TELCO_SEGMENTS: [&str; 16] = [
    "gender", "SeniorCitizen", "Partner", "Dependents", "PhoneService", "MultipleLines",
    "InternetService", "OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport",
    "StreamingTV", "StreamingMovies", "Contract", "PaperlessBilling", "PaymentMethod",
];

/// Returns the path of a file under the shared data sets folder beside the repository.
pub fn dataset_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/datasets").join(name)
}

/// Reads a CSV file with a header row into `(header, rows)`.
pub fn read_csv(path: &PathBuf) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|error| panic!("cannot open {}: {error}", path.display()));
    let header = reader.headers().expect("a header row").iter().map(str::to_string).collect();
    let rows = reader
        .records()
        .map(|record| record.expect("a well-formed CSV record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Reads an expected-value fixture as rows of named fields.
pub fn expected(name: &str) -> Vec<HashMap<String, String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/expected").join(name);
    let (header, rows) = read_csv(&path);
    rows.into_iter().map(|row| header.iter().cloned().zip(row).collect()).collect()
}

/// Parses a fixture field as a whole number.
pub fn number(row: &HashMap<String, String>, field: &str) -> i64 {
    row[field].parse().unwrap_or_else(|_| panic!("{field} is not a whole number in {row:?}"))
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|known| known == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// Builds a segment from one column of `rows`, labels in order of first appearance.
fn segment(name: &str, values: impl Iterator<Item = String>) -> Segment {
    let mut labels = Interner::default();
    let values = values.map(|value| labels.intern(&value)).collect();
    Segment { name: name.to_string(), labels: labels.values, values }
}

/// Parses `29.85` as money without floating point.
fn money(text: &str) -> Money {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let fraction = format!("{fraction:0<6}");
    let micros = whole.parse::<i64>().expect("whole units") * 1_000_000 + fraction[..6].parse::<i64>().expect("fraction");
    Money::from_micros(micros)
}

/// The Telco churn file as a customer snapshot with every categorical column as a segment.
pub fn telco_snapshot() -> CustomerSnapshot {
    let (header, rows) = read_csv(&dataset_path("real/telco_customer_churn.csv"));
    let (id, churn, charge) = (column(&header, "customerID"), column(&header, "Churn"), column(&header, "MonthlyCharges"));
    CustomerSnapshot {
        customer_ids: rows.iter().map(|row| row[id].clone()).collect(),
        churned: rows.iter().map(|row| row[churn] == "Yes").collect(),
        monthly_charge: rows.iter().map(|row| money(&row[charge])).collect(),
        segments: TELCO_SEGMENTS
            .iter()
            .map(|name| {
                let index = column(&header, name);
                segment(name, rows.iter().map(|row| row[index].clone()))
            })
            .collect(),
    }
}

/// The corporate reputation survey: `cusa` (satisfaction, 1–7, `-99` missing) as a CSAT
/// question, with `servicetype` and `serviceprovider` as segments. The file has no dates or ids.
pub fn corp_rep_survey() -> SurveyResponses {
    let (header, rows) = read_csv(&dataset_path("real/corp_rep_survey.csv"));
    let score = column(&header, "cusa");
    let scores = rows
        .iter()
        .map(|row| row[score].parse::<i16>().expect("whole scores"))
        .map(|value| (value != -99).then_some(value))
        .collect();
    SurveyResponses {
        respondent_ids: Vec::new(),
        respondent: vec![None; rows.len()],
        account_ids: Vec::new(),
        account: Vec::new(),
        time: vec![None; rows.len()],
        questions: vec![SurveyQuestion {
            header: "cusa".into(),
            kind: SurveyKind::Csat,
            scale: ScoreScale::Points { min: 1, max: 7 },
            scale_source: ScaleSource::User,
            scores,
        }],
        segments: ["servicetype", "serviceprovider"]
            .iter()
            .map(|name| {
                let index = column(&header, name);
                segment(name, rows.iter().map(|row| row[index].clone()))
            })
            .collect(),
    }
}

/// The synthetic e-commerce event log, with `platform` and `acquisition_channel` as user
/// segments (the value on each user's first row in the file).
pub fn ecom_events() -> Events {
    let (header, rows) = read_csv(&dataset_path("synthetic/ecom_events.csv"));
    let (user, event, time) = (column(&header, "user_id"), column(&header, "event"), column(&header, "timestamp"));
    let mut users = Interner::default();
    let mut names = Interner::default();
    let mut log = Events::default();
    let mut first_row_of_user: Vec<usize> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let user_index = users.intern(&row[user]);
        if user_index as usize == first_row_of_user.len() {
            first_row_of_user.push(index);
        }
        log.user.push(user_index);
        log.event.push(names.intern(&row[event]));
        let moment = NaiveDateTime::parse_from_str(&row[time], "%Y-%m-%d %H:%M:%S").expect("ISO timestamps");
        log.time.push(Timestamp::from_naive(moment));
    }
    log.user_segments = ["platform", "acquisition_channel"]
        .iter()
        .map(|name| {
            let index = column(&header, name);
            segment(name, first_row_of_user.iter().map(|row| rows[*row][index].clone()))
        })
        .collect();
    log.signup_of_user = vec![None; users.values.len()];
    log.account_of_user = vec![None; users.values.len()];
    log.user_ids = users.values;
    log.event_names = names.values;
    log
}
