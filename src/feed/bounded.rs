//! JSON read into generic values with every array cut at a limit while it is
//! read: the elements past the limit are skipped without being stored, and
//! only their number is kept. A document of 645,000 list entries then costs
//! the memory of 10,000, not 300 MB of maps that would be thrown away.
//!
//! A cut array holds its first `limit` elements and, at index `limit`, a
//! marker object with the number left out. No document can put an element
//! at that index itself (its own element there was skipped), so the marker
//! cannot be forged; [`omitted`] reads it.

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// The key of the marker object at index `limit` of a cut array.
const MARKER: &str = "\u{0}omitted";

/// Parses `text` as JSON, cutting every array at `limit` elements.
pub fn from_str(text: &str, limit: usize) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed { limit }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The elements of `items` as the document gave them, and how many the
/// document had in all (more than `items` holds when it was cut).
pub fn omitted(items: &[Value], limit: usize) -> (&[Value], usize) {
    if items.len() == limit + 1 {
        if let Some(n) = items[limit].get(MARKER).and_then(Value::as_u64) {
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            return (&items[..limit], limit.saturating_add(n));
        }
    }
    (items, items.len())
}

#[derive(Clone, Copy)]
struct Seed {
    limit: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while items.len() < self.limit {
            match seq.next_element_seed(self)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
        let mut left_out: u64 = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            left_out += 1;
        }
        if left_out > 0 {
            let mut marker = Map::new();
            marker.insert(MARKER.to_string(), Value::from(left_out));
            items.push(Value::Object(marker));
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_are_cut_while_read_and_the_rest_counted() {
        let v = from_str(
            r#"{"a":[1,2,3,4,5],"b":[[1,2,3]],"c":{"d":"x","e":null,"f":-1.5}}"#,
            2,
        )
        .unwrap();
        let a = v["a"].as_array().unwrap();
        assert_eq!(omitted(a, 2), (&a[..2], 5));
        let b = v["b"][0].as_array().unwrap();
        assert_eq!(omitted(b, 2).1, 3, "nested arrays too");
        assert_eq!(v["c"], serde_json::json!({"d":"x","e":null,"f":-1.5}));
        let short = from_str("[1,2]", 2).unwrap();
        assert_eq!(omitted(short.as_array().unwrap(), 2).1, 2);
    }

    #[test]
    fn a_document_cannot_forge_the_marker() {
        // Its own marker-shaped element sits below the limit, or is skipped.
        let v = from_str(r#"[{"\u0000omitted": 99}, 2]"#, 2).unwrap();
        assert_eq!(omitted(v.as_array().unwrap(), 2).1, 2);
        let v = from_str(r#"[1, 2, {"\u0000omitted": 99}]"#, 2).unwrap();
        assert_eq!(omitted(v.as_array().unwrap(), 2).1, 3);
    }

    #[test]
    fn errors_and_trailing_text_are_reported_like_serde_json() {
        assert!(from_str("[1,", 5).is_err());
        assert!(from_str("[1] x", 5).is_err());
        for bad in ["{\n\"a\": tru}", "[1,\n2,,3]", "\"\\ud800\""] {
            let ours = from_str(bad, 5).unwrap_err();
            let theirs = serde_json::from_str::<Value>(bad).unwrap_err();
            assert_eq!(
                (ours.line(), ours.column()),
                (theirs.line(), theirs.column()),
                "{bad}"
            );
        }
    }
}
