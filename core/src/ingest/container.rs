//! What kind of container a file is, from its first bytes: delimited text, JSON, an XLSX
//! workbook, or something that is not a table at all (PDF, image, other binary).

use super::decode::looks_like_utf16;
use super::limits::MAX_NUL_SHARE_PERCENT;

/// The readers a file can go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    Text,
    Json,
    Zip,
}

/// A file that is not a table, with what it looks like and what to do.
pub struct NotATable {
    pub reason: String,
    pub advice: &'static str,
}

const SAVE_AS_CSV: &str = "Export the data from the tool as CSV, XLSX or JSON lines and drop that file instead.";

/// Signatures of common non-table files: (magic bytes, what it is).
const SIGNATURES: [(&[u8], &str); 10] = [
    (b"%PDF", "this looks like a PDF document, not a table"),
    (b"\x89PNG", "this looks like a PNG image, not a table"),
    (b"\xFF\xD8\xFF", "this looks like a JPEG image, not a table"),
    (b"GIF8", "this looks like a GIF image, not a table"),
    (b"\x1F\x8B", "this is a gzip-compressed file"),
    (b"BZh", "this is a bzip2-compressed file"),
    (b"7z\xBC\xAF", "this is a 7-Zip archive"),
    (b"Rar!", "this is a RAR archive"),
    (b"\xD0\xCF\x11\xE0", "this is a legacy Excel workbook (XLS) or another Office 97 file"),
    (b"PAR1", "this is a Parquet file"),
];

/// Sorts a file by its first bytes.
pub fn classify(bytes: &[u8]) -> Result<Container, NotATable> {
    for (magic, what) in SIGNATURES {
        if bytes.starts_with(magic) {
            let advice = match magic {
                b"\x1F\x8B" | b"BZh" | b"7z\xBC\xAF" | b"Rar!" => "Unpack it and drop the CSV, XLSX or JSON file inside.",
                b"\xD0\xCF\x11\xE0" => "Open it in Excel and save it as XLSX or CSV (UTF-8), then drop it again.",
                _ => SAVE_AS_CSV,
            };
            return Err(NotATable { reason: what.to_string(), advice });
        }
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Ok(Container::Zip);
    }
    if !looks_like_utf16(bytes) && is_binary(bytes) {
        return Err(NotATable { reason: "this is a binary file, not text: it has many NUL bytes".to_string(), advice: SAVE_AS_CSV });
    }
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|byte| !byte.is_ascii_whitespace());
    Ok(match start {
        Some(b'{') | Some(b'[') => Container::Json,
        _ => Container::Text,
    })
}

/// Returns true when more than [`MAX_NUL_SHARE_PERCENT`] percent of the first 64 KiB are NUL.
fn is_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(64 << 10)];
    let nul_bytes = sample.iter().filter(|byte| **byte == 0).count();
    nul_bytes * 100 > sample.len() * MAX_NUL_SHARE_PERCENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_signature() {
        assert_eq!(classify(b"id,amount\n1,2\n").ok(), Some(Container::Text));
        assert_eq!(classify(b"  [{\"event\":\"a\"}]").ok(), Some(Container::Json));
        assert_eq!(classify(b"PK\x03\x04rest").ok(), Some(Container::Zip));
        assert!(classify(b"%PDF-1.7\n").unwrap_err().reason.contains("PDF"));
        assert!(classify(&[0u8; 100]).unwrap_err().reason.contains("NUL"));
    }
}
