//! Reading the embedded catalogue text (format described in its header and in
//! `scripts/gen-catalog`) into the tables of a [`Catalog`].
//!
//! Names stay slices of the embedded text; only the lowercase action names,
//! the lookup maps and a few index vectors are allocated. A malformed record
//! is skipped and counted (the file is generated, so a test asserts there are
//! none); loading never fails.

use std::collections::HashMap;

use super::glob;
use super::global_keys::GLOBAL_KEYS;
use super::{
    AccessLevel, ActionRec, ActionResourceType, Catalog, ConditionKeyType, KeyRec, RtRec,
    ServiceRec, SourceInfo,
};

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Parses a comma-separated list of service-local record numbers; `*` after a
/// number marks a required resource type.
fn numbers(field: &str) -> impl Iterator<Item = Option<(usize, bool)>> + '_ {
    field.split(',').filter(|s| !s.is_empty()).map(|s| {
        let (num, required) = match s.strip_suffix('*') {
            Some(n) => (n, true),
            None => (s, false),
        };
        num.parse::<usize>().ok().map(|n| (n, required))
    })
}

pub(super) fn parse(text: &'static str) -> Catalog {
    let mut cat = Catalog {
        source: SourceInfo::default(),
        services: Vec::with_capacity(512),
        actions: Vec::with_capacity(23_000),
        lower: String::with_capacity(text.len() / 3),
        action_rts: Vec::with_capacity(24_000),
        key_refs: Vec::with_capacity(40_000),
        arn_patterns: Vec::with_capacity(2_600),
        resource_types: Vec::with_capacity(2_400),
        keys: Vec::with_capacity(3_000),
        key_exact: HashMap::new(),
        key_templates: Vec::new(),
        malformed: 0,
    };

    for line in text.lines() {
        if let Some(meta) = line.strip_prefix("# ") {
            read_header(&mut cat.source, meta);
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let ok = match fields.next() {
            Some("S") => service(&mut cat, fields),
            Some("K") => condition_key(&mut cat, fields),
            Some("R") => resource_type(&mut cat, fields),
            Some("A") => action(&mut cat, fields),
            _ => false,
        };
        if !ok {
            cat.malformed += 1;
        }
    }
    index_keys(&mut cat);
    cat
}

fn read_header(source: &mut SourceInfo, meta: &'static str) {
    let Some((field, value)) = meta.split_once(": ") else {
        return;
    };
    match field {
        "source" => {
            source.package = value
                .strip_prefix("npm package ")
                .and_then(|v| v.split_whitespace().next())
                .unwrap_or(value);
        }
        "version" => source.version = value,
        "license" => source.license = value,
        "generated" => source.generated = value,
        "upstream-updated" => source.upstream_updated = value,
        _ => {}
    }
}

fn service<'t>(cat: &mut Catalog, mut f: impl Iterator<Item = &'static str> + 't) -> bool {
    let (Some(prefix), Some(name), Some(rcp)) = (f.next(), f.next(), f.next()) else {
        return false;
    };
    let a = u32_of(cat.actions.len());
    let r = u32_of(cat.resource_types.len());
    let k = u32_of(cat.keys.len());
    cat.services.push(ServiceRec {
        prefix,
        name,
        rcp: rcp == "1",
        actions: (a, a),
        resource_types: (r, r),
        keys: (k, k),
    });
    true
}

fn condition_key<'t>(cat: &mut Catalog, mut f: impl Iterator<Item = &'static str> + 't) -> bool {
    let (Some(name), Some(ty)) = (f.next(), f.next()) else {
        return false;
    };
    let Some(svc_idx) = cat.services.len().checked_sub(1) else {
        return false;
    };
    let Some(key_type) = ConditionKeyType::parse(ty) else {
        return false;
    };
    cat.keys.push(KeyRec {
        name,
        key_type,
        alt_type: None,
        service: Some(u32_of(svc_idx)),
        global: false,
        doc_anchor: None,
    });
    cat.services[svc_idx].keys.1 = u32_of(cat.keys.len());
    true
}

/// Resolves service-local condition-key numbers into names in `key_refs`.
fn push_key_refs(cat: &mut Catalog, svc: usize, field: &str) -> Option<(u32, u32)> {
    let (k0, k1) = cat.services[svc].keys;
    let start = u32_of(cat.key_refs.len());
    for n in numbers(field) {
        let (n, _) = n?;
        let idx = (k0 as usize).checked_add(n).filter(|&i| i < k1 as usize)?;
        let name = cat.keys[idx].name;
        cat.key_refs.push(name);
    }
    Some((start, u32_of(cat.key_refs.len())))
}

fn resource_type<'t>(cat: &mut Catalog, mut f: impl Iterator<Item = &'static str> + 't) -> bool {
    let (Some(name), Some(arns), Some(keys)) = (f.next(), f.next(), f.next()) else {
        return false;
    };
    let Some(svc) = cat.services.len().checked_sub(1) else {
        return false;
    };
    let Some(keys) = push_key_refs(cat, svc, keys) else {
        return false;
    };
    let a0 = u32_of(cat.arn_patterns.len());
    cat.arn_patterns
        .extend(arns.split(' ').filter(|s| !s.is_empty()));
    cat.resource_types.push(RtRec {
        service: u32_of(svc),
        name,
        arns: (a0, u32_of(cat.arn_patterns.len())),
        keys,
    });
    cat.services[svc].resource_types.1 = u32_of(cat.resource_types.len());
    true
}

fn action<'t>(cat: &mut Catalog, mut f: impl Iterator<Item = &'static str> + 't) -> bool {
    let (Some(name), Some(level), Some(rts), Some(keys)) = (f.next(), f.next(), f.next(), f.next())
    else {
        return false;
    };
    let Some(svc) = cat.services.len().checked_sub(1) else {
        return false;
    };
    let Some(access_level) = AccessLevel::from_code(level) else {
        return false;
    };
    if !name.is_ascii() {
        return false;
    }
    let (r0, r1) = cat.services[svc].resource_types;
    let rt_start = u32_of(cat.action_rts.len());
    for n in numbers(rts) {
        let Some((n, required)) = n else {
            return false;
        };
        let idx = r0 as usize + n;
        if idx >= r1 as usize {
            return false;
        }
        cat.action_rts.push(ActionResourceType {
            name: cat.resource_types[idx].name,
            required,
            index: u32_of(idx),
        });
    }
    let rts = (rt_start, u32_of(cat.action_rts.len()));
    let Some(keys) = push_key_refs(cat, svc, keys) else {
        return false;
    };
    let lower_off = u32_of(cat.lower.len());
    cat.lower
        .extend(name.chars().map(|c| c.to_ascii_lowercase()));
    cat.actions.push(ActionRec {
        service: u32_of(svc),
        name,
        lower_off,
        access_level,
        resource_types: rts,
        keys,
    });
    cat.services[svc].actions.1 = u32_of(cat.actions.len());
    true
}

/// Adds the global keys and builds the condition-key lookup: exact names by
/// lowercase, templates in a list. A global entry replaces service entries of
/// the same name; otherwise the service whose prefix the key carries wins, then
/// the first service that lists it.
fn index_keys(cat: &mut Catalog) {
    let mut exact: HashMap<String, u32> = HashMap::with_capacity(cat.keys.len() + 64);
    let mut templates: HashMap<String, u32> = HashMap::new();
    for (i, k) in cat.keys.iter().enumerate() {
        let lower = k.name.to_ascii_lowercase();
        let map = if glob::is_template(k.name) {
            &mut templates
        } else {
            &mut exact
        };
        let own = |idx: u32| {
            let rec = &cat.keys[idx as usize];
            let svc = rec.service.map(|s| cat.services[s as usize].prefix);
            svc.is_some_and(|p| {
                lower.len() > p.len() && lower.as_bytes()[p.len()] == b':' && lower.starts_with(p)
            })
        };
        match map.get(&lower) {
            Some(&prev) if own(prev) || !own(u32_of(i)) => {}
            _ => {
                map.insert(lower, u32_of(i));
            }
        }
    }
    for g in GLOBAL_KEYS {
        let (Some(key_type), alt) = (
            ConditionKeyType::parse(g.ty),
            g.alt.and_then(ConditionKeyType::parse),
        ) else {
            cat.malformed += 1;
            continue;
        };
        let idx = u32_of(cat.keys.len());
        cat.keys.push(KeyRec {
            name: g.name,
            key_type,
            alt_type: alt,
            service: None,
            global: true,
            doc_anchor: Some(g.anchor),
        });
        let lower = g.name.to_ascii_lowercase();
        if glob::is_template(g.name) {
            templates.insert(lower, idx);
        } else {
            exact.insert(lower, idx);
        }
    }
    let mut templates: Vec<(String, u32)> = templates.into_iter().collect();
    // deterministic order: globals first, then by name
    templates.sort_by(|a, b| {
        let ga = cat.keys[a.1 as usize].global;
        let gb = cat.keys[b.1 as usize].global;
        gb.cmp(&ga).then_with(|| a.0.cmp(&b.0))
    });
    cat.key_exact = exact;
    cat.key_templates = templates.into_iter().map(|(_, i)| i).collect();
}
