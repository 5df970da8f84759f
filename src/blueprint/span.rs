//! Span-carrying wrappers used by the blueprint model.
//!
//! [`Sp<T>`] is a value together with the [`Span`] of the YAML node it came
//! from; [`NameMap<T>`] is a mapping whose keys are names (accounts, OUs,
//! permission sets, …), kept in source order with the span of every key.
//!
//! Both deserialize only through the blueprint's own YAML tree deserializer
//! ([`super::de`]), which hands spans to them through a private protocol;
//! their JSON Schema is that of the wrapped value (they are invisible in the
//! schema).

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::diagnostics::{SourceId, Span};

/// The struct name the tree deserializer recognises to hand out spans.
pub(crate) const SPANNED_NAME: &str = "$landform::Spanned";
/// The two fields of the span protocol: the span first, then the value.
pub(crate) const SPAN_FIELD: &str = "$span";
pub(crate) const VALUE_FIELD: &str = "$value";
pub(crate) const SPANNED_FIELDS: &[&str] = &[SPAN_FIELD, VALUE_FIELD];

/// A span that points nowhere (values built by code rather than read from a
/// file). [`crate::diagnostics::SourceMap::locate`] returns `None` for it.
pub const NO_SPAN: Span = Span {
    source: SourceId(u32::MAX),
    start: 0,
    end: 0,
};

/// A value with the span of the YAML node it was read from.
///
/// Equality, ordering and hashing look at the value only.
#[derive(Clone)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }

    /// A value without a source location (built by code).
    pub fn unspanned(value: T) -> Self {
        Self {
            value,
            span: NO_SPAN,
        }
    }

    pub fn get(&self) -> &T {
        &self.value
    }
}

impl Sp<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Sp<T> {}

impl<T: PartialOrd> PartialOrd for Sp<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: Ord> Ord for Sp<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: Hash> Hash for Sp<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for SpVisitor<T> {
            type Value = Sp<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value read from a blueprint file")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sp<T>, A::Error> {
                let mut span = NO_SPAN;
                let mut value = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        SPAN_FIELD => {
                            let [source, start, end] = map.next_value::<[u32; 3]>()?;
                            span = Span {
                                source: SourceId(source),
                                start,
                                end,
                            };
                        }
                        VALUE_FIELD => value = Some(map.next_value::<T>()?),
                        other => return Err(de::Error::unknown_field(other, SPANNED_FIELDS)),
                    }
                }
                let value = value.ok_or_else(|| de::Error::missing_field(VALUE_FIELD))?;
                Ok(Sp { value, span })
            }
        }

        deserializer.deserialize_struct(
            SPANNED_NAME,
            SPANNED_FIELDS,
            SpVisitor(std::marker::PhantomData),
        )
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A mapping from names to values, in source order, with the span of every
/// name. Names are unique (the loader rejects duplicate keys).
#[derive(Clone)]
pub struct NameMap<T> {
    entries: Vec<(Sp<String>, T)>,
}

impl<T> Default for NameMap<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
        }
    }
}

impl<T> NameMap<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, name: Sp<String>, value: T) {
        self.entries.push((name, value));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in source order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Sp<String>, &T)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Entries in source order, values mutable.
    pub fn iter_mut(&mut self) -> impl ExactSizeIterator<Item = (&Sp<String>, &mut T)> {
        self.entries.iter_mut().map(|(k, v)| (&*k, v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Sp<String>> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &T> {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Linear lookup by name; build an index for repeated lookups in big maps.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.entry(name).map(|(_, v)| v)
    }

    /// The name (with its span) and value of an entry.
    pub fn entry(&self, name: &str) -> Option<(&Sp<String>, &T)> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == name)
            .map(|(k, v)| (k, v))
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }
}

impl<T: fmt::Debug> fmt::Debug for NameMap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for NameMap<T> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl<T> FromIterator<(Sp<String>, T)> for NameMap<T> {
    fn from_iter<I: IntoIterator<Item = (Sp<String>, T)>>(iter: I) -> Self {
        Self {
            entries: iter.into_iter().collect(),
        }
    }
}

impl<T: Serialize> Serialize for NameMap<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(&k.value, v)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for NameMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = NameMap<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of names")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NameMap<T>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key::<Sp<String>>()? {
                    let value = map.next_value::<T>()?;
                    entries.push((key, value));
                }
                Ok(NameMap { entries })
            }
        }

        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for NameMap<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<T>();
        json_schema!({
            "type": "object",
            "additionalProperties": value,
        })
    }
}

impl<T: Default> Default for Sp<T> {
    fn default() -> Self {
        Self::unspanned(T::default())
    }
}
