//! Writes the sample company's exports into a directory, for benchmarks and manual checks.
//!
//! Usage: `generate-sample [--seed N] [--customers N] [--events N] [--subscriptions N]
//! [--payments N] [--months N] [--out DIR]`. Each file is streamed to disk as it is generated.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use headlights_core::sample::{SampleCompany, SampleExport, SampleSize};

const USAGE: &str = "\
Usage: generate-sample [options]

Writes a simulated B2B SaaS company's exports (Stripe, Mixpanel, Delighted, Typeform, Zendesk,
HubSpot, retention spend) into a directory. The same options always give the same bytes.

Options:
  --seed N           seed of the random generators (default 1)
  --customers N      minimum number of customers to simulate (default 300)
  --events N         target number of product event rows, met within about 1% (default 15000)
  --subscriptions N  minimum number of subscription rows; adds customers until met
  --payments N       minimum number of payment rows; adds customers until met
  --months N         length of the simulated span in months, ending 2026-10-31 (default 24)
  --out DIR          directory to write into, created if missing (default sample-data)
  --help             print this help";

struct Options {
    seed: u64,
    size: SampleSize,
    out: PathBuf,
}

fn parse_number(flag: &str, value: Option<String>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("missing value for {flag}; expected a whole number"))?;
    let digits: String = value.chars().filter(|character| *character != '_').collect();
    digits.parse().map_err(|_| format!("invalid value {value:?} for {flag}; expected a whole number such as 1000000"))
}

fn parse_options(mut arguments: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options { seed: 1, size: SampleSize::small(), out: PathBuf::from("sample-data") };
    options.size.mixpanel_events = true;
    while let Some(flag) = arguments.next() {
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--seed" => options.seed = parse_number(&flag, arguments.next())?,
            "--customers" => options.size.customers = parse_number(&flag, arguments.next())? as usize,
            "--events" => options.size.events = Some(parse_number(&flag, arguments.next())?),
            "--subscriptions" => options.size.subscriptions = Some(parse_number(&flag, arguments.next())? as usize),
            "--payments" => options.size.payments = Some(parse_number(&flag, arguments.next())? as usize),
            "--months" => {
                let months = parse_number(&flag, arguments.next())?;
                options.size.span.months = u32::try_from(months).ok().filter(|months| (1..=240).contains(months)).ok_or_else(
                    || format!("invalid value {months} for --months; expected 1 to 240"),
                )?;
            }
            "--out" => {
                let directory = arguments.next().ok_or("missing value for --out; expected a directory")?;
                options.out = PathBuf::from(directory);
            }
            other => return Err(format!("unknown option {other:?}; run with --help to list the options")),
        }
    }
    Ok(Some(options))
}

fn run(options: &Options) -> Result<(), String> {
    fs::create_dir_all(&options.out)
        .map_err(|error| format!("cannot create directory {}: {error}", options.out.display()))?;

    let started = Instant::now();
    let sample = SampleCompany::simulate(options.seed, options.size);
    println!("simulated {} customers in {:.2} s", sample.company.customers.len(), started.elapsed().as_secs_f64());

    for export in SampleExport::selected(&options.size) {
        let path = options.out.join(export.file_name());
        let started = Instant::now();
        let file = File::create(&path).map_err(|error| format!("cannot create {}: {error}", path.display()))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        sample
            .write(export, &mut writer)
            .and_then(|()| writer.flush())
            .map_err(|error| format!("failed to write {}: {error}", path.display()))?;
        let bytes = fs::metadata(&path).map(|metadata| metadata.len()).unwrap_or(0);
        println!("wrote {} ({bytes} bytes) in {:.2} s", path.display(), started.elapsed().as_secs_f64());
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_options(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("generate-sample: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("generate-sample: {message}");
            ExitCode::FAILURE
        }
    }
}
