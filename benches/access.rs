//! Times the effective-access matrix (`landform::access::compute`).
//!
//! Run: `cargo bench --bench access` (the examples), or with blueprint paths
//! after `--`: `cargo bench --bench access -- /tmp/scale/scale-5000.yaml`.
//! For each blueprint: the time to load, validate and compile it (not part
//! of the matrix), then the matrix with 1 and 2 threads (best of 3), the
//! number of (principal, account) entries and of equivalence classes, and the
//! process's peak resident memory so far.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::path::Path;
use std::time::Instant;

use landform::access::{self, Options};
use landform::blueprint::{load, resolve::resolve, validate};

fn peak_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(|| "n/a".to_string(), |kb| format!("{:.0} MiB", kb / 1024.0))
}

fn main() {
    let mut paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if paths.is_empty() {
        paths = vec![
            "examples/paywave.yaml".to_string(),
            "examples/northwind.yaml".to_string(),
        ];
    }
    println!(
        "| blueprint | accounts | compile | entries | classes | matrix 1 thread | matrix 2 threads | peak RSS |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for path in paths {
        let t = Instant::now();
        let loaded = match load(Path::new(&path)) {
            Ok(l) => l,
            Err(_) => {
                println!("| {path} | cannot load |");
                continue;
            }
        };
        let diags = validate(&loaded);
        assert!(!diags.has_errors(), "{path} does not validate");
        let (org, _) = resolve(&loaded.blueprint, &path);
        let org = org.expect("compiles");
        let compile = t.elapsed().as_secs_f64();
        let mut best = [f64::MAX; 2];
        let mut sizes = (0, 0);
        for _ in 0..3 {
            for (i, threads) in [1, 2].into_iter().enumerate() {
                let t = Instant::now();
                let m = access::compute_with(&org, Options { threads });
                best[i] = best[i].min(t.elapsed().as_secs_f64());
                sizes = (m.len(), m.class_count());
            }
        }
        println!(
            "| {path} | {} | {:.2} s | {} | {} | {:.3} s | {:.3} s | {} |",
            org.accounts.len(),
            compile,
            sizes.0,
            sizes.1,
            best[0],
            best[1],
            peak_mib()
        );
    }
}
