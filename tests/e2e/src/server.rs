//! A static file server for the built site, run in background threads on 127.0.0.1.
//!
//! The server also accepts requests sent to it as an HTTP proxy, so that a browser started with
//! `--proxy-server` pointing here has every request it makes logged. Absolute-form targets for
//! the server's own `host:port` are served from the site; any other host, and every `CONNECT`,
//! gets 403. It never forwards a request anywhere.
//!
//! Every response carries `Connection: close`, so the browser keeps no idle connection to the
//! server. After [`StaticServer::stop`] every new connection is therefore refused at once, as
//! on a machine that went offline, instead of hanging on a kept-alive connection that no thread
//! reads any more.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Timeout for each read and write on a connection.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Maximum size of a request line and its headers.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Maximum request body read and discarded before responding; larger bodies are cut off.
const MAX_DISCARDED_BODY_BYTES: usize = 1024 * 1024;

/// One request that the server responded to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServedRequest {
    /// Request method, such as `GET` or `CONNECT`.
    pub method: String,
    /// Request target as the browser sent it: a path with its query string, an absolute URL
    /// when the browser used the server as its proxy, or `host:port` for `CONNECT`.
    pub url: String,
    /// The `host:port` the request was meant for: the authority of an absolute URL or of a
    /// `CONNECT` target, else the `Host` header, else an empty string.
    pub host: String,
    /// Path and query string on this server's site, or `None` when the request was for
    /// another host or its target could not be parsed.
    pub path: Option<String>,
    /// Value of the `Referer` header, if sent.
    pub referer: Option<String>,
    /// HTTP status code of the response.
    pub status: u16,
}

impl ServedRequest {
    /// Returns whether the request was for the server's own site, by its own `host:port`.
    pub fn is_for_site(&self) -> bool {
        self.path.is_some()
    }
}

/// Static file server over a directory, mounted under a URL path prefix.
///
/// Stops listening when dropped.
pub struct StaticServer {
    address: SocketAddr,
    prefix: String,
    requests: Arc<Mutex<Vec<ServedRequest>>>,
    accept_loop: Option<AcceptLoop>,
}

/// The thread that accepts connections, and the flag that stops it.
struct AcceptLoop {
    stopping: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// The site that connection handlers serve.
struct Site {
    root: PathBuf,
    prefix: String,
    /// The server's own `host:port`, such as `127.0.0.1:41234`.
    authority: String,
}

impl StaticServer {
    /// Starts serving `root` on a free port of 127.0.0.1 under `prefix`.
    ///
    /// `prefix` is a URL path such as `/` or `/headlights/`; a missing leading or
    /// trailing slash is added. `<prefix>` and any directory path serve that
    /// directory's `index.html`, and `<prefix>` without its trailing slash redirects
    /// to it. Paths outside the prefix, missing files and paths with `..` get 404.
    pub fn start(root: &Path, prefix: &str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|error| {
            panic!("failed to bind the static server to 127.0.0.1:0: {error}")
        });
        let address = listener
            .local_addr()
            .expect("a bound socket has an address");
        let mut server = StaticServer {
            address,
            prefix: normalize_prefix(prefix),
            requests: Arc::new(Mutex::new(Vec::new())),
            accept_loop: None,
        };
        server.accept_loop = Some(server.spawn_accept_loop(listener, root));
        server
    }

    /// Returns the address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Returns the site's URL, such as `http://127.0.0.1:41234/headlights/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.address, self.prefix)
    }

    /// Returns the URL path prefix, with one leading and one trailing slash.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Returns every request served so far, in order, across restarts.
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

    /// Stops listening, so that new connections to the port are refused.
    ///
    /// Responses already being written are completed. Does nothing when already stopped.
    pub fn stop(&mut self) {
        let Some(accept_loop) = self.accept_loop.take() else {
            return;
        };
        accept_loop.stopping.store(true, Ordering::SeqCst);
        // The accept thread is blocked in `accept`; a connection wakes it to see the flag.
        let _ = TcpStream::connect_timeout(&self.address, IO_TIMEOUT);
        let _ = accept_loop.thread.join();
    }

    /// Serves `root` again on the same address and prefix after [`StaticServer::stop`].
    ///
    /// The request log continues. Panics when the port cannot be bound again.
    pub fn restart(&mut self, root: &Path) {
        self.stop();
        let listener = TcpListener::bind(self.address).unwrap_or_else(|error| {
            panic!(
                "failed to bind the static server to {} again: {error}",
                self.address
            )
        });
        self.accept_loop = Some(self.spawn_accept_loop(listener, root));
    }

    fn spawn_accept_loop(&self, listener: TcpListener, root: &Path) -> AcceptLoop {
        let root = root
            .canonicalize()
            .unwrap_or_else(|error| panic!("site directory {} not found: {error}", root.display()));
        let site = Arc::new(Site {
            root,
            prefix: self.prefix.clone(),
            authority: self.address.to_string(),
        });
        let stopping = Arc::new(AtomicBool::new(false));
        let thread = {
            let stopping = Arc::clone(&stopping);
            let requests = Arc::clone(&self.requests);
            std::thread::Builder::new()
                .name("e2e-static-server".to_string())
                .spawn(move || accept_connections(listener, &site, &requests, &stopping))
                .expect("failed to spawn the static server thread")
        };
        AcceptLoop { stopping, thread }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Accepts connections until `stopping` is set, and handles each on its own thread.
///
/// The listener is closed when this returns.
fn accept_connections(
    listener: TcpListener,
    site: &Arc<Site>,
    requests: &Arc<Mutex<Vec<ServedRequest>>>,
    stopping: &AtomicBool,
) {
    for connection in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        match connection {
            Ok(stream) => {
                let site = Arc::clone(site);
                let requests = Arc::clone(requests);
                let spawned = std::thread::Builder::new()
                    .name("e2e-static-connection".to_string())
                    .spawn(move || handle_connection(stream, &site, &requests));
                if let Err(error) = spawned {
                    eprintln!("static server: failed to spawn a connection thread: {error}");
                }
            }
            Err(error) => {
                // Such as too many open files; waiting lets other connections close.
                eprintln!("static server: failed to accept a connection: {error}");
                std::thread::sleep(Duration::from_millis(50));
            }
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

/// A parsed request line and the headers the server uses.
struct RequestHead {
    method: String,
    target: String,
    host_header: Option<String>,
    referer: Option<String>,
    content_length: usize,
}

/// A response before it is written: status, extra headers and body.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
            body: body.as_bytes().to_vec(),
        }
    }
}

/// Reads one request from the connection, logs it, responds and closes the connection.
///
/// A connection closed or timed out before a whole request head arrived is dropped unlogged,
/// because browsers open spare connections that they may never use.
fn handle_connection(mut stream: TcpStream, site: &Site, requests: &Mutex<Vec<ServedRequest>>) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let Some((raw_head, body_start)) = read_head(&mut stream) else {
        return;
    };

    let (logged, reply, is_head) = match parse_head(&raw_head) {
        Some(head) => {
            discard_body(&mut stream, head.content_length, body_start.len());
            let (logged, reply) = answer(&head, site);
            (logged, reply, head.method == "HEAD")
        }
        None => {
            let first_line = raw_head.lines().next().unwrap_or_default().to_string();
            let logged = ServedRequest {
                method: String::new(),
                url: first_line,
                host: String::new(),
                path: None,
                referer: None,
                status: 400,
            };
            (logged, Reply::text(400, "invalid request"), false)
        }
    };

    // Logged before the response is written, so a test that got the response finds the entry.
    lock_requests(requests).push(logged);
    // The browser may have closed the connection already, which is not a test failure.
    let _ = write_reply(&mut stream, &reply, is_head);
    let _ = stream.shutdown(Shutdown::Write);
}

/// Reads up to the blank line after the headers. Returns the head as text and any body
/// bytes read past it, or `None` when the connection ended first or the head is too large.
fn read_head(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        if let Some(end) = raw.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).into_owned();
            return Some((head, raw[end + 4..].to_vec()));
        }
        if raw.len() > MAX_HEAD_BYTES {
            return None;
        }
        let read = stream.read(&mut buffer).ok()?;
        if read == 0 {
            return None;
        }
        raw.extend_from_slice(&buffer[..read]);
    }
}

fn parse_head(raw_head: &str) -> Option<RequestHead> {
    let mut lines = raw_head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_string();
    let target = request_line.next()?.to_string();
    let version = request_line.next()?;
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/1.") {
        return None;
    }

    let mut head = RequestHead {
        method,
        target,
        host_header: None,
        referer: None,
        content_length: 0,
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => head.host_header = Some(value),
            "referer" => head.referer = Some(value),
            "content-length" => head.content_length = value.parse().unwrap_or(0),
            _ => {}
        }
    }
    Some(head)
}

/// Reads and drops the request body, so that closing the connection does not reset it
/// before the browser reads the response.
fn discard_body(stream: &mut TcpStream, content_length: usize, already_read: usize) {
    let mut remaining = content_length
        .min(MAX_DISCARDED_BODY_BYTES)
        .saturating_sub(already_read);
    let mut buffer = [0u8; 8192];
    while remaining > 0 {
        match stream.read(&mut buffer[..remaining.min(8192)]) {
            Ok(0) | Err(_) => return,
            Ok(read) => remaining -= read,
        }
    }
}

/// The forms of request target that the server distinguishes.
enum Target<'a> {
    /// `/path?query`, sent to a server directly.
    Origin(&'a str),
    /// `http://host:port/path?query`, sent to a proxy.
    Absolute { authority: &'a str, path: &'a str },
    /// `host:port` of a `CONNECT`, or a target of another scheme or form.
    Other { authority: &'a str },
}

fn classify_target<'a>(method: &str, target: &'a str) -> Target<'a> {
    if method == "CONNECT" {
        return Target::Other { authority: target };
    }
    if target.starts_with('/') {
        return Target::Origin(target);
    }
    if let Some((scheme, rest)) = target.split_once("://") {
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if scheme.eq_ignore_ascii_case("http") {
            let path = match &rest[authority_end..] {
                "" => "/",
                path => path,
            };
            return Target::Absolute { authority, path };
        }
        return Target::Other { authority };
    }
    Target::Other { authority: target }
}

/// Chooses the response to a request and the log entry for it.
fn answer(head: &RequestHead, site: &Site) -> (ServedRequest, Reply) {
    let mut logged = ServedRequest {
        method: head.method.clone(),
        url: head.target.clone(),
        host: head.host_header.clone().unwrap_or_default(),
        path: None,
        referer: head.referer.clone(),
        status: 0,
    };

    let site_path = match classify_target(&head.method, &head.target) {
        Target::Origin(path) => Some(path),
        Target::Absolute { authority, path } => {
            logged.host = authority.to_string();
            authority
                .eq_ignore_ascii_case(&site.authority)
                .then_some(path)
        }
        Target::Other { authority } => {
            logged.host = authority.to_string();
            None
        }
    };

    let reply = match site_path {
        Some(path) => {
            logged.path = Some(path.to_string());
            serve_site_path(&head.method, path, site)
        }
        None => Reply::text(
            403,
            "forbidden: this test server is not a proxy and never forwards requests to other hosts",
        ),
    };
    logged.status = reply.status;
    (logged, reply)
}

fn serve_site_path(method: &str, target_path: &str, site: &Site) -> Reply {
    let path = target_path.split(['?', '#']).next().unwrap_or_default();
    let prefix = site.prefix.as_str();

    if method != "GET" && method != "HEAD" {
        Reply::text(405, "method not allowed")
    } else if path == prefix.trim_end_matches('/') && prefix != "/" {
        let mut reply = Reply::text(301, "moved");
        reply.headers.push(("Location", prefix.to_string()));
        reply
    } else {
        match path
            .strip_prefix(prefix)
            .and_then(|relative| resolve(&site.root, relative))
        {
            Some(file) => file_reply(&file),
            None => Reply::text(404, &format!("not found: {path}")),
        }
    }
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

fn file_reply(path: &Path) -> Reply {
    match std::fs::read(path) {
        Ok(bytes) => Reply {
            status: 200,
            headers: vec![
                ("Content-Type", content_type(path).to_string()),
                // Every test run must load the current build, never a cached one.
                ("Cache-Control", "no-store".to_string()),
            ],
            body: bytes,
        },
        Err(error) => Reply::text(500, &format!("failed to read {}: {error}", path.display())),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "",
    }
}

fn write_reply(stream: &mut TcpStream, reply: &Reply, omit_body: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reason_phrase(reply.status),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !omit_body {
        stream.write_all(&reply.body)?;
    }
    stream.flush()
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

        let head = blocking_request(server.address(), "HEAD", "/app.js").unwrap();
        assert_eq!(head.status, 200);
        assert_eq!(head.header("content-length"), Some("10"));
        assert_eq!(head.body, "");
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

        let host = server.address().to_string();
        let expected = vec![
            ServedRequest {
                method: "GET".to_string(),
                url: "/".to_string(),
                host: host.clone(),
                path: Some("/".to_string()),
                referer: None,
                status: 200,
            },
            ServedRequest {
                method: "GET".to_string(),
                url: "/missing.css".to_string(),
                host,
                path: Some("/missing.css".to_string()),
                referer: None,
                status: 404,
            },
        ];
        assert_eq!(server.requests(), expected);
        assert_eq!(server.failed_requests(), expected[1..].to_vec());
    }

    #[test]
    fn serves_own_host_as_proxy() {
        let site = site_with_files();
        let server = StaticServer::start(site.path(), "/headlights/");
        let own_url = format!("http://{}/headlights/app.js", server.address());

        let script = blocking_request(server.address(), "GET", &own_url).unwrap();
        assert_eq!(script.status, 200);
        assert_eq!(script.body, "export {};");

        let logged = &server.requests()[0];
        assert_eq!(logged.url, own_url);
        assert_eq!(logged.host, server.address().to_string());
        assert_eq!(logged.path.as_deref(), Some("/headlights/app.js"));
        assert!(logged.is_for_site());
    }

    #[test]
    fn rejects_other_hosts_as_proxy() {
        let site = site_with_files();
        let server = StaticServer::start(site.path(), "/");
        // Reserved names, and a port with no listener: the server must respond to these itself.
        let other_port = format!(
            "http://127.0.0.1:{}/app.js",
            server.address().port().wrapping_add(1)
        );
        let targets = [
            (
                "GET",
                "http://tracker.invalid/collect?id=1",
                "tracker.invalid",
            ),
            ("GET", "https://cdn.invalid/app.js", "cdn.invalid"),
            ("CONNECT", "cdn.invalid:443", "cdn.invalid:443"),
        ];
        for (method, target, host) in targets {
            let response = blocking_request(server.address(), method, target).unwrap();
            assert_eq!(response.status, 403, "{method} {target}");
            let logged = server.requests().pop().unwrap();
            assert_eq!(logged.method, method);
            assert_eq!(logged.host, host, "{method} {target}");
            assert!(!logged.is_for_site(), "{method} {target}: {logged:?}");
        }

        let response = blocking_request(server.address(), "GET", &other_port).unwrap();
        assert_eq!(response.status, 403, "GET {other_port}");
        assert_eq!(server.requests().len(), targets.len() + 1);
    }

    #[test]
    fn refuses_after_stop_and_restarts() {
        let first = site_with_files();
        let second = crate::temp::TempDir::new("e2e-site");
        std::fs::write(second.path().join("index.html"), "<p>second build</p>").unwrap();
        let mut server = StaticServer::start(first.path(), "/");
        let address = server.address();
        assert_eq!(blocking_request(address, "GET", "/").unwrap().status, 200);

        server.stop();
        let refused = blocking_request(address, "GET", "/");
        assert!(
            refused.is_err(),
            "a stopped server still responded: {refused:?}"
        );

        server.restart(second.path());
        assert_eq!(server.address(), address);
        let index = blocking_request(address, "GET", "/").unwrap();
        assert!(index.body.contains("second build"), "body: {}", index.body);
        assert_eq!(server.requests().len(), 2);
    }
}
