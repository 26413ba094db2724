//! Bytes to text: byte-order marks, UTF-16 with or without a mark, and legacy single-byte
//! encodings detected with chardetng.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Text decoded from a file, with the name of the encoding that was used. Valid UTF-8 is
/// borrowed from the input rather than copied.
pub struct DecodedText<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
}

/// Bytes given to chardetng at most; a western export decides within a few kilobytes.
const DETECTION_SAMPLE_BYTES: usize = 1 << 20;

/// Decodes a file's bytes.
///
/// A byte-order mark decides (UTF-8, UTF-16 LE or BE). Without one, UTF-16 is recognised by its
/// zero bytes in ASCII text, and valid UTF-8 is read as UTF-8. Anything else is decoded in the
/// encoding that chardetng (the detector Firefox uses) finds most likely. For western exports
/// saved by Excel that is typically Windows-1252.
pub fn decode(bytes: &[u8]) -> DecodedText<'_> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_length..]);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return decode_with(encoding, bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => DecodedText { text: Cow::Borrowed(text), encoding: UTF_8.name() },
        Err(_) => decode_with(detect_legacy(bytes), bytes),
    }
}

fn detect_legacy(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(DETECTION_SAMPLE_BYTES)];
    detector.feed(sample, sample.len() == bytes.len());
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

fn decode_with<'a>(encoding: &'static Encoding, bytes: &'a [u8]) -> DecodedText<'a> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    DecodedText { text, encoding: encoding.name() }
}

/// Detects UTF-16 text without a BOM by the zero high bytes of its ASCII characters: zeros at
/// odd offsets for little-endian, at even offsets for big-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 8 {
        return None;
    }
    let odd_zeros = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let even_zeros = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    if odd_zeros * 10 >= half * 9 && even_zeros == 0 {
        Some(UTF_16LE)
    } else if even_zeros * 10 >= half * 9 && odd_zeros == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Returns true for the UTF-16 encodings.
pub fn is_utf16(encoding: &str) -> bool {
    encoding == UTF_16LE.name() || encoding == UTF_16BE.name()
}

/// Returns true when the start of the file looks like UTF-16, with or without a mark, so that
/// its zero bytes are not taken for a binary file.
pub fn looks_like_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || utf16_without_bom(bytes).is_some()
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
    fn utf16be_without_bom() {
        let bytes: Vec<u8> = "id,amount\n1,2\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, "id,amount\n1,2\n");
        assert_eq!(decoded.encoding, "UTF-16BE");
    }

    #[test]
    fn latin1_is_detected_as_windows_1252() {
        let decoded = decode(b"name,city\nJos\xE9 Mu\xF1oz,S\xE3o Paulo\nFran\xE7ois,Besan\xE7on\n");
        assert_eq!(decoded.text, "name,city\nJosé Muñoz,São Paulo\nFrançois,Besançon\n");
        assert_eq!(decoded.encoding, "windows-1252");
    }
}
