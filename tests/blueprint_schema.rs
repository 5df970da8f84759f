//! `schema/blueprint.schema.json` is generated from the model; this test fails
//! when the committed file is out of date. Regenerate with
//! `LANDFORM_BLESS=1 cargo test --test blueprint_schema` and review the diff.

use std::path::Path;

#[test]
fn committed_schema_matches_the_model() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/blueprint.schema.json");
    let generated = landform::blueprint::schema::schema_text();
    if std::env::var_os("LANDFORM_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/blueprint.schema.json is out of date with the blueprint model; \
         regenerate it with `LANDFORM_BLESS=1 cargo test --test blueprint_schema` and review the diff"
    );
}

#[test]
fn the_schema_is_valid_json_schema_and_describes_every_property() {
    let schema = landform::blueprint::schema::schema();
    assert!(
        jsonschema::meta::is_valid(schema),
        "not a valid JSON Schema"
    );
    // every property of every definition carries a description (editors show them)
    let mut missing = Vec::new();
    let mut objects = vec![("root".to_string(), schema)];
    if let Some(defs) = schema.get("$defs").and_then(|d| d.as_object()) {
        objects.extend(defs.iter().map(|(k, v)| (k.clone(), v)));
    }
    for (name, obj) in objects {
        if obj.get("description").is_none() {
            missing.push(name.clone());
        }
        if let Some(props) = obj.get("properties").and_then(|p| p.as_object()) {
            for (prop, s) in props {
                if s.get("description").is_none() {
                    missing.push(format!("{name}.{prop}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "no description: {missing:?}");
}
