//! A minimal blocking HTTP/1.1 client for requests to local servers.
//!
//! It exists for places where no async runtime can be used, such as `Drop`,
//! and for the static server's own tests.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Timeout for connecting, and for each read or write.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// A parsed HTTP response.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    /// Body decoded as UTF-8, with invalid bytes replaced.
    pub body: String,
}

impl HttpResponse {
    /// Returns the first value of the header `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Sends a request without a body and reads the response.
///
/// The body ends after `Content-Length` bytes, or where the server closes the connection
/// when that header is missing. A chunked body is returned undecoded.
pub fn blocking_request(
    address: SocketAddr,
    method: &str,
    target: &str,
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect_timeout(&address, IO_TIMEOUT)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes())?;

    // chromedriver 156 sends `Connection: close` but keeps the connection open, so
    // reading to the end would wait for the read timeout.
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        if let Some(response) = parse_response(&raw) {
            if response.is_complete {
                return Ok(response.response);
            }
        }
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        raw.extend_from_slice(&buffer[..read]);
    }
    parse_response(&raw)
        .map(|parsed| parsed.response)
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "invalid HTTP response from {address}: {:?}",
                    String::from_utf8_lossy(&raw)
                ),
            )
        })
}

struct ParsedResponse {
    response: HttpResponse,
    /// Whether the body has all the bytes that `Content-Length` announced.
    is_complete: bool,
}

fn parse_response(raw: &[u8]) -> Option<ParsedResponse> {
    let header_end = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..header_end]).ok()?;
    let body = &raw[header_end + 4..];

    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let content_length: Option<usize> = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok());
    let is_complete = content_length.is_some_and(|length| body.len() >= length);
    let body = match content_length {
        Some(length) if body.len() > length => &body[..length],
        _ => body,
    };

    Some(ParsedResponse {
        response: HttpResponse {
            status,
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        },
        is_complete,
    })
}
