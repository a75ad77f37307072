//! The config's schema, read from the serde types of `raw` themselves: the
//! keys each table may hold (for the unknown-key check and the console's
//! form), and the key names and defaults the console's form writes. There
//! is no second list of keys to keep by hand: a field added to a raw struct
//! is a known key at once.
//!
//! The keys come from a walk: a `Probe` deserializer feeds
//! `RawConfig`'s `Deserialize` a document holding every field, and notes
//! the field list serde's derive hands to `deserialize_struct` at each
//! table. What the walk cannot see inside (an untagged enum, a map, a
//! flattened struct) it notes as opaque; a test keeps that list to the one
//! known case (`rows`, a number or a word, so no keys are missed).

use super::raw::RawConfig;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::sync::LazyLock;

/// Defines the key-name modules and, for the test that checks every name
/// against the serde types, the list of them with their tables.
macro_rules! key_names {
    ($($(#[$doc:meta])* $module:ident at $table:literal { $($name:ident = $key:literal),* $(,)? })*) => {
        $(
            $(#[$doc])*
            pub mod $module {
                $(
                    #[doc = concat!("`", $key, "`")]
                    pub const $name: &str = $key;
                )*
            }
        )*
        #[cfg(test)]
        const EXPORTED: &[(&str, &str)] = &[$($(($table, $key),)*)*];
    };
}

key_names! {
    /// Keys of the top level.
    top at "" { SCREEN = "screen", PLAYLIST = "playlist" }
    /// Keys of `[screen]`.
    screen at "screen" { DISPLAY_HOURS = "display_hours" }
    /// Keys of `display_hours = { … }` in `[screen]`.
    hours at "screen.display_hours" { FROM = "from", UNTIL = "until" }
    /// Keys of a `[[playlist]]` item.
    item at "playlist" {
        BOARD = "board",
        LIST = "list",
        NOTICE = "notice",
        MESSAGE = "message",
        SELECT = "select",
        DURATION = "duration",
        TRANSITION = "transition",
        WINDOWS = "windows",
    }
    /// Keys of an item's `select = { … }`.
    select at "playlist.select" { LEVEL = "level", LIST = "list", NOTICES = "notices", VIEW = "view" }
    /// Keys of an item's `message = { … }`: text written in the config.
    message at "playlist.message" { TITLE = "title", BODY = "body", FROM = "from", UNTIL = "until", BANNER = "banner" }
    /// Keys of an item's `transition = { … }`.
    transition at "playlist.transition" { KIND = "kind", DURATION = "duration" }
    /// Keys of one of an item's `windows = [{ … }]`.
    window at "playlist.windows" { DAYS = "days", FROM = "from", UNTIL = "until" }
}

/// The keys that say what an item shows; an item has exactly one of them.
pub const ITEM_CONTENT: [&str; 5] = [item::BOARD, item::LIST, item::NOTICE, item::MESSAGE, item::SELECT];

/// What an item is when its file leaves a key out: the raw types' defaults,
/// named once here so the console's form shows and writes the same.
pub mod defaults {
    /// Seconds per page, `duration`.
    pub const ITEM_DURATION: f64 = 10.0;
    /// `transition.kind`.
    pub const TRANSITION_KIND: &str = "fade";
    /// `transition.duration`, in seconds.
    pub const TRANSITION_DURATION: f64 = 0.6;
}

/// The keys each table of the config may hold, by path: `""` for the top
/// level, `"playlist"` for an item, `"playlist.windows"` for one window.
/// Empty for a path that is no table (every key there is unknown).
pub fn keys(table: &str) -> &'static [&'static str] {
    match &*SCHEMA {
        Ok(s) => s
            .tables
            .iter()
            .find(|(path, _)| path == table)
            .map_or(&[], |(_, keys)| *keys),
        // Only a raw type the walk cannot read gets here, and the tests
        // below fail first; no keys then reads as "every key unknown".
        Err(_) => &[],
    }
}

/// Every table of the config with its keys, in the raw types' order.
pub fn tables() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    let tables = match &*SCHEMA {
        Ok(s) => s.tables.as_slice(),
        Err(_) => &[],
    };
    tables.iter().map(|(path, keys)| (path.as_str(), *keys))
}

/// Read once: the serde types do not change while the program runs.
static SCHEMA: LazyLock<Result<Schema, ProbeError>> = LazyLock::new(walk);

/// What the walk found.
#[derive(Debug, Default)]
struct Schema {
    /// Each table's path and keys.
    tables: Vec<(String, &'static [&'static str])>,
    /// Paths whose type the walk could not look inside.
    opaque: Vec<String>,
}

fn walk() -> Result<Schema, ProbeError> {
    let mut schema = Schema::default();
    RawConfig::deserialize(Probe {
        path: String::new(),
        schema: &mut schema,
    })?;
    Ok(schema)
}

/// Why the walk stopped: a raw type asked for a shape it cannot fake.
#[derive(Debug, thiserror::Error)]
enum ProbeError {
    /// serde's own message.
    #[error("{0}")]
    Serde(String),
}

impl de::Error for ProbeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ProbeError::Serde(msg.to_string())
    }
}

/// A deserializer that answers every request with the smallest value of the
/// shape asked for, a table with every field for a struct, and notes each
/// struct's fields at its path.
struct Probe<'s> {
    path: String,
    schema: &'s mut Schema,
}

impl Probe<'_> {
    fn opaque(self) -> Self {
        self.schema.opaque.push(self.path.clone());
        self
    }
}

impl<'de> IntoDeserializer<'de, ProbeError> for Probe<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = ProbeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        // An untagged enum: its variants are tried against what comes, and
        // none is told to the deserializer. A word fits `Rows`.
        self.opaque();
        visitor.visit_str("")
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        if serde_spanned::de::is_spanned(name) {
            // `Spanned<T>` is T with a place: the same key, the same table.
            return visitor.visit_map(serde_spanned::de::SpannedDeserializer::new(self, 0..0));
        }
        self.schema.tables.push((self.path.clone(), fields));
        visitor.visit_map(Fields {
            path: self.path,
            fields: fields.iter(),
            next: None,
            schema: self.schema,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        // A map (or a flattened struct) takes any key: none to list.
        let probe = self.opaque();
        visitor.visit_map(Fields {
            path: probe.path,
            fields: [].iter(),
            next: None,
            schema: probe.schema,
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        // One element: an array of tables (`[[playlist]]`) is walked once,
        // its tables under the array's own path.
        visitor.visit_seq(Elements {
            left: 1,
            path: self.path,
            schema: self.schema,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_seq(Elements {
            left: len,
            path: self.path,
            schema: self.schema,
        })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeError> {
        // No raw type is a tagged enum; one that appears needs a walk of
        // its variants here, and the schema test says so.
        Err(de::Error::custom(format!(
            "the schema walk cannot read the enum at `{}`",
            self.path
        )))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_bool(false)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_i64(0)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_u64(0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_f64(0.0)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_char(' ')
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_str("")
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_bytes(&[])
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_unit()
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        visitor.visit_str("")
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        self.deserialize_bytes(visitor)
    }
}

/// A table holding every field of a struct, each value probed at
/// `path.field`.
struct Fields<'s> {
    path: String,
    fields: std::slice::Iter<'static, &'static str>,
    /// The field whose key was given last, for its value.
    next: Option<&'static str>,
    schema: &'s mut Schema,
}

impl<'de> MapAccess<'de> for Fields<'_> {
    type Error = ProbeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ProbeError> {
        let Some(field) = self.fields.next() else {
            return Ok(None);
        };
        self.next = Some(field);
        seed.deserialize(IntoDeserializer::<ProbeError>::into_deserializer(*field))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ProbeError> {
        let field = self.next.take().unwrap_or_default();
        let path = if self.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", self.path)
        };
        seed.deserialize(Probe {
            path,
            schema: self.schema,
        })
    }
}

/// `left` elements, each probed at the sequence's own path.
struct Elements<'s> {
    left: usize,
    path: String,
    schema: &'s mut Schema,
}

impl<'de> SeqAccess<'de> for Elements<'_> {
    type Error = ProbeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ProbeError> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(Probe {
            path: self.path.clone(),
            schema: self.schema,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_schema_is_read_from_the_serde_types() {
        let schema = SCHEMA.as_ref().expect("the walk reads every raw type");
        // `rows` is a number or a word: no keys inside it to miss. Anything
        // else here (a map, a flattened struct, another untagged enum) hides
        // keys from the unknown-key check and the form: walk it explicitly.
        assert_eq!(schema.opaque, ["playlist.rows"]);
        let paths: Vec<&str> = tables().map(|(p, _)| p).collect();
        for path in [
            "",
            "screen",
            "screen.display_hours",
            "feed",
            "playlist",
            "playlist.windows",
        ] {
            assert!(paths.contains(&path), "{path} in {paths:?}");
        }
        assert!(keys("playlist.windows").contains(&"start_date"));
        assert!(keys("").contains(&"report"));
        assert!(keys("playlist.rows").is_empty());
        assert!(keys("nowhere").is_empty());
    }

    #[test]
    fn every_exported_key_is_a_key_of_the_serde_types() {
        for (table, key) in EXPORTED {
            assert!(
                keys(table).contains(key),
                "`{key}` is exported for [{table}] but the raw types have {:?}",
                keys(table)
            );
        }
        for key in ITEM_CONTENT {
            assert!(keys("playlist").contains(&key));
        }
    }
}
