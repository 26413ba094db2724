//! Label, bucket and definition of every KPI id, as the cards show them.

use super::trend::{ChangeUnit, Polarity};
use super::Bucket;

/// Definition of `mrr` when it comes from subscriptions rather than a snapshot.
pub(super) const MRR_FROM_SUBSCRIPTIONS: &str = "Sum over paying subscriptions of price × quantity / (interval count × months per interval), with recurring discounts while they apply, at the end of the latest complete period. Taken from the subscriptions file, which is preferred over a customer snapshot's monthly charges.";
/// Definition of `arpa` when it comes from subscriptions rather than a snapshot.
pub(super) const ARPA_FROM_SUBSCRIPTIONS: &str = "MRR / paying customers at the end of the latest complete period, each customer's subscriptions merged. Taken from the subscriptions file, which is preferred over a customer snapshot.";
/// Definition of `csat` when it comes from help-desk ratings rather than a survey.
pub(super) const CSAT_FROM_RATINGS: &str = "Good ratings / (good + bad ratings) of the tickets solved in the latest complete period; offered and unoffered surveys are not responses.";

/// Label, bucket and definition of each KPI id.
pub(super) fn describe(id: &str) -> (&'static str, Bucket, &'static str) {
    match id {
        "revenue" => ("Revenue", Bucket::Revenue, "Sum of all transaction amounts in the range, refunds subtracted."),
        "revenue_growth" => ("Revenue growth", Bucket::Revenue, "(Revenue of the latest complete month − revenue of the month before) / revenue of the month before."),
        "revenue_growth_yoy" => ("Revenue growth, year over year", Bucket::Revenue, "(Revenue of the latest complete period − revenue of the same period a year earlier) / the latter."),
        "revenue_cmgr" => ("Compound monthly revenue growth", Bucket::Revenue, "(Revenue of the last complete month / revenue of the first month)^(1 / months between) − 1, over the selected range."),
        "active_customers" => ("Active customers", Bucket::Revenue, "Distinct customers with at least one purchase (not a refund) in the range, in any currency."),
        "arpu" => ("ARPU", Bucket::Revenue, "Revenue in the range / customers whose net revenue in the range is positive."),
        "churn_rate" => ("Churn rate", Bucket::Retention, "Customers flagged as churned / all customers in the snapshot, with a 95% Wilson interval."),
        "mrr" => ("MRR", Bucket::Revenue, "Sum of the monthly charges of the customers not flagged as churned."),
        "arpa" => ("ARPA", Bucket::Revenue, "MRR / customers not flagged as churned."),
        "customer_retention_rate" => ("Customer retention", Bucket::Retention, "|S ∩ E| / |S|: customers paying at both the start and the end of the period / customers paying at its start."),
        "logo_churn" => ("Logo churn", Bucket::Retention, "|S \\ E| / |S|: customers paying at the period's start but not at its end / customers paying at its start (ChartMogul). Stripe-style setting: |(S ∪ N) \\ E| / |S ∪ N|, counting customers who first paid in the period."),
        "gross_mrr_churn" => ("Gross MRR churn", Bucket::Retention, "(Churned + contraction MRR) / MRR at the period's start (ChartMogul)."),
        "net_mrr_churn" => ("Net MRR churn", Bucket::Retention, "(Churned + contraction − expansion − reactivation MRR) / MRR at the period's start (ChartMogul); negative when growth outweighs losses."),
        "grr" => ("Gross revenue retention", Bucket::Retention, "(MRR at the start − churned − contraction MRR) / MRR at the start; at most 100%."),
        "nrr" => ("Net revenue retention", Bucket::Retention, "(MRR at the start + expansion − contraction − churned MRR) / MRR at the start; reactivations are left out."),
        "retention_cost" => ("Retention cost", Bucket::Retention, "Retention spend in the period (from a spend file, else the amount typed in) / customers retained through the period. No vendor standard exists."),
        "new_user_retention" => ("New-user retention", Bucket::Retention, "Share of the latest cohort complete for offset 1 (users whose first activity or signup fell in the same period) who were active in the next period, or in it or later in the on-or-after mode."),
        "dau" => ("DAU", Bucket::Usage, "Distinct users with at least one event on the latest complete day. A day is complete once the data has a later event, so a log exported part-way through a day leaves that day out."),
        "wau" => ("WAU", Bucket::Usage, "Distinct users with at least one event in the latest complete ISO week (Monday to Sunday)."),
        "mau" => ("MAU", Bucket::Usage, "Distinct users with at least one event in the latest complete calendar month."),
        "stickiness" => ("Stickiness", Bucket::Usage, "Mean DAU over the latest complete month's days / that month's MAU."),
        "feature_adoption" => ("Feature adoption", Bucket::Usage, "Users who used the feature in the latest complete period / users active in it."),
        "user_adoption" => ("User adoption", Bucket::Usage, "Users who have ever used the feature by the end of the latest complete period / users known by then (signed up or active)."),
        "nps" => ("NPS", Bucket::Experience, "100 × (promoters (9–10) − detractors (0–6)) / responses in the latest complete period, with the 95% margin of error 196 × sqrt((p + d − (p − d)²) / n)."),
        "csat" => ("CSAT", Bucket::Experience, "Responses in the top two points of the scale / all responses in the latest complete period, with the mean score."),
        "ces" => ("CES", Bucket::Experience, "Responses on the easy side of the effort scale (5–7 of 1–7, 4–5 of 1–5, or the low end when the scale is reversed) / all responses in the latest complete period, with the mean."),
        "fcr" => ("First contact resolution", Bucket::Experience, "Solved or closed tickets with at most one agent reply and no reopen (or flagged as resolved on first contact) / all solved or closed tickets, by solved date in the latest complete period."),
        "quick_ratio" => ("Quick ratio", Bucket::Revenue, "(New + expansion + reactivation MRR) / (contraction + churned MRR) in the latest complete period."),
        "clv" => ("Customer lifetime value", Bucket::Revenue, "ARPA × gross margin / monthly logo churn, the churn averaged over the trailing three complete months."),
        _ => ("", Bucket::Revenue, ""),
    }
}

/// How the change of each KPI id is measured and which direction is good news. Shares and
/// rates change in percentage points, NPS in its own points, amounts and counts relatively.
pub(super) fn change_rule(id: &str) -> (ChangeUnit, Polarity) {
    use ChangeUnit::{PercentagePoints, Points, Relative};
    use Polarity::{HigherIsBetter, LowerIsBetter, Neutral};
    match id {
        "churn_rate" | "logo_churn" | "gross_mrr_churn" | "net_mrr_churn" => (PercentagePoints, LowerIsBetter),
        "customer_retention_rate" | "grr" | "nrr" | "new_user_retention" | "stickiness" | "feature_adoption" | "user_adoption"
        | "csat" | "ces" | "fcr" | "revenue_growth" | "revenue_growth_yoy" | "revenue_cmgr" => (PercentagePoints, HigherIsBetter),
        "nps" => (Points, HigherIsBetter),
        // Spend per retained customer can fall because spend was cut or because more customers
        // stayed, so neither direction is good in itself.
        "retention_cost" => (Relative, Neutral),
        _ => (Relative, HigherIsBetter),
    }
}
