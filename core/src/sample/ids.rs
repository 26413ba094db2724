//! Random identifiers in the forms vendors use (`cus_…`, `sub_…`, hexadecimal tokens).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &[u8; 16] = b"0123456789abcdef";

/// A Stripe-style id: the prefix, an underscore, then `length` base-62 characters.
pub fn stripe_id(rng: &mut ChaCha8Rng, prefix: &str, length: usize) -> String {
    let mut id = String::with_capacity(prefix.len() + 1 + length);
    id.push_str(prefix);
    id.push('_');
    push_random(rng, &mut id, BASE62, length);
    id
}

/// A lower-case hexadecimal token of `length` characters.
pub fn hex_token(rng: &mut ChaCha8Rng, length: usize) -> String {
    let mut token = String::with_capacity(length);
    push_random(rng, &mut token, HEX, length);
    token
}

fn push_random(rng: &mut ChaCha8Rng, out: &mut String, alphabet: &[u8], length: usize) {
    for _ in 0..length {
        out.push(char::from(alphabet[rng.random_range(0..alphabet.len())]));
    }
}
