//! A static file server for the built site, run in a background thread on 127.0.0.1.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use tiny_http::{Header, Method, Request, Response, Server};

/// One request that the server responded to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServedRequest {
    /// Request target as the browser sent it, query string included.
    pub url: String,
    /// HTTP status code of the response.
    pub status: u16,
}

/// Static file server over a directory, mounted under a URL path prefix.
///
/// Stops its thread when dropped.
pub struct StaticServer {
    server: Arc<Server>,
    address: SocketAddr,
    prefix: String,
    requests: Arc<Mutex<Vec<ServedRequest>>>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Starts serving `root` on a free port of 127.0.0.1 under `prefix`.
    ///
    /// `prefix` is a URL path such as `/` or `/headlights/`; a missing leading or
    /// trailing slash is added. `<prefix>` and any directory path serve that
    /// directory's `index.html`, and `<prefix>` without its trailing slash redirects
    /// to it. Paths outside the prefix, missing files and paths with `..` get 404.
    pub fn start(root: &Path, prefix: &str) -> StaticServer {
        let root = root
            .canonicalize()
            .unwrap_or_else(|error| panic!("site directory {} not found: {error}", root.display()));
        let prefix = normalize_prefix(prefix);
        let server = Server::http("127.0.0.1:0").unwrap_or_else(|error| {
            panic!("failed to bind the static server to 127.0.0.1:0: {error}")
        });
        let address = server
            .server_addr()
            .to_ip()
            .expect("a server bound to 127.0.0.1 has an IP address");
        let server = Arc::new(server);
        let requests = Arc::new(Mutex::new(Vec::new()));

        let thread = {
            let server = Arc::clone(&server);
            let requests = Arc::clone(&requests);
            let prefix = prefix.clone();
            std::thread::Builder::new()
                .name("e2e-static-server".to_string())
                .spawn(move || {
                    for request in server.incoming_requests() {
                        respond(request, &root, &prefix, &requests);
                    }
                })
                .expect("failed to spawn the static server thread")
        };

        StaticServer {
            server,
            address,
            prefix,
            requests,
            thread: Some(thread),
        }
    }

    /// Returns the address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Returns the site's URL, such as `http://127.0.0.1:41234/headlights/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, self.prefix)
    }

    /// Returns every request served so far, in order.
    pub fn requests(&self) -> Vec<ServedRequest> {
        lock_requests(&self.requests).clone()
    }

    /// Returns the served requests whose status was not 2xx or 3xx.
    pub fn failed_requests(&self) -> Vec<ServedRequest> {
        self.requests()
            .into_iter()
            .filter(|request| request.status >= 400)
            .collect()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock_requests(
    requests: &Mutex<Vec<ServedRequest>>,
) -> std::sync::MutexGuard<'_, Vec<ServedRequest>> {
    // A panic elsewhere while the lock was held leaves the list itself intact.
    requests
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Returns `prefix` with exactly one leading and one trailing slash.
fn normalize_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    }
}

fn respond(request: Request, root: &Path, prefix: &str, requests: &Mutex<Vec<ServedRequest>>) {
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or_default();

    let response = if request.method() != &Method::Get && request.method() != &Method::Head {
        text_response(405, "method not allowed")
    } else if path == prefix.trim_end_matches('/') && prefix != "/" {
        redirect_response(prefix)
    } else {
        match path
            .strip_prefix(prefix)
            .and_then(|relative| resolve(root, relative))
        {
            Some(file) => file_response(&file),
            None => text_response(404, &format!("not found: {path}")),
        }
    };

    let status = response.status_code().0;
    lock_requests(requests).push(ServedRequest { url, status });
    // The browser may have closed the connection already, which is not a test failure.
    let _ = request.respond(response);
}

/// Maps a URL path below the prefix to a file in `root`, or `None` when it is not servable.
fn resolve(root: &Path, relative: &str) -> Option<PathBuf> {
    let decoded = percent_decode(relative)?;
    let mut path = root.to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            // `..`, a root or a drive prefix could leave the site directory.
            _ => return None,
        }
    }
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

/// Decodes `%XX` escapes, or returns `None` for a malformed escape or invalid UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// Returns the Content-Type for a file, chosen by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

fn file_response(path: &Path) -> Response<std::io::Cursor<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Response::from_data(bytes)
            .with_header(header("Content-Type", content_type(path)))
            // Every test run must load the current build, never a cached one.
            .with_header(header("Cache-Control", "no-store")),
        Err(error) => text_response(500, &format!("failed to read {}: {error}", path.display())),
    }
}

fn text_response(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn redirect_response(location: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    text_response(301, "moved").with_header(header("Location", location))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::blocking_request;

    fn site_with_files() -> crate::temp::TempDir {
        let site = crate::temp::TempDir::new("e2e-site");
        std::fs::write(site.path().join("index.html"), "<!doctype html><p>home</p>").unwrap();
        std::fs::write(site.path().join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(site.path().join("app.js"), "export {};").unwrap();
        std::fs::create_dir(site.path().join("assets")).unwrap();
        std::fs::write(site.path().join("assets").join("a b.css"), "p{}").unwrap();
        site
    }

    #[test]
    fn prefix_is_normalized() {
        assert_eq!(normalize_prefix(""), "/");
        assert_eq!(normalize_prefix("/"), "/");
        assert_eq!(normalize_prefix("headlights"), "/headlights/");
        assert_eq!(normalize_prefix("/headlights/"), "/headlights/");
    }

    #[test]
    fn serves_files_with_content_types() {
        let site = site_with_files();
        let server = StaticServer::start(site.path(), "/");

        let index = blocking_request(server.address(), "GET", "/").unwrap();
        assert_eq!(index.status, 200);
        assert_eq!(
            index.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(index.body.contains("home"), "body: {}", index.body);

        let wasm = blocking_request(server.address(), "GET", "/app_bg.wasm").unwrap();
        assert_eq!(wasm.status, 200);
        assert_eq!(wasm.header("content-type"), Some("application/wasm"));

        let script = blocking_request(server.address(), "GET", "/app.js?v=1").unwrap();
        assert_eq!(
            script.header("content-type"),
            Some("text/javascript; charset=utf-8")
        );

        let escaped = blocking_request(server.address(), "GET", "/assets/a%20b.css").unwrap();
        assert_eq!(escaped.status, 200);
        assert_eq!(
            escaped.header("content-type"),
            Some("text/css; charset=utf-8")
        );
    }

    #[test]
    fn serves_under_subpath_prefix() {
        let site = site_with_files();
        let server = StaticServer::start(site.path(), "headlights");
        assert!(
            server.url().ends_with("/headlights/"),
            "url: {}",
            server.url()
        );

        let index = blocking_request(server.address(), "GET", "/headlights/").unwrap();
        assert_eq!(index.status, 200);

        let wasm = blocking_request(server.address(), "GET", "/headlights/app_bg.wasm").unwrap();
        assert_eq!(wasm.status, 200);

        let bare = blocking_request(server.address(), "GET", "/headlights").unwrap();
        assert_eq!(bare.status, 301);
        assert_eq!(bare.header("location"), Some("/headlights/"));

        let outside = blocking_request(server.address(), "GET", "/app_bg.wasm").unwrap();
        assert_eq!(outside.status, 404);
    }

    #[test]
    fn rejects_missing_and_escaping_paths() {
        let site = site_with_files();
        let server = StaticServer::start(site.path(), "/");

        let missing = blocking_request(server.address(), "GET", "/nope.js").unwrap();
        assert_eq!(missing.status, 404);

        let parent = blocking_request(server.address(), "GET", "/assets/../../etc/passwd").unwrap();
        assert_eq!(parent.status, 404);

        let encoded_parent =
            blocking_request(server.address(), "GET", "/%2e%2e/etc/passwd").unwrap();
        assert_eq!(encoded_parent.status, 404);

        let post = blocking_request(server.address(), "POST", "/").unwrap();
        assert_eq!(post.status, 405);
    }

    #[test]
    fn logs_every_request() {
        let site = site_with_files();
        let server = StaticServer::start(site.path(), "/");
        blocking_request(server.address(), "GET", "/").unwrap();
        blocking_request(server.address(), "GET", "/missing.css").unwrap();

        let expected = vec![
            ServedRequest {
                url: "/".to_string(),
                status: 200,
            },
            ServedRequest {
                url: "/missing.css".to_string(),
                status: 404,
            },
        ];
        assert_eq!(server.requests(), expected);
        assert_eq!(server.failed_requests(), expected[1..].to_vec());
    }
}
