//! `landform schema` prints the committed JSON Schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;

#[test]
fn prints_the_committed_schema() {
    let out = Command::cargo_bin("landform")
        .unwrap()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/blueprint.schema.json"
    ))
    .unwrap();
    assert_eq!(out, committed);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["title"], "landform blueprint");
    assert!(v["properties"]["organizational_units"].is_object());
}
