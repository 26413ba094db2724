//! End-to-end test harness for the built Headlights site.
//!
//! [`Harness::start`] serves the built site (`HEADLIGHTS_DIST`, default `<workspace>/dist`)
//! from an in-process HTTP server on 127.0.0.1 and opens it in headless Chromium through a
//! chromedriver process that it starts itself. The page helpers in [`page`] follow the
//! page's `data-*` contract: `data-state` on the root element, `data-dropzone`, `data-file`,
//! `data-file-error`, `data-error`, `data-kpi` with `data-value` and `data-period`,
//! `canvas[data-chart]` and `[data-chart-table]`.
//!
//! Only one harness runs at a time in a test process, because two Chromium instances on a
//! two-core machine slow each other past the timeouts. Tests in different files are separate
//! test binaries, which cargo runs one after another.

pub mod browser;
pub mod capture;
pub mod datasets;
pub mod http;
pub mod page;
pub mod paths;
pub mod server;
pub mod storage;
pub mod temp;

use std::sync::{Mutex, MutexGuard};

pub use browser::Browser;
pub use page::{ChartPixels, Kpi, PageStatus};
pub use server::{ServedRequest, StaticServer};

static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The built site served over HTTP and a Chromium session to open it in.
pub struct Harness {
    pub browser: Browser,
    pub server: StaticServer,
    // Declared last so the next test starts only after this Chromium has closed.
    _turn: MutexGuard<'static, ()>,
}

impl Harness {
    /// Serves the built site at `/` and starts Chromium.
    ///
    /// Panics with build instructions when the built site is missing.
    pub async fn start() -> Harness {
        Harness::start_at("/").await
    }

    /// Serves the built site under the URL path `prefix`, such as `/headlights/`, and starts Chromium.
    pub async fn start_at(prefix: &str) -> Harness {
        Harness::start_with(prefix, |_| Vec::new()).await
    }

    /// Serves the built site under `prefix` and starts Chromium with the server as its proxy
    /// for every host, so that the server's request log has every request Chromium makes.
    ///
    /// `--proxy-bypass-list=<-loopback>` removes Chromium's built-in rule that sends requests
    /// for 127.0.0.1 and localhost around the proxy, so the site's own requests go through it
    /// too. The server responds to requests for other hosts with 403 and never forwards them.
    pub async fn start_proxied(prefix: &str) -> Harness {
        Harness::start_with(prefix, |server| {
            vec![
                format!("--proxy-server=http://{}", server.address()),
                "--proxy-bypass-list=<-loopback>".to_string(),
            ]
        })
        .await
    }

    /// Starts the server, then Chromium with the extra arguments that `arguments` returns for it.
    async fn start_with(
        prefix: &str,
        arguments: impl FnOnce(&StaticServer) -> Vec<String>,
    ) -> Harness {
        // A test that panicked while holding the lock has already closed its browser.
        let turn = ONE_BROWSER_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let server = StaticServer::start(&paths::dist_dir(), prefix);
        let browser = Browser::start_with_arguments(&arguments(&server)).await;
        Harness {
            browser,
            server,
            _turn: turn,
        }
    }

    pub fn client(&self) -> &fantoccini::Client {
        &self.browser.client
    }
}
