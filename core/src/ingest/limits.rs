//! Bounds on what one file may contain, so that a hostile or broken file is rejected with a
//! clear message instead of exhausting the tab's memory or time.
//!
//! Each limit is far above what a real customer-success export reaches; the numbers are
//! judgement calls, not measurements of a browser's capacity.

/// The largest file read at all, in bytes (1 GiB). Wasm32 memory is at most 4 GiB, and the
/// typed table plus the text cells need a few times the file size.
pub const MAX_FILE_BYTES: usize = 1 << 30;

/// The most columns a table may have: Excel's own limit per sheet (16,384).
pub const MAX_COLUMNS: usize = 16_384;

/// The longest record (one row, all of its fields) in bytes (1 MiB). A longer one is a file
/// that is not a table, or a missing closing quote that swallowed the rest of the file.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// The deepest nesting of JSON arrays and objects accepted. Event exports nest two or three
/// levels; serde_json itself stops at 128 levels with a less helpful message.
pub const MAX_JSON_DEPTH: usize = 32;

/// The largest total uncompressed size that a workbook's ZIP directory may declare (512 MiB).
pub const MAX_XLSX_UNCOMPRESSED_BYTES: u64 = 512 << 20;

/// The largest ratio of declared uncompressed to compressed size for one workbook part. Real
/// sheet XML compresses about 10 to 30 times; a decompression bomb reaches thousands.
pub const MAX_XLSX_COMPRESSION_RATIO: u64 = 250;

/// The share of NUL bytes (in the first 64 KiB, outside UTF-16 text) above which a file is
/// taken to be binary: one in a hundred.
pub const MAX_NUL_SHARE_PERCENT: usize = 1;
