//! The public data sets that several tests load, and the steps that load them.

use crate::page::LOAD_TIMEOUT;
use crate::paths::real_dataset;
use crate::Harness;

/// The CDNOW purchase log: a transaction log.
pub const CDNOW: &str = "cdnow_master.txt";
/// IBM's Telco customer churn sample: a customer snapshot.
pub const TELCO: &str = "telco_customer_churn.csv";

impl Harness {
    /// Reads the data set `file_name` (see [`real_dataset`]) and drops it on the drop zone.
    pub async fn drop_dataset(&self, file_name: &str) {
        let path = real_dataset(file_name);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()));
        self.drop_file(file_name, &bytes).await;
    }

    /// Loads both kinds of export as a user would, CDNOW by drag and drop and Telco by the
    /// file picker, and waits until the revenue and churn rate cards are ready.
    pub async fn load_cdnow_and_telco(&self) {
        self.drop_dataset(CDNOW).await;
        self.wait_for_state("ready", &[CDNOW], &["revenue"], LOAD_TIMEOUT)
            .await;
        self.pick_files(&[&real_dataset(TELCO)]).await;
        self.wait_for_state(
            "ready",
            &[CDNOW, TELCO],
            &["revenue", "churn_rate"],
            LOAD_TIMEOUT,
        )
        .await;
    }
}
