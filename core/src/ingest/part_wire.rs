//! The encoding of a part's typed rows between the workers: numeric columns as one byte string
//! of little-endian values, which postcard copies as a block instead of encoding each value
//! (see [`super::part::TypedPart::to_bytes`]).

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serializer};

use super::kinds::Timestamp;
use super::money::Money;

/// A value of fixed size in little-endian bytes.
pub trait FixedBytes: Copy {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    /// Reads a value from exactly [`Self::SIZE`] bytes.
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! fixed_integer {
    ($($integer:ty),*) => {$(
        impl FixedBytes for $integer {
            const SIZE: usize = std::mem::size_of::<$integer>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut array = [0u8; std::mem::size_of::<$integer>()];
                array.copy_from_slice(bytes);
                <$integer>::from_le_bytes(array)
            }
        }
    )*};
}

fixed_integer!(u16, u32, i32, i64);

impl FixedBytes for Timestamp {
    const SIZE: usize = 8;
    fn put(self, out: &mut Vec<u8>) {
        self.seconds.put(out);
    }
    fn get(bytes: &[u8]) -> Self {
        Timestamp { seconds: i64::get(bytes) }
    }
}

impl FixedBytes for Money {
    const SIZE: usize = 8;
    fn put(self, out: &mut Vec<u8>) {
        self.micros.put(out);
    }
    fn get(bytes: &[u8]) -> Self {
        Money::from_micros(i64::get(bytes))
    }
}

/// Writes `values` as one byte string; for `#[serde(serialize_with)]`.
pub fn serialize<T: FixedBytes, V: AsRef<[T]>, S: Serializer>(values: &V, serializer: S) -> Result<S::Ok, S::Error> {
    let values = values.as_ref();
    let mut bytes = Vec::with_capacity(values.len() * T::SIZE);
    for value in values {
        value.put(&mut bytes);
    }
    serializer.serialize_bytes(&bytes)
}

/// Reads values written by [`serialize`]; for `#[serde(deserialize_with)]`.
pub fn deserialize<'de, T: FixedBytes, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_bytes(FixedVisitor(std::marker::PhantomData))
}

struct FixedVisitor<T>(std::marker::PhantomData<T>);

impl<T: FixedBytes> Visitor<'_> for FixedVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(formatter, "a byte string of {}-byte values", T::SIZE)
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
        if bytes.len() % T::SIZE != 0 {
            return Err(E::custom("a byte string that is not a whole number of values"));
        }
        Ok(bytes.chunks_exact(T::SIZE).map(T::get).collect())
    }
}
