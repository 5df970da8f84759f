//! The scale benchmark: wall time and peak memory of the release `landform`
//! binary on synthetic organizations of N accounts (issue 7).
//!
//! ```text
//! cargo bench --bench scale                       # N = 500, 5000, 20000
//! cargo bench --bench scale -- 5000 --runs 3      # one size, best of 3
//! cargo bench --bench scale -- --commands render,check --threads 1
//! cargo bench --bench scale -- --generate DIR 5000   # only write the blueprints
//! ```
//!
//! For each N it writes `scale-N.yaml` and `scale-N-head.yaml` (the same
//! blueprint with one word changed in one SCP, see `generate.rs`) to a
//! working directory (`--keep DIR`, default a directory under the system
//! temporary directory), then runs `validate`, `check`, `render --target
//! all`, `render --target terraform` (`render-terraform`), `access` and
//! `diff` with `LANDFORM_THREADS` (and `RAYON_NUM_THREADS`)
//! set to each thread count, under `/usr/bin/time` for the peak resident set
//! (falling back to polling `/proc/PID/status`), and prints a markdown table.
//! A command the binary does not have yet is reported as `n/a`; one that
//! runs longer than `--timeout` seconds (default 600) is killed and reported
//! as `timed out`. Output goes to /dev/null; render writes its tree to
//! `/dev/shm` when there is one (else the working directory) and the tree is
//! removed after each run. Wall time is measured here; CPU time (user +
//! system) and peak memory come from `/usr/bin/time` — CPU time is the
//! steadier figure on a shared machine. cargo builds the binary with the
//! bench profile, which is the release profile.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod generate;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use generate::{Variant, blueprint};

const SEED: u64 = 7;
const COMMANDS: [&str; 6] = [
    "validate",
    "check",
    "render",
    "render-terraform",
    "access",
    "diff",
];

struct Options {
    sizes: Vec<usize>,
    threads: Vec<usize>,
    commands: Vec<String>,
    runs: usize,
    timeout: u64,
    dir: PathBuf,
    generate_only: bool,
}

fn options() -> Options {
    let mut o = Options {
        sizes: Vec::new(),
        threads: vec![1, 2],
        commands: COMMANDS.iter().map(|s| s.to_string()).collect(),
        runs: 1,
        timeout: 600,
        dir: std::env::temp_dir().join("landform-scale-bench"),
        generate_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let list = |v: Option<String>| -> Vec<String> {
            v.unwrap_or_default()
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().to_string())
                .collect()
        };
        match a.as_str() {
            "--threads" => {
                o.threads = list(args.next())
                    .iter()
                    .filter_map(|s| s.parse().ok())
                    .collect()
            }
            "--commands" => o.commands = list(args.next()),
            "--runs" => o.runs = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1),
            "--timeout" => o.timeout = args.next().and_then(|s| s.parse().ok()).unwrap_or(600),
            "--keep" => o.dir = PathBuf::from(args.next().unwrap_or_default()),
            "--generate" => {
                o.dir = PathBuf::from(args.next().unwrap_or_default());
                o.generate_only = true;
            }
            // cargo bench passes --bench to harness=false benches
            "--bench" => {}
            s => match s.parse() {
                Ok(n) => o.sizes.push(n),
                Err(_) => eprintln!("ignoring argument `{s}`"),
            },
        }
    }
    if o.sizes.is_empty() {
        o.sizes = vec![500, 5_000, 20_000];
    }
    o
}

/// One measured run.
#[derive(Clone)]
enum Outcome {
    Ran {
        wall: f64,
        /// User + system CPU seconds (when /usr/bin/time is there).
        cpu: Option<f64>,
        peak_kib: u64,
        exit: i32,
    },
    NotAvailable,
    TimedOut,
    Failed(String),
}

fn main() {
    let o = options();
    std::fs::create_dir_all(&o.dir).expect("working directory");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_landform"));
    let have_time = Path::new("/usr/bin/time").exists();

    let mut sizes_table = String::from(
        "| N | YAML MiB | OUs (depth) | SCPs | permission sets | assignments | account assignments | delegated teams |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut results: Vec<(String, usize, Vec<Outcome>)> = Vec::new();
    for &n in &o.sizes {
        let base = blueprint(n, SEED, Variant::Base);
        let head = blueprint(n, SEED, Variant::Head);
        let base_path = o.dir.join(format!("scale-{n}.yaml"));
        let head_path = o.dir.join(format!("scale-{n}-head.yaml"));
        std::fs::write(&base_path, &base.yaml).expect("write blueprint");
        std::fs::write(&head_path, &head.yaml).expect("write blueprint");
        let s = &base.stats;
        let _ = writeln!(
            sizes_table,
            "| {} | {:.1} | {} ({}) | {} | {} | {} | {} | {} |",
            s.accounts,
            base.yaml.len() as f64 / 1_048_576.0,
            s.ous,
            s.max_depth,
            s.scps,
            s.permission_sets,
            s.assignments,
            s.account_assignments,
            s.delegated_teams
        );
        if o.generate_only {
            println!("wrote {} and {}", base_path.display(), head_path.display());
            continue;
        }
        for c in &o.commands {
            let out_dir = render_dir(&o.dir).join(format!("render-{n}"));
            let args: Vec<String> = match c.as_str() {
                "validate" | "check" | "access" => {
                    vec![c.clone(), base_path.display().to_string()]
                }
                "render" | "render-terraform" => vec![
                    "render".into(),
                    base_path.display().to_string(),
                    "--target".into(),
                    if c == "render" { "all" } else { "terraform" }.into(),
                    "--out".into(),
                    out_dir.display().to_string(),
                    "--force".into(),
                ],
                "diff" => vec![
                    "diff".into(),
                    base_path.display().to_string(),
                    head_path.display().to_string(),
                ],
                other => {
                    eprintln!("unknown command `{other}`");
                    continue;
                }
            };
            let mut per_thread = Vec::new();
            for &t in &o.threads {
                let mut best: Option<Outcome> = None;
                for _ in 0..o.runs {
                    let r = run(&bin, &args, t, &o, have_time);
                    // the rendered tree is large (hundreds of MiB at N = 20,000)
                    let _ = std::fs::remove_dir_all(&out_dir);
                    eprintln!("N={n} {c} threads={t}: {}", cell(&r));
                    best = Some(match (best, r) {
                        (
                            Some(Outcome::Ran {
                                wall: w0,
                                cpu: c0,
                                peak_kib: p0,
                                exit,
                            }),
                            Outcome::Ran {
                                wall: w1,
                                cpu: c1,
                                peak_kib: p1,
                                ..
                            },
                        ) => Outcome::Ran {
                            wall: w0.min(w1),
                            cpu: match (c0, c1) {
                                (Some(a), Some(b)) => Some(a.min(b)),
                                (a, b) => a.or(b),
                            },
                            peak_kib: p0.max(p1),
                            exit,
                        },
                        (_, r) => r,
                    });
                    if !matches!(best, Some(Outcome::Ran { .. })) {
                        break;
                    }
                }
                per_thread.push(best.unwrap_or(Outcome::NotAvailable));
            }
            results.push((c.clone(), n, per_thread));
        }
    }
    if o.generate_only {
        println!("\n{sizes_table}");
        return;
    }

    let mut table = String::from("| command | N |");
    for t in &o.threads {
        let _ = write!(
            table,
            " {t} thread{}: wall (CPU), peak memory |",
            plural(*t)
        );
    }
    table.push_str("\n|---|---:|");
    for _ in &o.threads {
        table.push_str("---:|");
    }
    table.push('\n');
    let mut rows = results.clone();
    rows.sort_by_key(|(c, n, _)| {
        (
            COMMANDS.iter().position(|x| x == c).unwrap_or(usize::MAX),
            *n,
        )
    });
    for (c, n, cells) in &rows {
        let _ = write!(table, "| {c} | {n} |");
        for r in cells {
            let _ = write!(table, " {} |", cell(r));
        }
        table.push('\n');
    }
    println!(
        "\n## landform scale benchmark, {} ({} CPUs: {}; landform {})\n\n{sizes_table}\n{table}",
        today(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        git_rev()
    );
    println!(
        "Exit codes other than 0 are marked: check exits 1 when it has findings. Blueprints in {}.",
        o.dir.display()
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn cell(r: &Outcome) -> String {
    match r {
        Outcome::Ran {
            wall,
            cpu,
            peak_kib,
            exit,
        } => {
            let mark = if *exit == 0 {
                String::new()
            } else {
                format!(" (exit {exit})")
            };
            let cpu = cpu.map_or(String::new(), |c| format!(" ({c:.2} s CPU)"));
            format!(
                "{wall:.2} s{cpu}, {:.0} MiB{mark}",
                *peak_kib as f64 / 1024.0
            )
        }
        Outcome::NotAvailable => "n/a".into(),
        Outcome::TimedOut => "timed out".into(),
        Outcome::Failed(why) => format!("failed: {why}"),
    }
}

fn run(bin: &Path, args: &[String], threads: usize, o: &Options, have_time: bool) -> Outcome {
    let stderr_path = o.dir.join("stderr.txt");
    let time_path = o.dir.join("time.txt");
    let stderr = std::fs::File::create(&stderr_path).expect("stderr file");
    let mut cmd = if have_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f")
            .arg("%e %M %U %S")
            .arg("-o")
            .arg(&time_path)
            .arg("timeout")
            .arg("-s")
            .arg("KILL")
            .arg(o.timeout.to_string())
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .env("LANDFORM_THREADS", threads.to_string())
        .env("RAYON_NUM_THREADS", threads.to_string())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let mut polled_kib = 0u64;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if !have_time {
            polled_kib = polled_kib.max(vm_hwm(child.id()).unwrap_or(0));
            if start.elapsed() > Duration::from_secs(o.timeout) {
                let _ = child.kill();
                let _ = child.wait();
                return Outcome::TimedOut;
            }
            std::thread::sleep(Duration::from_millis(2));
        } else {
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    let wall = start.elapsed().as_secs_f64();
    let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    if err.contains("not available in this build yet") || err.contains("unrecognized subcommand") {
        return Outcome::NotAvailable;
    }
    let code = status.code().unwrap_or(-1);
    // timeout(1) exits 137 when it had to kill
    if code == 137 || code == 124 {
        return Outcome::TimedOut;
    }
    if code >= 2 {
        let first = err
            .lines()
            .find(|l| !l.trim().is_empty() && !l.starts_with("Command exited"))
            .unwrap_or("")
            .to_string();
        return Outcome::Failed(format!("exit {code}: {first}"));
    }
    // `%e %M %U %S`: wall, peak KiB, user and system seconds
    let fields: Vec<f64> = std::fs::read_to_string(&time_path)
        .ok()
        .and_then(|t| t.lines().last().map(str::to_string))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let (peak_kib, cpu) = if have_time && fields.len() == 4 {
        (fields[1] as u64, Some(fields[2] + fields[3]))
    } else {
        (polled_kib, None)
    };
    Outcome::Ran {
        wall,
        cpu,
        peak_kib,
        exit: code,
    }
}

/// Where `render` writes: tmpfs when there is one (the benchmark measures
/// landform, not the disk), else the working directory.
fn render_dir(work: &Path) -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.join("landform-scale-render")
    } else {
        work.to_path_buf()
    }
}

/// Peak resident set of a running process, in KiB.
fn vm_hwm(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn today() -> String {
    Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn git_rev() -> String {
    Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
