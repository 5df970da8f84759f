//! Catalogue micro-benchmark: how long parsing the embedded catalogue takes,
//! and how fast action patterns expand.
//!
//! Run with `cargo bench --bench catalog` (release profile, single thread).
//! Prints one line per measurement; there are no pass/fail thresholds here.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use landform::catalog::{self, catalog};

/// Runs `f` repeatedly for about `budget` and returns the mean time per call.
fn measure<T>(budget: Duration, mut f: impl FnMut() -> T) -> (Duration, u32) {
    // warm up
    black_box(f());
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget {
        black_box(f());
        n += 1;
    }
    (start.elapsed() / n.max(1), n)
}

fn main() {
    let first = Instant::now();
    let cat = catalog();
    let first = first.elapsed();
    println!(
        "catalog: {} services, {} actions (iam-data {})",
        cat.service_count(),
        cat.action_count(),
        cat.source().version
    );
    println!("first catalog() call (parse + index): {first:?}");

    let (load, n) = measure(Duration::from_secs(2), catalog::load_uncached);
    println!("load_uncached: {load:?} per load ({n} runs)");

    let patterns = [
        "s3:GetObject",
        "s3:Delete*",
        "s3:?etObject",
        "ec2:Describe*",
        "*:Get*",
        "iam:*Role*",
        "*",
    ];
    for p in patterns {
        let count = cat.expand(p).count();
        let (t, n) = measure(Duration::from_millis(500), || cat.expand(p).count());
        println!("expand {p:<14} -> {count:>6} actions: {t:?} per call ({n} runs)");
    }
    let (t, n) = measure(Duration::from_millis(500), || cat.action("s3:GetObject"));
    println!("action(\"s3:GetObject\"): {t:?} per call ({n} runs)");
    let (t, n) = measure(Duration::from_millis(500), || {
        cat.condition_key("aws:RequestTag/Project")
    });
    println!("condition_key(\"aws:RequestTag/Project\"): {t:?} per call ({n} runs)");
    let (t, n) = measure(Duration::from_millis(500), || {
        cat.suggest_action("s3:GetObjects")
    });
    println!("suggest_action(\"s3:GetObjects\"): {t:?} per call ({n} runs)");
}
