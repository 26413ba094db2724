//! Static hosting: the built site served under a subpath, as GitHub Pages serves a project
//! site at `/<repository>/`, and the workflow and README that publish it.
//!
//! The browser test needs a built site (`scripts/build`), `/usr/bin/chromium` and
//! `/usr/bin/chromedriver`.

use std::path::PathBuf;

use headlights_e2e::page::LOAD_TIMEOUT;
use headlights_e2e::paths::{real_dataset, workspace_root};
use headlights_e2e::Harness;
use yaml_rust2::{Yaml, YamlLoader};

const TELCO: &str = "telco_customer_churn.csv";
const SUBPATH: &str = "/headlights/";

#[tokio::test]
async fn site_works_under_subpath() {
    let harness = Harness::start_at(SUBPATH).await;
    harness.open().await;

    harness.pick_files(&[&real_dataset(TELCO)]).await;
    harness
        .wait_for_state("ready", &[TELCO], &["churn_rate"], LOAD_TIMEOUT)
        .await;

    // The service worker's install fetches every built file, so waiting for it puts its
    // requests in the log too, and its scope must be the subpath, not the domain's root.
    let worker_script = harness.wait_for_service_worker().await;
    assert_eq!(worker_script, format!("{}sw.js", harness.server.url()));
    let scope = harness
        .client()
        .execute(
            "return navigator.serviceWorker.getRegistration().then((registration) => registration ? registration.scope : null);",
            vec![],
        )
        .await
        .expect("failed to read the service worker registration");
    assert_eq!(scope.as_str(), Some(harness.server.url().as_str()));

    let requests = harness.server.requests();
    let paths: Vec<&str> = requests
        .iter()
        .map(|request| request.path.as_deref().unwrap_or_default())
        .collect();
    for request in &requests {
        let path = request.path.as_deref().unwrap_or_default();
        assert!(
            path.starts_with(SUBPATH),
            "a request left {SUBPATH}: {request:?}\nall paths: {paths:?}"
        );
        assert_eq!(
            request.status, 200,
            "a request under {SUBPATH} failed: {request:?}"
        );
    }
    assert!(
        paths.contains(&SUBPATH),
        "the page itself was not requested at {SUBPATH}: {paths:?}"
    );
    for extension in [".js", ".wasm", ".css"] {
        assert!(
            paths.iter().any(|path| path.ends_with(extension)),
            "no {extension} file was requested under {SUBPATH}: {paths:?}"
        );
    }
}

fn read_workspace_file(relative: &str) -> String {
    let path: PathBuf = workspace_root().join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("failed to read {}: {error}", path.display()))
}

/// Returns the steps of `job` in the workflow, or panics naming what is missing.
fn job_steps<'a>(workflow: &'a Yaml, job: &str) -> &'a Vec<Yaml> {
    workflow["jobs"][job]["steps"]
        .as_vec()
        .unwrap_or_else(|| panic!("the workflow has no jobs.{job}.steps list"))
}

/// Returns the first step whose `uses` names `action` at any version, such as `actions/deploy-pages`.
fn step_using<'a>(steps: &'a [Yaml], action: &str) -> Option<&'a Yaml> {
    steps.iter().find(|step| {
        step["uses"]
            .as_str()
            .is_some_and(|uses| uses.split('@').next() == Some(action))
    })
}

#[test]
fn pages_workflow_builds_and_deploys() {
    let text = read_workspace_file(".github/workflows/pages.yml");
    let documents = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|error| panic!(".github/workflows/pages.yml is not valid YAML: {error}"));
    let workflow = documents
        .first()
        .expect(".github/workflows/pages.yml has no YAML document");

    // yaml-rust2 reads YAML 1.2, where the key `on` is a string, as GitHub reads it.
    let branches = workflow["on"]["push"]["branches"]
        .as_vec()
        .expect("the workflow has no on.push.branches list");
    assert!(
        branches
            .iter()
            .any(|branch| branch.as_str() == Some("main")),
        "on.push.branches does not contain main: {branches:?}"
    );

    let build_steps = job_steps(workflow, "build");
    assert!(
        build_steps
            .iter()
            .any(|step| step["run"].as_str().map(str::trim) == Some("scripts/build")),
        "no step of the build job runs `scripts/build`: {build_steps:?}"
    );
    let upload = step_using(build_steps, "actions/upload-pages-artifact")
        .expect("the build job has no actions/upload-pages-artifact step");
    assert_eq!(
        upload["with"]["path"].as_str(),
        Some("dist"),
        "the uploaded artifact is not dist/, where scripts/build writes the site"
    );

    let deploy = &workflow["jobs"]["deploy"];
    let needs = match &deploy["needs"] {
        Yaml::String(job) => vec![job.as_str()],
        Yaml::Array(jobs) => jobs.iter().filter_map(Yaml::as_str).collect(),
        _ => Vec::new(),
    };
    assert!(
        needs.contains(&"build"),
        "the deploy job does not wait for the build job: needs is {:?}",
        deploy["needs"]
    );
    let deploy_steps = job_steps(workflow, "deploy");
    assert!(
        step_using(deploy_steps, "actions/deploy-pages").is_some(),
        "the deploy job has no actions/deploy-pages step: {deploy_steps:?}"
    );

    // actions/deploy-pages fails without these two permissions.
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["pages"].as_str(), Some("write"));
    assert_eq!(permissions["id-token"].as_str(), Some("write"));
}

#[test]
fn readme_deploys_with_same_command() {
    let readme = read_workspace_file("README.md");
    let start = readme
        .lines()
        .position(|line| line.starts_with("## ") && line.to_ascii_lowercase().contains("deploy"))
        .expect("README.md has no `## ...Deploy...` section");
    let section: Vec<&str> = readme
        .lines()
        .skip(start + 1)
        .take_while(|line| !line.starts_with("## "))
        .collect();
    let section = section.join("\n");

    assert!(
        section.contains("`scripts/build`"),
        "the README's deploy section does not name the workflow's build command `scripts/build`:\n{section}"
    );
    assert!(
        section.contains("dist/"),
        "the README's deploy section does not name the published folder dist/:\n{section}"
    );
}
