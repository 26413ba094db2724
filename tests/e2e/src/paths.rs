//! Locations of the built site, the shared data sets and the test outputs.

use std::path::{Path, PathBuf};

/// Environment variable that overrides the built site directory.
pub const DIST_ENV: &str = "HEADLIGHTS_DIST";

/// Returns the workspace root, two levels above this crate's manifest.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .expect("the e2e crate sits two levels below the workspace root")
        .to_path_buf()
}

/// Returns the built site directory, from `HEADLIGHTS_DIST` or `<workspace root>/dist`.
///
/// Panics with build instructions when the directory or its `index.html` is missing,
/// so a missing build fails the test instead of skipping it.
pub fn dist_dir() -> PathBuf {
    let dist = match std::env::var_os(DIST_ENV) {
        Some(value) => PathBuf::from(value),
        None => workspace_root().join("dist"),
    };
    let index = dist.join("index.html");
    if !index.is_file() {
        panic!(
            "built site not found: {} is missing. Build the site first with `scripts/test` \
             (or `trunk build --release` in {}), or set {DIST_ENV} to a directory that \
             contains index.html.",
            index.display(),
            workspace_root().display(),
        );
    }
    dist
}

/// Returns the path of a real export in `shared/datasets/real`, beside the repository folder.
///
/// Panics when the file is missing, because every expected value is computed from it.
pub fn real_dataset(file_name: &str) -> PathBuf {
    let repository_parent = workspace_root()
        .parent()
        .expect("the workspace root has a parent folder")
        .to_path_buf();
    let path = repository_parent
        .join("shared")
        .join("datasets")
        .join("real")
        .join(file_name);
    if !path.is_file() {
        panic!(
            "data set not found: {}. The tests expect the shared/ folder beside the repository folder.",
            path.display()
        );
    }
    path
}

/// Returns `<target dir>/e2e-screenshots`, creating it if needed.
///
/// The target directory is `CARGO_TARGET_DIR` when set, else `<workspace root>/target`.
pub fn screenshot_dir() -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(value) => PathBuf::from(value),
        None => workspace_root().join("target"),
    };
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|error| panic!("failed to create {}: {error}", dir.display()));
    dir
}
