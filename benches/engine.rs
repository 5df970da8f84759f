//! Engine benchmark: `cargo bench --bench engine` (add `-- --quick` for a
//! short run). Prints requests per second for
//! 1. evaluation with pre-parsed policies: the conformance requests
//!    (`../shared/conformance/iam-simulate-core.jsonl`) repeated to 100,000
//!    evaluations, single thread;
//! 2. a synthetic set of larger policies (50 statements each, wildcards,
//!    conditions), single thread;
//! 3. `simulate --batch` end to end (JSON lines in, decisions out, policies
//!    read per line through the cache) on the conformance batch repeated to
//!    100,000 lines, with 1 and 2 threads.
//!
//! Each figure is the best of several runs, by wall clock and by CPU time
//! (the CPU figure is the honest one on a busy machine: for single-threaded
//! runs it is the thread's own run time; for the 2-thread batch it is the
//! process's total CPU time, so it shows the work, not the speed-up).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use landform::policy::eval::{PolicySet, Request, evaluate};
use landform::policy::simulate::{BatchFormat, Simulator, run_batch};

/// CPU time: with `thread_only`, of this thread (nanosecond precision, from
/// `/proc/thread-self/schedstat`); otherwise user + system time of the whole
/// process, all threads (10 ms ticks, from `/proc/self/stat`). Linux only;
/// `None` elsewhere.
fn cpu_time(thread_only: bool) -> Option<Duration> {
    if thread_only {
        let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
        return Some(Duration::from_nanos(ns));
    }
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

struct Measure {
    wall: Duration,
    cpu: Option<Duration>,
}

fn measure(runs: usize, thread_only: bool, mut f: impl FnMut()) -> Measure {
    let mut best_wall = Duration::MAX;
    let mut best_cpu: Option<Duration> = None;
    for _ in 0..runs {
        let c0 = cpu_time(thread_only);
        let t0 = Instant::now();
        f();
        let wall = t0.elapsed();
        let cpu = match (c0, cpu_time(thread_only)) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        };
        best_wall = best_wall.min(wall);
        if let Some(c) = cpu {
            best_cpu = Some(best_cpu.map_or(c, |b: Duration| b.min(c)));
        }
    }
    Measure {
        wall: best_wall,
        cpu: best_cpu,
    }
}

fn report(name: &str, n: usize, m: &Measure) {
    let per_s = |d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    let cpu = m
        .cpu
        .filter(|c| !c.is_zero())
        .map_or_else(|| "n/a".to_string(), |c| format!("{:>12.0}/s", per_s(c)));
    println!(
        "{name:<58} {n:>7} in {:>8.1} ms  wall {:>12.0}/s  cpu {cpu}",
        m.wall.as_secs_f64() * 1e3,
        per_s(m.wall)
    );
}

fn suite() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()?
        .join("shared/conformance/iam-simulate-core.jsonl");
    std::fs::read_to_string(path).ok()
}

fn eval_loop(cases: &[(Request, PolicySet)], total: usize) -> usize {
    let mut allowed = 0;
    for i in 0..total {
        let (req, set) = &cases[i % cases.len()];
        if evaluate(black_box(set), black_box(req)) == landform::policy::eval::Decision::Allow {
            allowed += 1;
        }
    }
    allowed
}

/// A deterministic pseudo-random sequence.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const SERVICES: [&str; 8] = [
    "s3", "ec2", "iam", "kms", "sqs", "dynamodb", "lambda", "logs",
];
const VERBS: [&str; 6] = ["Get", "Put", "List", "Delete", "Describe", "Create"];

fn synthetic_policy(rng: &mut Lcg, statements: usize, principal: bool) -> String {
    let mut st = Vec::new();
    for i in 0..statements {
        let svc = SERVICES[rng.next(8) as usize];
        let actions: Vec<String> = (0..1 + rng.next(4))
            .map(|_| {
                let verb = VERBS[rng.next(6) as usize];
                match rng.next(3) {
                    0 => format!("\"{svc}:{verb}*\""),
                    1 => format!("\"{svc}:{verb}Object\""),
                    _ => format!("\"{svc}:{verb}?tem*\""),
                }
            })
            .collect();
        let resources: Vec<String> = (0..1 + rng.next(3))
            .map(|_| match rng.next(4) {
                0 => format!("\"arn:aws:s3:::bucket-{}/*\"", rng.next(20)),
                1 => format!("\"arn:aws:{svc}:*:111111111111:*/team-{}/*\"", rng.next(5)),
                2 => "\"arn:aws:s3:::bucket-*/${aws:username}/*\"".to_string(),
                _ => format!("\"arn:aws:dynamodb:us-east-1:*:table/t{}*\"", rng.next(10)),
            })
            .collect();
        let cond = match rng.next(5) {
            0 => r#","Condition":{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]}}"#.to_string(),
            1 => r#","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}"#.to_string(),
            2 => r#","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"Bool":{"aws:SecureTransport":"true"}}"#.to_string(),
            3 => r#","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["proj*","cost*"]},"NumericLessThan":{"s3:max-keys":"100"}}"#.to_string(),
            _ => String::new(),
        };
        let effect = if rng.next(10) == 0 { "Deny" } else { "Allow" };
        let principal = if principal {
            r#","Principal":{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::222222222222:role/app"]}"#
        } else {
            ""
        };
        st.push(format!(
            r#"{{"Sid":"S{i}","Effect":"{effect}"{principal},"Action":[{}],"Resource":[{}]{cond}}}"#,
            actions.join(","),
            resources.join(",")
        ));
    }
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        st.join(",")
    )
}

fn synthetic_cases(n: usize) -> Vec<(Request, PolicySet)> {
    let mut rng = Lcg(42);
    let identity: Vec<String> = (0..3)
        .map(|_| synthetic_policy(&mut rng, 50, false))
        .collect();
    let boundary = synthetic_policy(&mut rng, 50, false);
    let scp = synthetic_policy(&mut rng, 50, false);
    let resource = synthetic_policy(&mut rng, 50, true);
    let mut sim = Simulator::new();
    let mut out = Vec::new();
    for _ in 0..n {
        let svc = SERVICES[rng.next(8) as usize];
        let verb = VERBS[rng.next(6) as usize];
        let line = format!(
            r#"{{"request":{{"principal":"arn:aws:iam::111111111111:user/u{}","action":"{svc}:{verb}Object","resource":"arn:aws:s3:::bucket-{}/u{}/k","resource_account":"111111111111","context":{{"aws:PrincipalTag/team":"red","aws:SourceIp":"10.1.2.3","aws:CurrentTime":"2026-01-01T00:00:00Z","aws:SecureTransport":"true","aws:TagKeys":["project","owner"]}}}},"identity_policies":[{},{},{}],"permission_boundaries":[{}],"scp_levels":[[{}]],"resource_policy":{}}}"#,
            rng.next(10),
            rng.next(20),
            rng.next(10),
            identity[0],
            identity[1],
            identity[2],
            boundary,
            scp,
            resource
        );
        let l = sim.load(&line).unwrap();
        out.push((l.request, l.policies));
    }
    out
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 2 } else { 5 };
    const TOTAL: usize = 100_000;
    println!("landform engine benchmark ({runs} runs each, best shown)");

    match suite() {
        Some(text) => {
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            let mut sim = Simulator::new();
            let cases: Vec<(Request, PolicySet)> = lines
                .iter()
                .map(|l| {
                    let x = sim.load(l).unwrap();
                    (x.request, x.policies)
                })
                .collect();
            let m = measure(runs, true, || {
                black_box(eval_loop(&cases, TOTAL));
            });
            report(
                &format!(
                    "1. evaluate, pre-parsed ({} conformance requests)",
                    cases.len()
                ),
                TOTAL,
                &m,
            );
            let synth = synthetic_cases(1000);
            let m = measure(runs, true, || {
                black_box(eval_loop(&synth, TOTAL));
            });
            report(
                "2. evaluate, synthetic 50-statement policies (7 policies)",
                TOTAL,
                &m,
            );

            let mut batch = String::with_capacity(
                lines.iter().map(|l| l.len() + 1).sum::<usize>() * (TOTAL / lines.len() + 1),
            );
            for i in 0..TOTAL {
                batch.push_str(lines[i % lines.len()]);
                batch.push('\n');
            }
            for threads in [1, 2] {
                let m = measure(runs, threads == 1, || {
                    let mut sink = std::io::sink();
                    run_batch(
                        black_box(batch.as_bytes()),
                        BatchFormat::Json,
                        threads,
                        &mut sink,
                    )
                    .unwrap();
                });
                report(
                    &format!("3. simulate --batch end to end, {threads} thread(s)"),
                    TOTAL,
                    &m,
                );
            }
        }
        None => {
            println!(
                "conformance suite not found (../shared/conformance): running the synthetic benchmark only"
            );
            let synth = synthetic_cases(1000);
            let m = measure(runs, true, || {
                black_box(eval_loop(&synth, TOTAL));
            });
            report(
                "2. evaluate, synthetic 50-statement policies (7 policies)",
                TOTAL,
                &m,
            );
        }
    }
}
