//! Breaking any KPI down by a categorical attribute of customers or users.
//!
//! A [`SegmentGroups`] maps each customer (or user) index to a group: one per value, the
//! largest twelve kept apart and the rest grouped as "other". A KPI is broken down by running
//! it once per group with an `include` filter that accepts the group's members. Groups with
//! fewer than 30 members are flagged as small.

use std::collections::HashMap;

use super::share::SMALL_SAMPLE;
use super::snapshot::MAX_SEGMENT_VALUES;
use crate::ingest::Segment;

/// Label given to ids that the attribute table does not list.
pub const UNKNOWN_LABEL: &str = "(unknown)";
/// Label of the group that collects the values past the largest twelve.
pub const OTHER_LABEL: &str = "other";

/// The groups of one segment attribute over a table's customers or users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentGroups {
    pub name: String,
    /// Group labels, largest group first.
    pub labels: Vec<String>,
    /// Members per group.
    pub members: Vec<u64>,
    /// The group of each customer or user index.
    pub group_of: Vec<u32>,
}

/// A KPI value for one group of a segment.
#[derive(Clone, Debug, PartialEq)]
pub struct SegmentValue<T> {
    pub label: String,
    pub members: u64,
    /// True below 30 members.
    pub small: bool,
    pub value: T,
}

impl SegmentGroups {
    /// Groups the rows of `segment` (one value per customer or user index).
    pub fn new(segment: &Segment) -> Self {
        let mut counts = vec![0u64; segment.labels.len()];
        for value in &segment.values {
            if let Some(count) = counts.get_mut(*value as usize) {
                *count += 1;
            }
        }
        let mut order: Vec<usize> = (0..segment.labels.len()).filter(|index| counts[*index] > 0).collect();
        order.sort_by(|a, b| counts[*b].cmp(&counts[*a]).then_with(|| segment.labels[*a].cmp(&segment.labels[*b])));

        let kept = if order.len() > MAX_SEGMENT_VALUES { MAX_SEGMENT_VALUES - 1 } else { order.len() };
        let mut group_of_value = vec![kept as u32; segment.labels.len()];
        let mut labels: Vec<String> = Vec::new();
        let mut members: Vec<u64> = Vec::new();
        for (group, value) in order.iter().enumerate() {
            if group < kept {
                group_of_value[*value] = group as u32;
                labels.push(segment.labels[*value].clone());
                members.push(counts[*value]);
            }
        }
        if order.len() > kept {
            labels.push(OTHER_LABEL.to_string());
            members.push(order[kept..].iter().map(|value| counts[*value]).sum());
        }

        let group_of = segment.values.iter().map(|value| group_of_value.get(*value as usize).copied().unwrap_or(0)).collect();
        SegmentGroups { name: segment.name.clone(), labels, members, group_of }
    }

    /// Runs `kpi` once per group, with a filter that accepts that group's members.
    pub fn break_down<T>(&self, kpi: impl Fn(&dyn Fn(u32) -> bool) -> T) -> Vec<SegmentValue<T>> {
        (0..self.labels.len())
            .map(|group| {
                let include = |member: u32| self.group_of.get(member as usize) == Some(&(group as u32));
                SegmentValue {
                    label: self.labels[group].clone(),
                    members: self.members[group],
                    small: self.members[group] < SMALL_SAMPLE,
                    value: kpi(&include),
                }
            })
            .collect()
    }
}

/// Re-indexes `segment`, whose rows follow `source_ids`, onto `target_ids` (for example account
/// attributes onto the customers of a subscriptions table). Ids missing from the source get
/// the label "(unknown)".
pub fn join_segment(target_ids: &[String], source_ids: &[String], segment: &Segment) -> Segment {
    let row_of: HashMap<&str, usize> = source_ids.iter().enumerate().map(|(row, id)| (id.as_str(), row)).collect();
    let mut labels = segment.labels.clone();
    let unknown = labels.len() as u32;
    let mut uses_unknown = false;
    let values = target_ids
        .iter()
        .map(|id| match row_of.get(id.as_str()).and_then(|row| segment.values.get(*row)) {
            Some(value) => *value,
            None => {
                uses_unknown = true;
                unknown
            }
        })
        .collect();
    if uses_unknown {
        labels.push(UNKNOWN_LABEL.to_string());
    }
    Segment { name: segment.name.clone(), labels, values }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(values: &[u32], label_count: usize) -> Segment {
        Segment { name: "plan".into(), labels: (0..label_count).map(|index| format!("v{index}")).collect(), values: values.to_vec() }
    }

    #[test]
    fn groups_are_ordered_by_size_and_flagged_small() {
        let groups = SegmentGroups::new(&segment(&[1, 0, 1, 1], 3));
        assert_eq!(groups.labels, ["v1", "v0"]);
        assert_eq!(groups.members, [3, 1]);
        let counts = groups.break_down(|include| (0..4).filter(|member| include(*member)).count());
        assert_eq!(counts[0].value, 3);
        assert!(counts[0].small);
    }

    #[test]
    fn long_tail_is_grouped_as_other() {
        let values: Vec<u32> = (0..20).collect();
        let groups = SegmentGroups::new(&segment(&values, 20));
        assert_eq!(groups.labels.len(), MAX_SEGMENT_VALUES);
        assert_eq!(groups.labels.last().map(String::as_str), Some(OTHER_LABEL));
        assert_eq!(groups.members.last(), Some(&9));
    }

    #[test]
    fn join_maps_ids_and_marks_unknown() {
        let accounts = segment(&[0, 1], 2);
        let joined = join_segment(&["b".into(), "z".into(), "a".into()], &["a".into(), "b".into()], &accounts);
        assert_eq!(joined.values, [1, 2, 0]);
        assert_eq!(joined.labels[2], UNKNOWN_LABEL);
    }
}
