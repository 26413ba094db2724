//! Churn, MRR and ARPA from a customer snapshot (one row per customer with a churn flag).
//!
//! A snapshot has no history, so churn here is the share of the customers in the file that
//! are flagged as churned, over whatever window the export covers. MRR is the sum of the
//! monthly charges of the customers not flagged, and ARPA is that MRR per retained customer.

use serde::{Deserialize, Serialize};
use super::share::Share;
use super::unavailable::Unavailable;
use crate::ingest::{CustomerSnapshot, Money, Segment};

/// Segment values kept apart in a breakdown; smaller ones are grouped as "other".
pub const MAX_SEGMENT_VALUES: usize = 12;

/// Churned customers out of all customers in the snapshot.
pub fn churn_rate(snapshot: &CustomerSnapshot) -> Result<Share, Unavailable> {
    let churned = snapshot.churned.iter().filter(|churned| **churned).count() as u64;
    Share::new(churned, snapshot.len() as u64)
        .ok_or(Unavailable::ZeroDenominator { what: "the number of customers" })
}

/// MRR of the retained customers and how many they are.
pub fn retained_mrr(snapshot: &CustomerSnapshot) -> (Money, usize) {
    let retained = snapshot.churned.iter().zip(&snapshot.monthly_charge).filter(|(churned, _)| !**churned);
    retained.fold((Money::ZERO, 0), |(total, count), (_, charge)| (total + *charge, count + 1))
}

/// ARPA in major units: MRR of the retained customers / retained customers.
pub fn arpa(snapshot: &CustomerSnapshot) -> Result<f64, Unavailable> {
    let (mrr, retained) = retained_mrr(snapshot);
    if retained == 0 {
        return Err(Unavailable::ZeroDenominator { what: "the number of retained customers" });
    }
    Ok(mrr.to_major_f64() / retained as f64)
}

/// Churn of the customers that share one segment value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentChurn {
    pub label: String,
    pub churn: Share,
}

/// Churn per value of `segment`, largest groups first; values past the largest
/// [`MAX_SEGMENT_VALUES`] are grouped as "other".
pub fn churn_by_segment(snapshot: &CustomerSnapshot, segment: &Segment) -> Vec<SegmentChurn> {
    let mut counts = vec![(0u64, 0u64); segment.labels.len()];
    for (value, churned) in segment.values.iter().zip(&snapshot.churned) {
        let (members, churners) = &mut counts[*value as usize];
        *members += 1;
        *churners += u64::from(*churned);
    }

    let mut groups: Vec<(String, u64, u64)> = segment
        .labels
        .iter()
        .zip(counts)
        .map(|(label, (members, churners))| (label.clone(), members, churners))
        .collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    group_tail_as_other(&mut groups);

    groups
        .into_iter()
        .filter_map(|(label, members, churners)| {
            Share::new(churners, members).map(|churn| SegmentChurn { label, churn })
        })
        .collect()
}

fn group_tail_as_other(groups: &mut Vec<(String, u64, u64)>) {
    if groups.len() <= MAX_SEGMENT_VALUES {
        return;
    }
    let tail = groups.split_off(MAX_SEGMENT_VALUES - 1);
    let members = tail.iter().map(|group| group.1).sum();
    let churners = tail.iter().map(|group| group.2).sum();
    groups.push(("other".to_string(), members, churners));
}

/// Picks the segment a breakdown shows first: one named like a contract, plan or tier when
/// present, else the first segment column.
pub fn default_segment(snapshot: &CustomerSnapshot) -> Option<usize> {
    const PREFERRED: [&str; 6] = ["contract", "plan", "tier", "segment", "region", "payment"];
    PREFERRED
        .iter()
        .find_map(|word| {
            snapshot.segments.iter().position(|segment| segment.name.to_lowercase().contains(word))
        })
        .or((!snapshot.segments.is_empty()).then_some(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(rows: &[(bool, i64, &str)]) -> CustomerSnapshot {
        let mut labels: Vec<String> = Vec::new();
        let mut values = Vec::new();
        for (_, _, label) in rows {
            let index = labels.iter().position(|known| known == label).unwrap_or_else(|| {
                labels.push(label.to_string());
                labels.len() - 1
            });
            values.push(index as u32);
        }
        CustomerSnapshot {
            customer_ids: (0..rows.len()).map(|index| format!("c{index}")).collect(),
            churned: rows.iter().map(|row| row.0).collect(),
            monthly_charge: rows.iter().map(|row| Money::from_cents(row.1)).collect(),
            segments: vec![Segment { name: "Contract".into(), labels, values }],
        }
    }

    #[test]
    fn churn_mrr_and_arpa_by_hand() {
        let customers = snapshot(&[(true, 1000, "m"), (false, 2000, "m"), (false, 4000, "y"), (false, 3000, "y")]);
        assert_eq!(churn_rate(&customers).unwrap().fraction(), 0.25);
        assert_eq!(retained_mrr(&customers), (Money::from_cents(9000), 3));
        assert_eq!(arpa(&customers), Ok(30.0));
    }

    #[test]
    fn segments_split_churn() {
        let customers = snapshot(&[(true, 1000, "m"), (false, 2000, "m"), (false, 4000, "y")]);
        let breakdown = churn_by_segment(&customers, &customers.segments[0]);
        assert_eq!(breakdown[0].label, "m");
        assert_eq!(breakdown[0].churn, Share { numerator: 1, denominator: 2 });
        assert_eq!(breakdown[1].churn, Share { numerator: 0, denominator: 1 });
    }

    #[test]
    fn empty_snapshot_has_no_rates() {
        let customers = snapshot(&[]);
        assert!(churn_rate(&customers).is_err());
        assert!(arpa(&customers).is_err());
    }

    #[test]
    fn all_churned_leaves_arpa_undefined() {
        let customers = snapshot(&[(true, 1000, "m")]);
        assert_eq!(
            arpa(&customers),
            Err(Unavailable::ZeroDenominator { what: "the number of retained customers" })
        );
    }
}
