//! Headless Chromium driven through a chromedriver process that the harness starts.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use crate::http::blocking_request;
use crate::temp::TempDir;

/// The system chromedriver; Debian's `chromium-driver` package installs it.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The system Chromium; Debian's `chromium` package installs it.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Window size in CSS pixels, which is also the size of viewport screenshots.
pub const WINDOW_SIZE: (u32, u32) = (1280, 900);

const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running chromedriver process, killed by its own PID on drop.
pub struct ChromeDriver {
    child: Child,
    address: SocketAddr,
    log_path: PathBuf,
}

impl ChromeDriver {
    /// Starts chromedriver on a free port of 127.0.0.1, logging to `log_path`, and
    /// waits until its `/status` endpoint responds.
    pub fn start(log_path: &Path) -> ChromeDriver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log_path.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("failed to start {CHROMEDRIVER}: {error}. Install Debian's chromium and chromium-driver packages.")
            });
        let mut driver = ChromeDriver {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            log_path: log_path.to_path_buf(),
        };
        driver.wait_until_ready();
        driver
    }

    /// Returns the WebDriver URL, such as `http://127.0.0.1:9515`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "chromedriver exited during start-up with {status}; log:\n{}",
                    self.log_tail()
                );
            }
            if let Ok(response) = blocking_request(self.address, "GET", "/status") {
                if response.status == 200 {
                    return;
                }
            }
            if started.elapsed() > DRIVER_START_TIMEOUT {
                panic!(
                    "timed out after {DRIVER_START_TIMEOUT:?} waiting for chromedriver on {} to respond to /status; log:\n{}",
                    self.address,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Returns the last lines of the chromedriver log, for failure messages.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Returns a port that was free on 127.0.0.1 a moment ago.
///
/// NOTE: another process may take the port between this check and chromedriver's bind;
/// chromedriver then exits and start-up fails with its log.
fn free_port() -> u16 {
    let listener =
        TcpListener::bind("127.0.0.1:0").expect("failed to bind a probe socket on 127.0.0.1:0");
    listener
        .local_addr()
        .expect("a bound socket has an address")
        .port()
}

/// A WebDriver session in headless Chromium with a fresh profile.
///
/// Dropping it deletes the session, which closes Chromium, then kills chromedriver
/// and removes the profile. This also runs when a test panics.
pub struct Browser {
    pub client: Client,
    session_id: Option<String>,
    driver: ChromeDriver,
    // Declared last so the directory is removed after chromedriver and Chromium are gone.
    _work_dir: TempDir,
}

impl Browser {
    /// Starts chromedriver and opens a Chromium session.
    pub async fn start() -> Browser {
        Browser::start_with_arguments(&[]).await
    }

    /// Starts chromedriver and opens a Chromium session with `extra_arguments` added to
    /// Chromium's command line, such as `--proxy-server=...`.
    pub async fn start_with_arguments(extra_arguments: &[String]) -> Browser {
        let work_dir = TempDir::new("headlights-e2e-browser");
        let profile = work_dir.path().join("profile");
        std::fs::create_dir(&profile)
            .unwrap_or_else(|error| panic!("failed to create {}: {error}", profile.display()));
        let driver = ChromeDriver::start(&work_dir.path().join("chromedriver.log"));

        let (width, height) = WINDOW_SIZE;
        let mut arguments = vec![
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-gpu".to_string(),
            format!("--window-size={width},{height}"),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            // Chromium's autofill asks a Google service for predictions about any page with form
            // fields. That is the browser's own traffic, which a user can turn off, not the
            // page's; the privacy test would otherwise see it once the page has inputs.
            "--disable-features=AutofillServerCommunication".to_string(),
            format!("--user-data-dir={}", profile.display()),
        ];
        arguments.extend_from_slice(extra_arguments);
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": arguments },
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("json! of an object literal is an object"),
        };

        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "failed to open a Chromium session through chromedriver at {}: {error}; log:\n{}",
                    driver.url(),
                    driver.log_tail()
                )
            });
        let session_id = client.session_id().await.ok().flatten();

        Browser {
            client,
            session_id,
            driver,
            _work_dir: work_dir,
        }
    }
}

impl Browser {
    /// Sends a Chrome DevTools Protocol command to the page that the session controls and
    /// returns its result, such as `{}` for commands that return nothing.
    ///
    /// chromedriver forwards it from its `POST /session/{id}/goog/cdp/execute` endpoint,
    /// an extension of WebDriver that only Chromium's driver has.
    pub async fn execute_cdp(&self, method: &str, params: Value) -> Result<Value, CmdError> {
        let command = DevToolsCommand {
            method: method.to_string(),
            params,
        };
        self.client.issue_cmd(command).await
    }
}

/// A Chrome DevTools Protocol command for chromedriver's `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct DevToolsCommand {
    method: String,
    params: Value,
}

impl WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session_id}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A blocking request, because Drop cannot await and the fantoccini client's own
        // shutdown never runs when the test's runtime is torn down after a panic.
        if let Some(session_id) = &self.session_id {
            let _ = blocking_request(
                self.driver.address,
                "DELETE",
                &format!("/session/{session_id}"),
            );
        }
    }
}
