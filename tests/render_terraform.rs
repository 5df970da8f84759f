//! The Terraform renderer, checked with real Terraform: golden files,
//! determinism, `terraform fmt -check`, `terraform validate`, every argument
//! against the provider schema, and string escaping round-tripped through
//! Terraform itself.
//!
//! Golden files live in `tests/golden/terraform/<case>/`; regenerate them with
//! `LANDFORM_BLESS=1 cargo test --test render_terraform` and review the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::json;

use common::terraform::{Terraform, check_schema, root_dirs, scan, write_files};
use common::tools::repo_root;
use landform::org::builder::{OrgBuilder, PermissionSetSpec, RoleSpec};
use landform::org::sample::kitchen_sink;
use landform::org::{
    AssignmentPrincipal, BreakGlassUser, CustomerManagedRef, IdentityCenterUser, ManagedRef, Org,
    OrgPolicyType, Origin, Placeholder, PolicyKind, RoleKind, Target,
};
use landform::render::OutputFile;
use landform::render::terraform::hcl::{self, Block, Body, Expr, ObjectKey, Template};
use landform::render::terraform::render;

fn o(s: &str) -> Origin {
    Origin::new(s, None)
}

/// An organization that reaches the renderer's other branches: an existing
/// account adopted by id, a known management account id, a group inline
/// policy, an AWS-managed permission-set boundary, principals that exist
/// outside the blueprint, a customer-managed policy referenced but not
/// defined, names that sanitize to the same address.
fn branches_org() -> Org {
    let mut b = OrgBuilder::new("branches", "branches.yaml", "us-east-1");
    b.policy_types(vec![OrgPolicyType::ServiceControlPolicy]);
    let root = b.root();
    let mgmt = b.account(
        "management",
        "root@b.example",
        root,
        true,
        o("organization"),
    );
    b.org_mut().accounts[mgmt.index()].aws_account_id = Some("111111111111".into());
    let a = b.ou(root, "Team-A", o("ous.Team-A"));
    let a2 = b.ou(root, "Team A", o("ous.Team A"));
    let old = b.account("legacy", "Legacy@B.example", a, false, o("accounts.legacy"));
    b.org_mut().accounts[old.index()].aws_account_id = Some("222222222222".into());
    let new = b.account("new", "New@B.example", a2, false, o("accounts.new"));
    let scp = b.policy(
        PolicyKind::Scp,
        "deny-all",
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}),
        o("policies.scp.deny-all"),
    );
    b.attach(scp, Target::Account(mgmt), o("x"));
    b.attach(scp, Target::Ou(a2), o("x"));
    // FullAWSAccess off where an SCP replaces it; not where none would be left
    b.org_mut().full_aws_access_detached = vec![Target::Ou(a2), Target::Ou(a)];
    b.policy_mut(scp).parts = vec![
        o("guardrails.one"),
        o("guardrails.two"),
        o("guardrails.one"),
    ];
    let deny = b.policy(
        PolicyKind::RoleInline,
        "deny-without-mfa",
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}),
        o("break_glass.inline"),
    );
    b.break_glass(BreakGlassUser {
        name: "bg".into(),
        account: new,
        group: "BreakGlass".into(),
        managed: vec![ManagedRef::Aws {
            arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        }],
        group_inline: vec![deny],
        key: "bg".into(),
        origin: o("break_glass.bg"),
    });
    let external = ManagedRef::Customer(CustomerManagedRef {
        name: "made-elsewhere".into(),
        path: "/ext/".into(),
        policy: None,
    });
    b.role(
        RoleSpec {
            name: "reader".into(),
            path: "/".into(),
            account: new,
            kind: RoleKind::Workload,
            description: String::new(),
            managed: vec![external.clone()],
            inline: vec![],
            boundary: Some(external),
            max_session_seconds: 3600,
            tags: BTreeMap::new(),
            origin: o("roles.reader"),
        },
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": [
                format!("arn:aws:iam::{}:root", Placeholder::AccountId("legacy".into())),
                format!("arn:aws:iam::{}:root", Placeholder::AccountId("management".into())),
            ]}}]}),
    );
    b.user(IdentityCenterUser {
        user_name: "bob".into(),
        display_name: "Bob".into(),
        email: "bob@b.example".into(),
        groups: vec!["from-idp".into()],
        origin: o("identity_center.users.bob"),
    });
    let ps = b.permission_set(PermissionSetSpec {
        name: "Admin".into(),
        description: String::new(),
        session_duration: "PT1H".into(),
        relay_state: None,
        managed: vec![],
        inline: None,
        boundary: Some(ManagedRef::Aws {
            arn: "arn:aws:iam::aws:policy/PowerUserAccess".into(),
        }),
        tags: BTreeMap::new(),
        origin: o("identity_center.permission_sets.Admin"),
    });
    b.org_mut().permission_sets[ps.index()].session_tags =
        BTreeMap::from([("Project".to_string(), "ledger".to_string())]);
    for account in [old, new] {
        b.assign(
            AssignmentPrincipal::Group("from-idp".into()),
            ps,
            account,
            Target::Root,
            o("identity_center.assignments[0]"),
        );
    }
    b.assign(
        AssignmentPrincipal::User("carol".into()),
        ps,
        new,
        Target::Account(new),
        o("identity_center.assignments[1]"),
    );
    // the same triple twice: rendered once
    b.assign(
        AssignmentPrincipal::User("carol".into()),
        ps,
        new,
        Target::Root,
        o("identity_center.assignments[2]"),
    );
    b.finish()
}

/// The cases every test runs on: name → organization.
fn cases() -> Vec<(&'static str, Org)> {
    vec![
        ("kitchen_sink", kitchen_sink()),
        ("branches", branches_org()),
    ]
}

// ---------------------------------------------------------------- golden files

fn golden_dir(case: &str) -> PathBuf {
    repo_root().join("tests/golden/terraform").join(case)
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

fn check_golden(case: &str, files: &[OutputFile]) {
    let dir = golden_dir(case);
    let rendered: BTreeMap<String, String> = files
        .iter()
        .map(|f| {
            (
                f.path.trim_start_matches("terraform/").to_string(),
                f.contents.clone(),
            )
        })
        .collect();
    if std::env::var_os("LANDFORM_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (path, contents) in &rendered {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, contents).unwrap();
        }
        return;
    }
    let golden = read_tree(&dir);
    let mut report = String::new();
    for path in golden
        .keys()
        .chain(rendered.keys())
        .collect::<BTreeSet<_>>()
    {
        let old = golden.get(path).map_or("", String::as_str);
        let new = rendered.get(path).map_or("", String::as_str);
        if old != new {
            let diff = similar::TextDiff::from_lines(old, new);
            report.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("golden/{path}"), &format!("rendered/{path}"))
                    .to_string(),
            );
        }
    }
    assert!(
        report.is_empty(),
        "rendered Terraform for `{case}` differs from tests/golden/terraform/{case} \
         (if the change is intended: LANDFORM_BLESS=1 cargo test --test render_terraform):\n{report}"
    );
}

#[test]
fn golden_files() {
    for (case, org) in cases() {
        check_golden(case, &render(&org));
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for (case, org) in cases() {
        assert_eq!(render(&org), render(&org), "{case}");
        assert_eq!(render(&org), render(&org.clone()), "{case}");
    }
}

#[test]
fn every_file_starts_with_the_generated_by_header() {
    for (case, org) in cases() {
        let header = landform::render::header_text(&org.blueprint);
        for f in render(&org) {
            let first = f.contents.lines().next().unwrap_or_default();
            let ok = if f.path.ends_with(".md") {
                first.contains(&header)
            } else {
                first == format!("# {header}")
            };
            assert!(ok, "{case}: {} starts with {first:?}", f.path);
        }
    }
}

// ---------------------------------------------------------------- real terraform

/// Renders `org` into a fresh temporary directory (the `terraform/` part).
fn rendered_tree(org: &Org) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    write_files(&render(org), "terraform/", dir.path());
    let roots = root_dirs(dir.path());
    (dir, roots)
}

#[test]
fn terraform_fmt_leaves_every_file_unchanged_and_every_root_validates() {
    let Some(tf) = Terraform::find("terraform fmt/validate") else {
        return;
    };
    for (case, org) in cases() {
        let (dir, roots) = rendered_tree(&org);
        tf.ok(
            dir.path(),
            &["fmt", "-check", "-recursive", "-diff", "-no-color"],
        );
        // init one after the other (the shared plugin cache is not safe for
        // concurrent installs), validate two at a time (two cores; each
        // validate loads the provider)
        for root in &roots {
            tf.init(root);
        }
        for pair in roots.chunks(2) {
            std::thread::scope(|s| {
                for root in pair {
                    let tf = tf.clone();
                    s.spawn(move || {
                        let out = tf.run(root, &["validate", "-no-color"]);
                        assert!(
                            out.status.success(),
                            "{case}: terraform validate failed in {}:\n{}{}",
                            root.display(),
                            String::from_utf8_lossy(&out.stdout),
                            String::from_utf8_lossy(&out.stderr)
                        );
                    });
                }
            });
        }
    }
}

/// The resource types the renderer is expected to emit for these cases.
const EXPECTED_TYPES: &[&str] = &[
    "aws_organizations_organization",
    "aws_organizations_organizational_unit",
    "aws_organizations_account",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_group",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
    "aws_iam_user",
    "aws_iam_user_group_membership",
    "aws_ssoadmin_permission_set",
    "aws_ssoadmin_managed_policy_attachment",
    "aws_ssoadmin_customer_managed_policy_attachment",
    "aws_ssoadmin_permission_set_inline_policy",
    "aws_ssoadmin_permissions_boundary_attachment",
    "aws_ssoadmin_account_assignment",
    "aws_identitystore_group",
    "aws_identitystore_user",
    "aws_identitystore_group_membership",
];

#[test]
fn every_emitted_argument_exists_in_the_provider_schema() {
    let Some(tf) = Terraform::find("provider schema check") else {
        return;
    };
    let schema = tf.provider_schema();
    let mut used = BTreeSet::new();
    let mut types = BTreeSet::new();
    let mut problems = Vec::new();
    for (case, org) in cases() {
        for f in render(&org) {
            if !f.path.ends_with(".tf") {
                continue;
            }
            let blocks = scan(&f.contents);
            for b in &blocks {
                if b.kind == "resource" {
                    types.insert(b.labels[0].clone());
                }
            }
            problems.extend(check_schema(
                &format!("{case}/{}", f.path),
                &blocks,
                schema,
                &mut used,
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let missing: Vec<_> = EXPECTED_TYPES
        .iter()
        .filter(|t| !types.contains(**t))
        .collect();
    assert!(missing.is_empty(), "never emitted: {missing:?}");
    // the scan really saw the arguments (not a vacuous pass)
    for arg in [
        "aws_iam_role.permissions_boundary",
        "aws_iam_role.assume_role_policy",
        "aws_organizations_policy.content",
        "aws_ssoadmin_permissions_boundary_attachment.permissions_boundary.customer_managed_policy_reference.name",
        "provider.assume_role.role_arn",
        "data.aws_identitystore_group.alternate_identifier.unique_attribute.attribute_path",
    ] {
        assert!(used.contains(arg), "{arg} not seen; saw {used:?}");
    }
}

#[test]
fn the_schema_check_catches_wrong_names() {
    let Some(tf) = Terraform::find("provider schema check") else {
        return;
    };
    let bad = "resource \"aws_iam_role\" \"x\" {\n  name   = \"x\"\n  policy = \"{}\"\n}\n\nresource \"aws_nope\" \"y\" {}\n";
    let problems = check_schema(
        "bad.tf",
        &scan(bad),
        tf.provider_schema(),
        &mut BTreeSet::new(),
    );
    assert_eq!(
        problems,
        vec![
            "bad.tf: `aws_iam_role` has no argument `policy`".to_string(),
            "bad.tf: `aws_iam_role` lacks required argument `assume_role_policy`".to_string(),
            "bad.tf: unknown type `aws_nope`".to_string(),
        ]
    );
}

// ---------------------------------------------------------------- escaping

/// Strings that break naive escaping: template markers next to each other and
/// to backslashes and quotes, dollars before interpolations, controls, non-ASCII.
fn nasty_strings() -> Vec<String> {
    let mut out: Vec<String> = [
        landform::org::sample::HOSTILE,
        "${aws:username}",
        "$${x}",
        "${$${x}",
        "$$${x}",
        "%{if true}x%{endif}",
        "%%{x}",
        "\\${x}",
        "\\\"${",
        "$",
        "%",
        "{",
        "ends with $",
        "tab\there\nnewline\r\ncrlf \u{7} bell \u{1b} esc \u{7f} del",
        "ünïcödé 日本語 🚀 \u{200b} zero-width \u{2028} line-separator",
        "EOT",
        "  leading and trailing  ",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // every string of up to three characters over the special alphabet
    let alphabet = ['$', '%', '{', '}', '\\', '"', 'x'];
    let mut level: Vec<String> = vec![String::new()];
    for _ in 0..3 {
        level = level
            .iter()
            .flat_map(|s| {
                alphabet.iter().map(move |c| {
                    let mut s = s.clone();
                    s.push(*c);
                    s
                })
            })
            .collect();
        out.extend(level.iter().cloned());
    }
    out
}

#[test]
fn strings_and_templates_survive_terraform_byte_for_byte() {
    let Some(tf) = Terraform::find("escaping round trip") else {
        return;
    };
    let strings = nasty_strings();
    // quoted strings, and templates that interpolate local.x ("X") between them
    let mut quoted = Vec::new();
    let mut templated = Vec::new();
    let mut heredoc = Vec::new();
    let mut expected_templated = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        quoted.push(Expr::str(s));
        let next = &strings[(i + 1) % strings.len()];
        let t = Template::new().lit(s).interp("local.x").lit(next);
        templated.push(Expr::template(t.clone()));
        expected_templated.push(format!("{s}X{next}"));
        if !s.contains(['\n', '\r']) && !next.contains(['\n', '\r']) {
            heredoc.push((
                Expr::Heredoc {
                    template: Template::new()
                        .lit("{\n  ")
                        .lit(s)
                        .interp("local.x")
                        .lit(next)
                        .lit("\n}"),
                    chomp: true,
                },
                format!("{{\n  {s}X{next}\n}}"),
            ));
        }
    }
    heredoc.push((
        Expr::Heredoc {
            template: Template::new().lit("EOT\n").interp("local.x").lit("\nEOT1"),
            chomp: true,
        },
        "EOT\nX\nEOT1".to_string(),
    ));
    let mut locals = Body::new();
    locals.str_attr("x", "X");
    locals.attr("quoted", Expr::ListLines(quoted));
    locals.attr("templated", Expr::ListLines(templated));
    let (heredocs, expected_heredocs): (Vec<_>, Vec<_>) = heredoc.into_iter().unzip();
    locals.attr("heredocs", Expr::ListLines(heredocs));
    let mut items = vec![hcl::Item::Block(Block::with_body("locals", &[], locals))];
    for name in ["quoted", "templated", "heredocs"] {
        let mut out = Body::new();
        out.raw_attr("value", format!("local.{name}"));
        items.push(hcl::Item::Block(Block::with_body("output", &[name], out)));
    }
    let text = hcl::file("escaping test", &items);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    if let Ok(keep) = std::env::var("LANDFORM_KEEP") {
        std::fs::write(keep, &text).unwrap();
    }
    tf.ok(dir.path(), &["fmt", "-check", "-diff", "-no-color"]);
    tf.ok(dir.path(), &["init", "-input=false", "-no-color"]);
    tf.ok(
        dir.path(),
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let out: serde_json::Value =
        serde_json::from_str(&tf.ok(dir.path(), &["output", "-json"])).unwrap();
    let got = |name: &str| -> Vec<String> {
        out[name]["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    for (got, want, what) in [
        (got("quoted"), strings.clone(), "quoted"),
        (got("templated"), expected_templated, "templated"),
        (got("heredocs"), expected_heredocs, "heredoc"),
    ] {
        assert_eq!(got.len(), want.len(), "{what}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{what} string changed on its way through terraform");
        }
    }
}

// ---------------------------------------------------------------- the formatter

/// Documents that exercise the formatter's alignment rules; each must be
/// exactly what `terraform fmt` makes of it.
fn formatter_cases() -> Vec<(&'static str, String)> {
    let heredoc = |chomp| Expr::Heredoc {
        template: Template::new().lit("{\n  \"a\": [\n    1\n  ]\n}"),
        chomp,
    };
    let object = |pairs: &[(&str, &str)]| {
        Expr::Object(
            pairs
                .iter()
                .map(|(k, v)| (ObjectKey::Quoted(k.to_string()), Expr::str(v)))
                .collect(),
        )
    };
    let mut cases = Vec::new();

    // chains broken by blank lines, comments, blocks, multi-line values
    let mut b = Body::new();
    b.str_attr("a", "1").str_attr("long_name", "2");
    b.blank();
    b.str_attr("bb", "3").raw_attr("c", "true");
    b.comment("a comment breaks the chain");
    b.raw_attr("dddd", "4").raw_attr("e", "[1, 2]");
    b.attr(
        "multi",
        Expr::ListLines(vec![Expr::str("x"), Expr::raw("y.z")]),
    );
    b.raw_attr("f", "5").raw_attr("ggggggg", "6");
    b.attr("policy", heredoc(false));
    b.raw_attr("after_heredoc", "7");
    b.attr("content", heredoc(true));
    b.raw_attr("h", "8");
    let mut nested = Body::new();
    nested.raw_attr("x", "1").raw_attr("yyy", "2");
    let mut deeper = Body::new();
    deeper.str_attr("k", "v");
    nested.block(Block::with_body("deeper", &[], deeper));
    nested.raw_attr("zz", "3");
    b.block(Block::with_body("nested", &[], nested));
    b.raw_attr("i", "9");
    b.block(Block::new("empty", &[]));
    cases.push(("chains", Block::with_body("resource", &["t", "n"], b)));

    // object keys: quoted, non-ASCII, wide characters, escapes; nested objects
    let mut b = Body::new();
    b.attr(
        "tags",
        object(&[
            ("a", "1"),
            ("Ünïcödé", "2"),
            ("日本語", "3"),
            ("🚀", "4"),
            ("quote\"in", "5"),
            ("${x}", "6"),
        ]),
    );
    b.attr(
        "nested",
        Expr::Object(vec![
            (ObjectKey::Ident("short".into()), Expr::raw("1")),
            (
                ObjectKey::Ident("inner".into()),
                object(&[("k", "v"), ("kk", "w")]),
            ),
            (ObjectKey::Ident("longer_key".into()), Expr::raw("2")),
            (ObjectKey::Ident("x".into()), Expr::raw("3")),
        ]),
    );
    b.attr("empty", Expr::Object(vec![]));
    b.raw_attr("after", "1");
    cases.push(("objects", Block::with_body("locals", &[], b)));

    // labels with escapes, comments with blank lines, interpolations in strings
    let mut b = Body::new();
    b.comment("line one\n\nline three with trailing space   ");
    b.attr(
        "arn",
        Expr::template(
            Template::new()
                .lit("arn:")
                .interp("local.p")
                .lit(":iam::$")
                .interp("local.a")
                .lit(":role/${x}"),
        ),
    );
    b.attr(
        "list",
        Expr::List(vec![Expr::str("a\"b"), Expr::raw("local.c")]),
    );
    cases.push(("labels", Block::with_body("resource", &["t", "labels"], b)));

    cases
        .into_iter()
        .map(|(name, block)| {
            let mut text = String::new();
            block.write(&mut text, 0);
            (name, text)
        })
        .collect()
}

#[test]
fn the_formatter_writes_what_terraform_fmt_writes() {
    let Some(tf) = Terraform::find("formatter vs terraform fmt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in formatter_cases() {
        std::fs::write(dir.path().join(format!("{name}.tf")), text).unwrap();
    }
    let out = tf.run(dir.path(), &["fmt", "-check", "-diff", "-no-color", "."]);
    assert!(
        out.status.success(),
        "terraform fmt would change the formatter's output:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // and the check can fail: a misaligned file is reported
    std::fs::write(
        dir.path().join("bad.tf"),
        "locals {\n  a = 1\n  bbb = 2\n}\n",
    )
    .unwrap();
    let out = tf.run(dir.path(), &["fmt", "-check", "-no-color", "."]);
    assert!(!out.status.success());
}
