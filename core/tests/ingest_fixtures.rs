//! Ingest on the small hand-written fixtures in `tests/fixtures/ingest`, one file per quirk,
//! with the exact typed values each must produce.

use std::path::PathBuf;

use chrono::NaiveDate;
use headlights_core::ingest::kinds::{IntervalUnit, ScoreScale, SubscriptionStatus, SurveyKind, TicketRating, TicketStatus};
use headlights_core::ingest::profile::ValueType;
use headlights_core::ingest::{read_file, read_file_or_columns, read_file_mapped, read_file_with, Ambiguity, DataKind, Dataset, DecimalSeparator, DetectedSentinel, FileSummary, LoadedFile, Mapping, Money, ReadOptions, ReadOutcome, Role};
use headlights_core::metrics::DashboardOptions;
use headlights_core::session::{Reading, Session};

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ingest").join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

fn load(name: &str) -> LoadedFile {
    read_file(name, &fixture_bytes(name)).unwrap_or_else(|error| panic!("{name} was not read: {error}"))
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn instant(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp()
}

fn cents(values: &[i64]) -> Vec<Money> {
    values.iter().map(|value| Money::from_cents(*value)).collect()
}

fn transactions(file: &LoadedFile) -> &headlights_core::ingest::Transactions {
    match &file.dataset {
        Dataset::Transactions(log) => log,
        other => panic!("{} read as {}", file.name, other.kind_label()),
    }
}

/// Checks the three-row log that several fixtures share.
fn assert_simple_log(file: &LoadedFile) {
    let log = transactions(file);
    assert_eq!(log.customer_ids, ["A1", "B2"]);
    assert_eq!(log.date, [day(2024, 1, 5), day(2024, 1, 6)]);
    assert_eq!(log.amount, cents(&[1000, 2050]));
}

#[test]
fn semicolon_and_decimal_comma() {
    let file = load("semicolon_decimal_comma.csv");
    assert_eq!(file.separator, "semicolon");
    let log = transactions(&file);
    assert_eq!(log.amount, cents(&[123456, 1200, -350]));
    assert_eq!(log.date, [day(2024, 1, 31), day(2024, 2, 15), day(2024, 3, 1)]);
}

#[test]
fn utf16le_with_bom_and_tabs() {
    let file = load("utf16le_bom.csv");
    assert_eq!(file.encoding, "UTF-16LE");
    assert_eq!(file.separator, "tab");
    assert_simple_log(&file);
}

#[test]
fn windows_1252_accented_names() {
    let file = load("windows1252_names.csv");
    assert_eq!(file.encoding, "windows-1252");
    assert_eq!(transactions(&file).customer_ids, ["José Muñoz", "François Bâle", "Søren Ærø"]);
}

#[test]
fn bom_with_crlf() {
    let file = load("bom_crlf.csv");
    assert_eq!(file.columns[0].header, "customer_id");
    assert_simple_log(&file);
}

#[test]
fn carriage_return_line_ends() {
    let file = load("cr_only.csv");
    assert_simple_log(&file);
}

#[test]
fn pipe_separator() {
    let file = load("pipe_separated.txt");
    assert_eq!(file.separator, "pipe");
    assert_simple_log(&file);
}

#[test]
fn quoted_newlines_and_quotes() {
    let file = load("quoted_newlines.csv");
    assert_simple_log(&file);
    assert_eq!(file.columns[1].samples[0], "first line\nsecond \"quoted\" line");
}

#[test]
fn headerless_file_is_numbered() {
    let file = load("headerless.csv");
    assert!(!file.has_header_row);
    assert_eq!(file.columns[0].header, "column 1");
    let log = transactions(&file);
    assert_eq!(log.customer_ids, ["00017", "00018"], "ids keep their leading zeros");
    assert_eq!(log.amount, cents(&[1000, 2050, 725]));
}

#[test]
fn headerless_columns_can_be_named() {
    let options = ReadOptions { column_names: vec!["account".into(), "paid on".into(), "total".into()], ..ReadOptions::default() };
    let file = read_file_with("headerless.csv", &fixture_bytes("headerless.csv"), &options, &mut |_| {}).unwrap();
    let headers: Vec<&str> = file.columns.iter().map(|column| column.header.as_str()).collect();
    assert_eq!(headers, ["account", "paid on", "total"]);
}

#[test]
fn qualtrics_three_header_rows() {
    let file = load("qualtrics_three_rows.csv");
    assert_eq!(file.header_rows, 3);
    let Dataset::Survey(survey) = &file.dataset else { panic!("not a survey") };
    assert_eq!(survey.respondent_ids, ["R_abc1", "R_abc2", "R_abc3"]);
    let q1 = survey.questions.iter().find(|question| question.header == "Q1").unwrap();
    assert_eq!(q1.kind, SurveyKind::Nps);
    assert_eq!(q1.scale, ScoreScale::Points { min: 0, max: 10 });
    assert_eq!(q1.scores, [Some(9), Some(3), Some(10)]);
    let q2 = survey.questions.iter().find(|question| question.header == "Q2").unwrap();
    assert_eq!(q2.kind, SurveyKind::Csat);
    assert_eq!(q2.scale, ScoreScale::Points { min: 1, max: 5 });
    assert_eq!(q2.scores, [Some(4), None, Some(5)]);
    assert_eq!(survey.time[0].unwrap().seconds, instant("2024-03-01 10:05:01"));
}

#[test]
fn empty_external_reference_is_skipped() {
    let text = "RecordedDate,ResponseId,ExternalReference,Q1\n\
                Recorded Date,Response ID,External Data Reference,How likely are you to recommend us to a friend?\n\
                {\"ImportId\":\"recordedDate\"},{\"ImportId\":\"_recordId\"},{\"ImportId\":\"externalDataReference\"},{\"ImportId\":\"QID1\"}\n\
                2024-03-01 10:05:01,R_abc1,,9\n\
                2024-03-02 11:03:02,R_abc2,,3\n";
    let file = read_file("qualtrics.csv", text.as_bytes()).expect("the export reads");

    let Dataset::Survey(survey) = &file.dataset else { panic!("not a survey") };
    assert_eq!(survey.respondent_ids, ["R_abc1", "R_abc2"]);
}

#[test]
fn survey_monkey_two_header_rows() {
    let file = load("surveymonkey_two_rows.csv");
    assert_eq!(file.header_rows, 2);
    let headers: Vec<&str> = file.columns.iter().map(|column| column.header.as_str()).collect();
    assert_eq!(headers[5..], ["Which features do you use? - Reports", "Which features do you use? - Exports"]);
    let Dataset::Survey(survey) = &file.dataset else { panic!("not a survey") };
    assert_eq!(survey.questions.len(), 1);
    assert_eq!(survey.questions[0].kind, SurveyKind::Nps);
    assert_eq!(survey.questions[0].scores, [Some(8), Some(10)]);
    assert_eq!(survey.time[1].unwrap().seconds, instant("2024-03-14 15:09:00"));
}

#[test]
fn day_first_dates_decided_by_one_value() {
    let file = load("day_first_dates.csv");
    assert_eq!(transactions(&file).date, [day(2024, 4, 3), day(2024, 4, 25), day(2024, 5, 1)]);
    assert!(file.ambiguities.is_empty());
}

#[test]
fn year_first_dates_are_not_flagged() {
    let file = read_file("iso.csv", b"customer,date,amount\na,2024-01-05,10\nb,2024-02-06,20\n").unwrap();
    assert!(file.ambiguities.is_empty(), "{:?}", file.ambiguities);
}

#[test]
fn undecidable_dates_are_month_first_and_flagged() {
    let file = load("ambiguous_dates.csv");
    assert_eq!(transactions(&file).date, [day(2024, 3, 4), day(2024, 5, 6)]);
    assert!(matches!(&file.ambiguities[..], [Ambiguity::DateOrder { column, .. }] if column == "date"));
    let options = ReadOptions { date_order: Some(headlights_core::ingest::DateOrder::DayFirst), ..ReadOptions::default() };
    let again = read_file_with("ambiguous_dates.csv", &fixture_bytes("ambiguous_dates.csv"), &options, &mut |_| {}).unwrap();
    assert_eq!(transactions(&again).date, [day(2024, 4, 3), day(2024, 6, 5)]);
}

fn micros(values: &[i64]) -> Vec<Money> {
    values.iter().map(|value| Money::from_micros(*value)).collect()
}

/// Returns the decimal separator assumed for each undecided column, by header.
fn assumed_decimals(file: &LoadedFile) -> Vec<(&str, DecimalSeparator)> {
    file.ambiguities
        .iter()
        .filter_map(|ambiguity| match ambiguity {
            Ambiguity::DecimalSeparator { column, assumed, .. } => Some((column.as_str(), *assumed)),
            Ambiguity::DateOrder { .. } => None,
        })
        .collect()
}

#[test]
fn semicolon_file_assumes_decimal_comma_and_asks() {
    // Every amount has one comma and three digits after it: 3.25 with a decimal comma, 3250
    // with a comma grouping thousands.
    let file = load("semicolon_three_decimals.csv");
    assert_eq!(transactions(&file).amount, micros(&[3_250_000, 7_125_000, 1_500_000, 12_375_000]));
    assert_eq!(assumed_decimals(&file), [("amount", DecimalSeparator::Comma)]);
    let Some(Ambiguity::DecimalSeparator { examples, .. }) = file.ambiguities.first() else { panic!("no question") };
    assert_eq!(examples, &["3,250", "7,125", "1,500"]);
}

#[test]
fn answered_decimal_point_reads_thousands() {
    let options = ReadOptions { decimal_separator: Some(DecimalSeparator::Point), ..ReadOptions::default() };
    let file = read_file_with("semicolon_three_decimals.csv", &fixture_bytes("semicolon_three_decimals.csv"), &options, &mut |_| {}).unwrap();
    assert_eq!(transactions(&file).amount, cents(&[325_000, 712_500, 150_000, 1_237_500]));
    assert!(file.ambiguities.is_empty(), "{:?}", file.ambiguities);
}

#[test]
fn comma_file_assumes_decimal_point_and_asks() {
    let bytes = b"customer,date,amount\nC-1,2024-01-05,\"3,250\"\nC-2,2024-01-12,\"7,125\"\n";
    let file = read_file("payments.csv", bytes).unwrap();
    assert_eq!(transactions(&file).amount, cents(&[325_000, 712_500]));
    assert_eq!(assumed_decimals(&file), [("amount", DecimalSeparator::Point)]);
}

#[test]
fn other_column_decides_assumed_decimal() {
    // The fee `0,5` can only be read with a decimal comma, so the amounts are read with one too.
    let bytes = b"customer\tdate\tamount\tfee\nC-1\t2024-01-05\t3,250\t0,5\nC-2\t2024-01-12\t7,125\t1,25\n";
    let file = read_file("payments.tsv", bytes).unwrap();
    assert_eq!(transactions(&file).amount, micros(&[3_250_000, 7_125_000]));
    assert_eq!(assumed_decimals(&file), [("amount", DecimalSeparator::Comma)]);
}

fn events(file: &LoadedFile) -> &headlights_core::ingest::kinds::Events {
    match &file.dataset {
        Dataset::Events(events) => events,
        other => panic!("{} read as {}", file.name, other.kind_label()),
    }
}

#[test]
fn twelve_hour_times() {
    let file = load("twelve_hour_times.csv");
    let seconds: Vec<i64> = events(&file).time.iter().map(|time| time.seconds).collect();
    assert_eq!(seconds, [instant("2024-01-31 15:05:00"), instant("2024-01-31 00:10:00"), instant("2024-02-01 11:59:00")]);
}

#[test]
fn epoch_seconds_and_milliseconds() {
    let seconds = load("epoch_seconds.csv");
    assert_eq!(events(&seconds).time[0].seconds, 1_704_067_200);
    let millis = load("epoch_millis.csv");
    assert_eq!(events(&millis).time[1].seconds, 1_704_153_600);
}

#[test]
fn excel_serial_dates() {
    let file = load("excel_serials.csv");
    assert_eq!(transactions(&file).date, [day(2024, 1, 1), day(2024, 2, 1)]);
}

#[test]
fn parentheses_currency_and_percent() {
    let file = load("percent_parentheses.csv");
    assert_eq!(transactions(&file).amount, cents(&[-1250, 123450]));
    let discount = &file.columns[3];
    assert_eq!(discount.value_type, headlights_core::ingest::profile::ValueType::Number);
}

#[test]
fn declared_sentinel_is_missing() {
    let options = ReadOptions { missing_sentinels: vec!["-99".into()], ..ReadOptions::default() };
    let file = read_file_with("sentinel_minus99.csv", &fixture_bytes("sentinel_minus99.csv"), &options, &mut |_| {}).unwrap();
    let Dataset::Survey(survey) = &file.dataset else { panic!("not a survey") };
    assert_eq!(survey.questions[0].scores, [Some(5), None, Some(4)]);
    assert_eq!(survey.questions[0].kind, SurveyKind::Csat);
    assert_eq!(survey.questions[1].kind, SurveyKind::Ces);
    assert_eq!(file.problem_count, 0);
}

/// Writes a survey of 120 responses in which rows 4, 13, …, 112 (13 of them) answer `-99`
/// for "no answer". The other 107 are 30 × 10, 30 × 9, 11 × 8, 11 × 7 and 25 × 3.
fn survey_with_minus_99() -> String {
    let answered = [(10, 30), (9, 30), (8, 11), (7, 11), (3, 25)];
    let mut scores = answered.iter().flat_map(|(score, count)| std::iter::repeat_n(*score, *count));
    let mut text = String::from("respondent_id,submitted_at,nps_score,comment\n");
    for row in 0..120 {
        let score = if row % 9 == 4 && row < 117 { -99 } else { scores.next().expect("107 answers") };
        let comment = if row % 5 == 0 { "slow exports" } else { "" };
        text.push_str(&format!("R{row:03},2024-03-{:02} 10:15:00,{score},{comment}\n", row % 28 + 1));
    }
    text
}

#[test]
fn minus_99_scores_are_missing() {
    let file = read_file("nps.csv", survey_with_minus_99().as_bytes()).unwrap();
    let Dataset::Survey(survey) = &file.dataset else { panic!("read as {}", file.dataset.kind_label()) };
    let question = &survey.questions[0];
    assert_eq!(question.kind, SurveyKind::Nps);
    // A response whose only score is missing is no response, so its row is left out.
    assert_eq!(question.scores.len(), 107);
    assert_eq!((file.rows_in_file, file.rows_read), (120, 107));
    assert_eq!(file.detected_sentinels, [DetectedSentinel { value: "-99".into(), column: "nps_score".into(), cells: 13 }]);
    assert_eq!(file.mapping.options.missing_sentinels, ["-99"]);
    assert_eq!(file.problem_count, 0);

    // 60 promoters and 25 detractors of 107 responses: 100 × 35 / 107.
    let nps = headlights_core::metrics::experience::nps::nps(question.scores.iter().flatten().copied()).unwrap();
    assert_eq!((nps.promoters, nps.passives, nps.detractors, nps.responses), (60, 22, 25, 107));
    assert!((nps.score - 3500.0 / 107.0).abs() < 1e-9, "{}", nps.score);
}

#[test]
fn cleared_markers_read_minus_99_as_value() {
    let detected = read_file("nps.csv", survey_with_minus_99().as_bytes()).unwrap();
    let mut mapping = detected.mapping.clone();
    mapping.options.missing_sentinels.clear();
    let file = read_file_mapped("nps.csv", survey_with_minus_99().as_bytes(), &mapping, &mut |_| {}).unwrap();
    assert!(file.detected_sentinels.is_empty());
    // Without the marker, -99 is a value outside the scale, so each of its rows is a problem.
    assert_eq!(file.problem_count, 13);
    assert_eq!(file.problems[0].found, "-99");
}

#[test]
fn sentinel_needs_nines_and_scores() {
    // -5 is no "no answer" code, so the column is not a 0–10 score and nothing is missing.
    let file = read_file_or_columns("nps.csv", survey_with_minus_99().replace(",-99,", ",-5,").as_bytes(), &ReadOptions::default(), &mut |_| {}).unwrap();
    let sentinels = match &file {
        ReadOutcome::Recognised(file) => &file.detected_sentinels,
        ReadOutcome::Unrecognised { summary, .. } => &summary.detected_sentinels,
    };
    assert!(sentinels.is_empty());
}

#[test]
fn duplicate_headers_kept_apart() {
    let file = load("duplicate_headers.csv");
    assert_eq!(file.columns[3].header, "amount (2)");
    assert_eq!(file.columns[2].role, Some(Role::Amount));
    assert_simple_log(&file);
}

#[test]
fn trailing_empty_rows_are_dropped() {
    let file = load("trailing_empty_rows.csv");
    assert_eq!(file.rows_in_file, 2);
    assert_eq!(file.problem_count, 0);
    assert_simple_log(&file);
}

#[test]
fn mixpanel_json_lines() {
    let file = load("mixpanel.jsonl");
    let events = events(&file);
    assert_eq!(events.user_ids, ["u1", "u2"]);
    assert_eq!(events.event_names, ["Signed Up", "Viewed Report"]);
    assert_eq!(events.event, [0, 1, 0]);
    assert_eq!(events.time[1].seconds, 1_704_070_800);
    let plan = events.user_segments.iter().find(|segment| segment.name == "properties.plan").unwrap();
    assert_eq!(plan.labels[plan.values[1] as usize], "free");
}

#[test]
fn amplitude_json_lines() {
    let file = load("amplitude.jsonl");
    let events = events(&file);
    assert_eq!(events.event_names, ["session_start", "export"]);
    assert_eq!(events.time[0].seconds, instant("2024-01-01 10:00:00"));
}

#[test]
fn posthog_json_array_with_offsets() {
    let file = load("posthog.json");
    let events = events(&file);
    assert_eq!(events.user_ids, ["u1", "u2"]);
    assert_eq!(events.time[0].seconds, instant("2024-01-01 08:00:00"), "converted to UTC");
    assert_eq!(events.time[1].seconds, instant("2024-01-02 23:30:00"));
}

#[test]
fn stripe_payments_exclude_failed_and_date_refunds() {
    let file = load("stripe_unified_payments.csv");
    let log = transactions(&file);
    assert_eq!(file.rows_excluded, 2, "the failed and the uncaptured charge");
    assert_eq!(log.customer_ids, ["cus_A", "cus_B"]);
    assert_eq!(log.amount, cents(&[1500, 3000, -1000]));
    assert_eq!(log.date, [day(2024, 6, 7), day(2024, 6, 8), day(2024, 7, 1)]);
    assert_eq!(log.currencies, ["USD", "EUR"]);
    assert_eq!(log.currency, [0, 1, 1]);
    assert_eq!(file.columns[6].role, Some(Role::ConvertedAmount));
}

#[test]
fn stripe_subscriptions() {
    let file = load("stripe_subscriptions.csv");
    let Dataset::Subscriptions(subscriptions) = &file.dataset else { panic!("not subscriptions") };
    let [first, second] = &subscriptions.rows[..] else { panic!("two rows") };
    assert_eq!(first.id, "sub_1");
    assert_eq!(first.unit_price, Money::from_cents(4900));
    assert_eq!(first.quantity, 2);
    assert_eq!(first.interval, IntervalUnit::Month);
    assert_eq!(first.status, SubscriptionStatus::Active);
    assert_eq!(first.start.seconds, instant("2024-01-01 00:00:00"));
    assert_eq!(second.interval, IntervalUnit::Year);
    assert_eq!(second.status, SubscriptionStatus::Canceled);
    assert_eq!(second.start.seconds, instant("2024-02-15 00:00:00"));
    assert_eq!(second.ended_at.unwrap().seconds, instant("2024-05-03 12:00:00"));
    assert_eq!(second.trial_end.unwrap().seconds, instant("2024-02-15 00:00:00"));
    assert_eq!(subscriptions.plans, ["pro_monthly", "team_yearly"]);
}

#[test]
fn chargebee_subscriptions() {
    let file = load("chargebee_subscriptions.csv");
    let Dataset::Subscriptions(subscriptions) = &file.dataset else { panic!("not subscriptions") };
    assert_eq!(subscriptions.customer_ids, ["cust_1", "cust_2", "cust_3"]);
    let statuses: Vec<SubscriptionStatus> = subscriptions.rows.iter().map(|row| row.status).collect();
    assert_eq!(statuses, [SubscriptionStatus::Active, SubscriptionStatus::Active, SubscriptionStatus::Canceled]);
    assert!(subscriptions.rows[1].cancel_at_period_end, "non_renewing cancels at the end of the term");
    assert_eq!(subscriptions.rows[1].quantity, 3);
    assert_eq!(subscriptions.rows[2].canceled_at.unwrap().seconds, instant("2024-05-05 00:00:00"));
}

#[test]
fn zendesk_tickets() {
    let file = load("zendesk_tickets.csv");
    let Dataset::Tickets(tickets) = &file.dataset else { panic!("not tickets") };
    let ids: Vec<&str> = tickets.rows.iter().map(|ticket| ticket.id.as_str()).collect();
    assert_eq!(ids, ["101", "102", "103"]);
    let statuses: Vec<TicketStatus> = tickets.rows.iter().map(|ticket| ticket.status).collect();
    assert_eq!(statuses, [TicketStatus::Solved, TicketStatus::Open, TicketStatus::Closed]);
    assert_eq!(tickets.rows[2].reopens, Some(1));
    assert_eq!(tickets.rows[2].agent_replies, Some(3));
    assert_eq!(tickets.rows[0].rating, Some(TicketRating::Good));
    assert_eq!(tickets.rows[1].rating, Some(TicketRating::Offered));
    assert_eq!(tickets.rows[0].solved.unwrap().seconds, instant("2024-03-01 11:00:00"));
    assert_eq!(tickets.rows[1].solved, None);
}

#[test]
fn freshdesk_tickets() {
    let file = load("freshdesk_tickets.csv");
    let Dataset::Tickets(tickets) = &file.dataset else { panic!("not tickets") };
    assert_eq!(tickets.rows[0].status, TicketStatus::Solved);
    assert_eq!(tickets.rows[1].status, TicketStatus::Pending);
    assert_eq!(tickets.rows[0].agent_replies, Some(1));
    assert_eq!(tickets.rows[0].solved.unwrap().seconds, instant("2024-04-01 15:00:00"));
}

#[test]
fn delighted_survey_with_epoch_dates() {
    let file = load("delighted_survey.csv");
    let Dataset::Survey(survey) = &file.dataset else { panic!("not a survey") };
    assert_eq!(survey.questions[0].kind, SurveyKind::Nps);
    assert_eq!(survey.questions[0].scores, [Some(9), Some(6), Some(10)]);
    assert_eq!(survey.time[0].unwrap().seconds, 1_704_067_200);
    // The person (here the e-mail) is the respondent, not the id of one response.
    assert_eq!(survey.respondent_ids, ["a@x.com", "b@x.com", "c@x.com"]);
}

#[test]
fn typeform_survey_scale_from_header() {
    let file = load("typeform_survey.csv");
    let Dataset::Survey(survey) = &file.dataset else { panic!("not a survey") };
    let question = &survey.questions[0];
    assert_eq!(question.kind, SurveyKind::Ces);
    assert_eq!(question.scale, ScoreScale::Points { min: 1, max: 7 });
    assert_eq!(question.scores, [Some(6), Some(3)]);
    assert_eq!(survey.time[0].unwrap().seconds, instant("2024-10-05 02:39:31"));
}

#[test]
fn retention_spend() {
    let file = load("retention_spend.csv");
    let Dataset::RetentionSpend(spend) = &file.dataset else { panic!("not spend") };
    let amounts: Vec<Money> = spend.rows.iter().map(|row| row.amount).collect();
    assert_eq!(amounts, cents(&[1_200_000, 950_050]));
    assert_eq!(spend.rows[1].date, day(2024, 2, 1));
}

#[test]
fn hubspot_accounts() {
    let file = load("hubspot_companies.csv");
    let Dataset::Accounts(accounts) = &file.dataset else { panic!("read as {}", file.dataset.kind_label()) };
    assert_eq!(accounts.customer_ids, ["101", "102", "103"]);
    assert!(accounts.segments.iter().any(|segment| segment.name == "Industry"));
}

#[test]
fn mapping_round_trips_through_read_file_mapped() {
    let file = load("stripe_unified_payments.csv");
    let again = headlights_core::ingest::read_file_mapped("again.csv", &fixture_bytes("stripe_unified_payments.csv"), &file.mapping, &mut |_| {}).unwrap();
    assert_eq!(transactions(&again).amount, transactions(&file).amount);
    assert_eq!(again.fingerprint, file.fingerprint);
}

#[test]
fn budget_sheet_with_category_is_spend() {
    // Three months of two categories: identifier detection needs repeated values to tell a
    // category from an id, as any real budget sheet has.
    let mut text = String::from("date,category,amount,currency\n");
    for month in ["2024-11-01", "2024-12-01", "2025-01-01"] {
        text.push_str(&format!("{month},CS salaries,15000.00,USD\n{month},CS platform,1200.00,USD\n"));
    }
    let file = headlights_core::ingest::read_file("budget.csv", text.as_bytes()).expect("a budget sheet is readable");
    assert_eq!(file.dataset.kind_label(), "retention spend");
    assert_eq!(file.rows_read, 6);
}

/// The German payments export that no data kind fits: "Kunde" (customer) contains three
/// company names over seven rows, so it does not look like an id column.
const GERMAN: &str = "german_unrecognised.csv";

/// Returns the mapping a user chooses for [`GERMAN`]: Kunde, Datum and Betrag as a payment's
/// customer, date and amount, and Notiz (note) unused.
fn german_mapping(options: ReadOptions) -> Mapping {
    Mapping { kind: DataKind::Transactions, roles: vec![Some(Role::CustomerId), Some(Role::Date), Some(Role::Amount), None], options }
}

fn german_columns() -> Box<FileSummary> {
    match read_file_or_columns(GERMAN, &fixture_bytes(GERMAN), &ReadOptions::default(), &mut |_| {}) {
        Ok(ReadOutcome::Unrecognised { summary, .. }) => summary,
        Ok(ReadOutcome::Recognised(file)) => panic!("{GERMAN} was recognised as {}", file.dataset.kind_label()),
        Err(error) => panic!("{GERMAN} was not read: {error}"),
    }
}

#[test]
fn unrecognised_file_keeps_its_columns() {
    let summary = german_columns();
    assert_eq!(summary.kind_label, "not recognised");
    assert_eq!(summary.separator, "semicolon");
    assert_eq!(summary.rows_in_file, 7);
    assert_eq!(summary.rows_read, 0);
    let headers: Vec<&str> = summary.columns.iter().map(|column| column.header.as_str()).collect();
    assert_eq!(headers, ["Kunde", "Datum", "Betrag", "Notiz"]);
    let types: Vec<ValueType> = summary.columns.iter().map(|column| column.value_type).collect();
    assert_eq!(types, [ValueType::Text, ValueType::Date, ValueType::Number, ValueType::Text]);
    assert_eq!(summary.columns[0].samples, ["Müller GmbH", "Schmidt AG", "Bäckerei Weber"]);
    assert_eq!(summary.columns[2].samples[..2], ["1.234,56", "89,90"]);
}

#[test]
fn unrecognised_file_guesses_found_roles() {
    let summary = german_columns();
    assert_eq!(summary.mapping.kind, DataKind::Transactions);
    assert_eq!(summary.mapping.roles, [None, Some(Role::Date), Some(Role::Amount), None]);
    assert_eq!(summary.mapping.missing_roles(), [Role::CustomerId]);
    assert_eq!(summary.fingerprint, headlights_core::ingest::header_fingerprint(&["Kunde".into(), "Datum".into(), "Betrag".into(), "Notiz".into()]));
}

#[test]
fn unrecognised_message_names_missing_role() {
    let message = german_columns().unrecognised.expect("a reason");
    assert!(message.starts_with("german_unrecognised.csv: not recognised as a known data kind."), "{message}");
    assert!(message.contains("read \"Datum\" as the date and \"Betrag\" as the amount"), "{message}");
    assert!(message.contains("no column was recognised as the customer id"), "{message}");
    assert!(message.contains("column mapping below"), "{message}");

    let error = read_file(GERMAN, &fixture_bytes(GERMAN)).unwrap_err();
    assert_eq!(error.to_string(), message, "read_file rejects the file with the same message");
}

#[test]
fn unrecognised_file_reads_with_user_mapping() {
    let bytes = fixture_bytes(GERMAN);
    let mapping = german_mapping(german_columns().mapping.options);
    let file = headlights_core::ingest::read_file_mapped(GERMAN, &bytes, &mapping, &mut |_| {}).expect("the mapping fits");
    assert_eq!(file.rows_read, 7);
    assert_eq!(file.problem_count, 0);
    let log = transactions(&file);
    assert_eq!(log.customer_ids, ["Müller GmbH", "Schmidt AG", "Bäckerei Weber"]);
    assert_eq!(log.customer, [0, 1, 0, 2, 1, 2, 0]);
    let dates = [day(2024, 1, 31), day(2024, 2, 15), day(2024, 3, 1), day(2024, 3, 12), day(2024, 4, 2), day(2024, 4, 28), day(2024, 4, 30)];
    assert_eq!(log.date, dates);
    assert_eq!(log.amount, cents(&[123456, 8990, -4500, 31000, 1235, 100000, 705]));
    // 1234.56 + 89.90 - 45.00 + 310.00 + 12.35 + 1000.00 + 7.05
    let total = log.amount.iter().fold(Money::default(), |sum, amount| sum + *amount);
    assert_eq!(total, Money::from_cents(260_886));
}

/// A short log with one amount that is not a number: too few numbers to read the column as
/// amounts, so the file is not recognised.
const ONE_BAD_AMOUNT: &str = "customer_id,date,amount\nc1,2024-01-05,10.00\nc2,2024-01-06,twelve\nc3,2024-02-01,30.50\nc1,2024-02-10,5.25\n";

#[test]
fn unrecognised_message_names_bad_number() {
    let error = read_file("short_log.csv", ONE_BAD_AMOUNT.as_bytes()).unwrap_err().to_string();

    assert!(error.contains("no column was recognised as the amount"), "{error}");
    assert!(error.contains("Column \"amount\" has numbers in 3 of its 4 values"), "{error}");
    assert!(error.contains("\"twelve\" on line 3"), "{error}");
    assert!(!error.contains("No column holds numbers"), "{error}");
}

#[test]
fn bad_number_column_reads_when_mapped() {
    let mapping = Mapping { kind: DataKind::Transactions, roles: vec![Some(Role::CustomerId), Some(Role::Date), Some(Role::Amount)], options: ReadOptions::default() };

    let file = read_file_mapped("short_log.csv", ONE_BAD_AMOUNT.as_bytes(), &mapping, &mut |_| {}).expect("the mapping fits");

    assert_eq!(file.rows_read, 3);
    assert_eq!(file.problem_count, 1);
    assert_eq!(file.problems[0].line, 3);
    assert_eq!(file.problems[0].found, "twelve");
    assert_eq!(transactions(&file).amount, cents(&[1000, 3050, 525]));
}

/// Dashboard revenue: the same sum as a card shows it.
#[test]
fn mapped_german_file_gives_revenue() {
    let mut session = Session::new();
    let detected = session.load(1, GERMAN, &fixture_bytes(GERMAN), &Reading::default(), &mut |_| {}).expect("the columns are read");
    assert!(detected.unrecognised.is_some());
    assert!(session.dashboard(&DashboardOptions::default()).is_none(), "an unrecognised file adds no dataset");

    let mapped = session.load(1, GERMAN, &fixture_bytes(GERMAN), &Reading::Mapped(german_mapping(detected.mapping.options)), &mut |_| {}).expect("the mapping fits");
    assert_eq!(mapped.kind_label, "transactions");
    assert_eq!(mapped.unrecognised, None);
    let dashboard = session.dashboard(&DashboardOptions::default()).expect("a dashboard");
    let revenue = dashboard.cards.iter().find(|card| card.id == "revenue").expect("a revenue card").reading.clone().expect("revenue");
    assert_eq!(revenue.raw, "2608.86");
    assert_eq!(revenue.period, "2024-01-31..2024-04-30");
}
