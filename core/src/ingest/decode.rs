//! Bytes to text: byte-order marks, UTF-16 and the Windows-1252 fallback.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Text decoded from a file, with the name of the encoding that was used.
pub struct DecodedText {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes a file's bytes.
///
/// A byte-order mark decides (UTF-8, UTF-16 LE or BE). Without one, valid UTF-8 is read as
/// UTF-8 and anything else as Windows-1252, the encoding Excel uses for "CSV" on western
/// Windows systems, which maps every byte to a character and so never fails.
pub fn decode(bytes: &[u8]) -> DecodedText {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_length..]);
    }
    if looks_like_utf16_without_bom(bytes) {
        return decode_with(UTF_16LE, bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => DecodedText { text: text.to_string(), encoding: UTF_8.name() },
        Err(_) => decode_with(WINDOWS_1252, bytes),
    }
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> DecodedText {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    DecodedText { text: text.into_owned(), encoding: encoding.name() }
}

/// Detects little-endian UTF-16 text without a BOM by its zero high bytes on ASCII text.
fn looks_like_utf16_without_bom(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(512)];
    if sample.len() < 8 {
        return false;
    }
    let odd_zeros = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let even_zeros = sample.iter().step_by(2).filter(|b| **b == 0).count();
    odd_zeros * 10 >= sample.len() / 2 * 9 && even_zeros == 0
}

/// Returns true for the UTF-16 big-endian encoding, which only a BOM selects.
pub fn is_utf16(encoding: &str) -> bool {
    encoding == UTF_16LE.name() || encoding == UTF_16BE.name()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_removed() {
        let decoded = decode(b"\xEF\xBB\xBFid,amount\n");
        assert_eq!(decoded.text, "id,amount\n");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf16le_with_bom() {
        let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain("a;b".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, "a;b");
        assert!(is_utf16(decoded.encoding));
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        let decoded = decode(b"name\nJos\xE9\n");
        assert_eq!(decoded.text, "name\nJosé\n");
        assert_eq!(decoded.encoding, "windows-1252");
    }
}
