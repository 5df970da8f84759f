//! A serde [`Deserializer`] over the YAML [`Node`] tree.
//!
//! It is what gives [`Sp`](super::span::Sp) its spans: when asked for the
//! private spanned struct it answers with the node's span and then the value.
//! `null` reads as an empty mapping where a struct or map is expected (so an
//! empty OU can be written `Sandbox:`), as `None` for options and as an empty
//! list for sequences. Errors carry the span of the innermost node involved.

use std::fmt;

use serde::de::value::{SeqDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

use super::span::{SPAN_FIELD, SPANNED_NAME, VALUE_FIELD};
use super::yaml::{Entry, Node, NodeKind};
use crate::diagnostics::Span;

/// A deserialization error with the span of the node that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError {
    pub message: String,
    pub span: Option<Span>,
}

impl DeError {
    fn at(mut self, span: Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            span: None,
        }
    }
}

/// Deserializes a `T` from a node.
pub fn from_node<'de, T: de::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    T::deserialize(NodeDe(node))
}

struct NodeDe<'de>(&'de Node);

impl<'de> NodeDe<'de> {
    fn map<V: Visitor<'de>>(&self, entries: &'de [Entry], visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(MapDe {
            entries: entries.iter(),
            value: None,
        })
    }
}

const EMPTY: &[Entry] = &[];

impl<'de> Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        let r = match &self.0.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Bool(b) => visitor.visit_bool(*b),
            NodeKind::Int(i) => visitor.visit_i64(*i),
            NodeKind::Float(f) => visitor.visit_f64(*f),
            NodeKind::Str { value, .. } => visitor.visit_borrowed_str(value),
            NodeKind::Seq(items) => visitor.visit_seq(SeqDe(items.iter())),
            NodeKind::Map(entries) => self.map(entries, visitor),
        };
        r.map_err(|e| e.at(span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match self.0.kind {
            NodeKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.0.span;
        if name == SPANNED_NAME {
            return visitor
                .visit_map(SpannedAccess {
                    span,
                    state: 0,
                    value: Some(self),
                })
                .map_err(|e| e.at(span));
        }
        match &self.0.kind {
            NodeKind::Null => self.map(EMPTY, visitor),
            NodeKind::Map(entries) => self.map(entries, visitor),
            _ => self
                .deserialize_any(visitor)
                .map_err(|e| if fields.is_empty() { e } else { e.at(span) }),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.kind {
            NodeKind::Null => self.map(EMPTY, visitor),
            NodeKind::Map(entries) => self.map(entries, visitor),
            _ => return self.deserialize_any(visitor),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.kind {
            NodeKind::Null => visitor.visit_seq(SeqDe([].iter())),
            NodeKind::Seq(items) => visitor.visit_seq(SeqDe(items.iter())),
            _ => return self.deserialize_any(visitor),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.0.span;
        match &self.0.kind {
            NodeKind::Str { value, .. } => {
                let d: StrDeserializer<'_, DeError> = value.as_str().into_deserializer();
                visitor.visit_enum(d)
            }
            _ => return self.deserialize_any(visitor),
        }
        .map_err(|e| e.at(span))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let span = self.0.span;
        visitor.visit_newtype_struct(self).map_err(|e| e.at(span))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple tuple_struct identifier ignored_any
    }
}

struct SeqDe<'de>(std::slice::Iter<'de, Node>);

impl<'de> de::SeqAccess<'de> for SeqDe<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.0.next() {
            Some(node) => seed
                .deserialize(NodeDe(node))
                .map(Some)
                .map_err(|e| e.at(node.span)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapDe<'de> {
    entries: std::slice::Iter<'de, Entry>,
    value: Option<&'de Node>,
}

impl<'de> MapAccess<'de> for MapDe<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.entries.next() {
            Some(entry) => {
                self.value = Some(&entry.value);
                seed.deserialize(KeyDe {
                    key: &entry.key,
                    span: entry.key_span,
                })
                .map(Some)
                .map_err(|e| e.at(entry.key_span))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(node) => seed.deserialize(NodeDe(node)).map_err(|e| e.at(node.span)),
            None => Err(de::Error::custom("a mapping value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The key of a mapping entry: a string with its own span.
struct KeyDe<'de> {
    key: &'de str,
    span: Span,
}

impl<'de> Deserializer<'de> for KeyDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_borrowed_str(self.key)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if name == SPANNED_NAME {
            return visitor.visit_map(SpannedAccess {
                span: self.span,
                state: 0,
                value: Some(self),
            });
        }
        visitor.visit_borrowed_str(self.key)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let d: StrDeserializer<'_, DeError> = self.key.into_deserializer();
        visitor.visit_enum(d)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map identifier ignored_any
    }
}

/// The private spanned-struct protocol: `$span` then `$value`.
struct SpannedAccess<D> {
    span: Span,
    state: u8,
    value: Option<D>,
}

impl<'de, D: Deserializer<'de, Error = DeError>> MapAccess<'de> for SpannedAccess<D> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let key = match self.state {
            0 => SPAN_FIELD,
            1 => VALUE_FIELD,
            _ => return Ok(None),
        };
        let d: StrDeserializer<'_, DeError> = key.into_deserializer();
        seed.deserialize(d).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        self.state += 1;
        if self.state == 1 {
            let parts = [self.span.source.0, self.span.start, self.span.end];
            let d: SeqDeserializer<_, DeError> = SeqDeserializer::new(parts.into_iter());
            seed.deserialize(d)
        } else {
            match self.value.take() {
                Some(v) => seed.deserialize(v),
                None => Err(de::Error::custom("a spanned value was read twice")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::span::{NameMap, Sp};
    use crate::blueprint::yaml;
    use crate::diagnostics::SourceId;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: Sp<String>,
        #[serde(default)]
        items: Vec<Sp<u32>>,
        #[serde(default)]
        nested: NameMap<Inner>,
        opt: Option<Sp<String>>,
    }

    #[derive(Debug, Deserialize, Default)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[serde(default)]
        flag: bool,
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn spans_reach_values_and_keys() {
        let text = "name: alpha\nitems: [1, 22]\nnested:\n  one: {flag: true}\n  two:\nopt: ~\n";
        let node = yaml::parse(text, SourceId(3)).document.unwrap();
        let doc: Doc = from_node(&node).unwrap();
        assert_eq!(doc.name.value, "alpha");
        assert_eq!(doc.name.span.source, SourceId(3));
        assert_eq!(slice(text, doc.name.span), "alpha");
        assert_eq!(slice(text, doc.items[1].span), "22");
        let keys: Vec<_> = doc.nested.keys().map(|k| slice(text, k.span)).collect();
        assert_eq!(keys, ["one", "two"]);
        assert!(doc.nested.get("one").unwrap().flag);
        assert!(!doc.nested.get("two").unwrap().flag);
        assert!(doc.opt.is_none());
    }

    #[test]
    fn errors_point_at_the_offending_node() {
        let text = "name: alpha\nitems: [1, -4]\nopt: x\n";
        let node = yaml::parse(text, SourceId(0)).document.unwrap();
        let err = from_node::<Doc>(&node).unwrap_err();
        assert_eq!(slice(text, err.span.unwrap()), "-4");
    }
}
