//! A serde serializer that feeds values straight into a hasher: what the
//! preview's fingerprints are made of. Unlike hashing JSON text it does no
//! escaping or number formatting, and a value that carries its own hash
//! (the rendered HTML of a page, [`Hashed`]) contributes that hash instead
//! of its bytes: the fingerprint of a 10,000-page site hashes kilobytes per
//! page, not the page's whole body.

use std::hash::Hasher;

use rustc_hash::FxHasher;
use serde::ser::{self, Serialize};

/// Text with a hash of itself computed earlier: serialised as the text for
/// templates, as the hash for fingerprints.
#[derive(Debug, Clone, Copy)]
pub struct Hashed<'a> {
    /// The text.
    pub text: &'a str,
    /// Its hash, or 0 when none was computed (then the text is hashed).
    pub hash: u64,
}

impl Serialize for Hashed<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Only the fingerprint serializer is not "human readable".
        if !s.is_human_readable() && self.hash != 0 { s.serialize_u64(self.hash) } else { s.serialize_str(self.text) }
    }
}

/// Hashes `value` into `h`.
pub(crate) fn hash_into<T: Serialize + ?Sized>(h: &mut FxHasher, value: &T) {
    // Hashing cannot fail; the error type exists for serde's sake.
    let _ = value.serialize(Feed(h));
}

/// The serializer: every value writes a tag byte and its data.
struct Feed<'h>(&'h mut FxHasher);

/// Never produced.
#[derive(Debug)]
pub(crate) struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fingerprint")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl Feed<'_> {
    fn tag(&mut self, t: u8) {
        self.0.write_u8(t);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.0.write_usize(b.len());
        self.0.write(b);
    }
}

macro_rules! numbers {
    ($($name:ident: $ty:ty => $tag:expr, $write:ident as $as:ty;)*) => {$(
        fn $name(mut self, v: $ty) -> Result<(), Never> {
            self.tag($tag);
            self.0.$write(v as $as);
            Ok(())
        }
    )*};
}

impl<'h> ser::Serializer for Feed<'h> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    numbers! {
        serialize_bool: bool => 1, write_u8 as u8;
        serialize_i8: i8 => 2, write_i64 as i64;
        serialize_i16: i16 => 2, write_i64 as i64;
        serialize_i32: i32 => 2, write_i64 as i64;
        serialize_i64: i64 => 2, write_i64 as i64;
        serialize_u8: u8 => 3, write_u64 as u64;
        serialize_u16: u16 => 3, write_u64 as u64;
        serialize_u32: u32 => 3, write_u64 as u64;
        serialize_u64: u64 => 3, write_u64 as u64;
        serialize_char: char => 5, write_u32 as u32;
    }

    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(mut self, v: f64) -> Result<(), Never> {
        self.tag(4);
        self.0.write_u64(v.to_bits());
        Ok(())
    }

    fn serialize_str(mut self, v: &str) -> Result<(), Never> {
        self.tag(6);
        self.bytes(v.as_bytes());
        Ok(())
    }

    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Never> {
        self.tag(7);
        self.bytes(v);
        Ok(())
    }

    fn serialize_none(mut self) -> Result<(), Never> {
        self.tag(8);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(mut self, v: &T) -> Result<(), Never> {
        self.tag(9);
        v.serialize(self)
    }

    fn serialize_unit(mut self) -> Result<(), Never> {
        self.tag(10);
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(mut self, _: &'static str, i: u32, _: &'static str) -> Result<(), Never> {
        self.tag(11);
        self.0.write_u32(i);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        i: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.tag(12);
        self.0.write_u32(i);
        v.serialize(self)
    }

    fn serialize_seq(mut self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(13);
        Ok(self)
    }

    fn serialize_tuple(mut self, _: usize) -> Result<Self, Never> {
        self.tag(13);
        Ok(self)
    }

    fn serialize_tuple_struct(mut self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.tag(13);
        Ok(self)
    }

    fn serialize_tuple_variant(mut self, _: &'static str, i: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.tag(14);
        self.0.write_u32(i);
        Ok(self)
    }

    fn serialize_map(mut self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(15);
        Ok(self)
    }

    fn serialize_struct(mut self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.tag(15);
        Ok(self)
    }

    fn serialize_struct_variant(mut self, _: &'static str, i: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.tag(16);
        self.0.write_u32(i);
        Ok(self)
    }
}

impl Feed<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        self.tag(17);
        v.serialize(Feed(self.0))
    }

    fn end(mut self) -> Result<(), Never> {
        self.tag(18);
        Ok(())
    }
}

macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Feed<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
                self.element(v)
            }
            fn end(self) -> Result<(), Never> {
                Feed::end(self)
            }
        }
    )*};
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Feed<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Never> {
        self.element(k)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        self.element(v)
    }
    fn end(self) -> Result<(), Never> {
        Feed::end(self)
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Feed<'_> {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), Never> {
                self.bytes(key.as_bytes());
                self.element(v)
            }
            fn end(self) -> Result<(), Never> {
                Feed::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    fn hash<T: Serialize>(v: &T) -> u64 {
        let mut h = FxHasher::default();
        hash_into(&mut h, v);
        h.finish()
    }

    #[test]
    fn different_values_give_different_hashes() {
        #[derive(serde::Serialize)]
        struct A<'a> {
            x: &'a str,
            y: Option<u32>,
            z: Vec<&'a str>,
        }
        let base = hash(&A { x: "ab", y: Some(1), z: vec!["c"] });
        assert_eq!(base, hash(&A { x: "ab", y: Some(1), z: vec!["c"] }));
        for other in [
            A { x: "a", y: Some(1), z: vec!["bc"] },
            A { x: "ab", y: None, z: vec!["c"] },
            A { x: "ab", y: Some(1), z: vec!["c", ""] },
            A { x: "ab", y: Some(2), z: vec!["c"] },
        ] {
            assert_ne!(base, hash(&other));
        }
        // Moving text between neighbouring strings changes the hash.
        assert_ne!(hash(&("ab", "c")), hash(&("a", "bc")));
        assert_ne!(hash(&(vec![1u8], vec![2u8])), hash(&(vec![1u8, 2], Vec::<u8>::new())));
    }

    #[test]
    fn hashed_text_contributes_its_hash_to_fingerprints_and_its_text_to_json() {
        let h = Hashed { text: "<p>x</p>", hash: 42 };
        assert_eq!(serde_json::to_string(&h).unwrap(), "\"<p>x</p>\"");
        assert_eq!(hash(&h), hash(&42u64));
        assert_ne!(hash(&Hashed { text: "<p>x</p>", hash: 43 }), hash(&h));
        // Without a hash, the text itself counts.
        assert_eq!(hash(&Hashed { text: "<p>x</p>", hash: 0 }), hash(&"<p>x</p>"));
    }
}
