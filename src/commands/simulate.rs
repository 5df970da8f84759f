//! `landform simulate`: evaluate self-contained requests
//! (`contracts/simulate-request.md`).
//!
//! - `--request FILE`: one request; prints the decision, the explanation and a
//!   trace through every gate (`--format json` as one JSON object, `human` as
//!   a readable trace). Exit 0 whatever the decision; 2 when the file cannot
//!   be read or is not a valid request.
//! - `--batch FILE.jsonl` (`-` for stdin): one request per line, one output
//!   line per input line in order, each echoing the input's `id`:
//!   `{"id": …, "decision": …}`, or `{"id": …, "error": …}` for a line that
//!   cannot be used (the batch goes on). Policies repeated across lines are
//!   compiled once. With more than one line and more than one core, lines are
//!   decided on two threads (`LANDFORM_THREADS=1` turns that off); output
//!   order is always the input order.

use std::io::{BufWriter, Read, Write};
use std::path::Path;

use super::CommandError;
use crate::cli::{Exit, Io, SimFormat, SimulateArgs};
use crate::policy::eval::{evaluate, explain};
use crate::policy::simulate::{Simulator, salvage_id};

pub fn run(args: &SimulateArgs, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    match (&args.request, &args.batch) {
        (Some(path), None) => single(path, args.format, io),
        (None, Some(path)) => batch(path, args.format, io),
        _ => Err(CommandError::Usage(
            "give exactly one of `--request FILE` and `--batch FILE`".into(),
        )),
    }
}

fn read(path: &Path) -> Result<String, CommandError> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| CommandError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|source| CommandError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn single(path: &Path, format: SimFormat, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let text = read(path)?;
    let mut sim = Simulator::new();
    let loaded = sim.load(&text).map_err(|e| {
        CommandError::Input(format!("`{}` is not a valid request: {e}", path.display()))
    })?;
    let evaluation = explain(&loaded.policies, &loaded.request);
    match format {
        SimFormat::Json => {
            let mut v = serde_json::to_value(&evaluation)
                .map_err(|e| CommandError::Input(format!("cannot render the result: {e}")))?;
            if let (Some(id), Some(obj)) = (&loaded.id, v.as_object_mut())
                && let Ok(id) = serde_json::from_str::<serde_json::Value>(id)
            {
                obj.insert("id".into(), id);
            }
            let text = serde_json::to_string_pretty(&v)
                .map_err(|e| CommandError::Input(format!("cannot render the result: {e}")))?;
            writeln!(io.out, "{text}")?;
        }
        SimFormat::Human => {
            write!(io.out, "{}", evaluation.to_human())?;
        }
    }
    Ok(Exit::Success)
}

/// Appends `s` as a JSON string literal.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// Decides one batch line and appends its output line.
fn one_line(sim: &mut Simulator, line: &str, format: SimFormat, out: &mut Vec<u8>) {
    match sim.load(line) {
        Ok(loaded) => match format {
            SimFormat::Json => {
                out.push(b'{');
                if let Some(id) = &loaded.id {
                    out.extend_from_slice(b"\"id\":");
                    out.extend_from_slice(id.as_bytes());
                    out.push(b',');
                }
                out.extend_from_slice(b"\"decision\":\"");
                out.extend_from_slice(
                    evaluate(&loaded.policies, &loaded.request)
                        .as_str()
                        .as_bytes(),
                );
                out.extend_from_slice(b"\"}\n");
            }
            SimFormat::Human => {
                let e = explain(&loaded.policies, &loaded.request);
                let id = loaded.id.as_deref().unwrap_or("-");
                out.extend_from_slice(
                    format!("{id}: {}: {}\n", e.decision.as_str(), e.explanation.message)
                        .as_bytes(),
                );
            }
        },
        Err(e) => match format {
            SimFormat::Json => {
                out.push(b'{');
                if let Some(id) = salvage_id(line) {
                    out.extend_from_slice(b"\"id\":");
                    out.extend_from_slice(id.as_bytes());
                    out.push(b',');
                }
                out.extend_from_slice(b"\"error\":");
                push_json_str(out, &e.message);
                out.extend_from_slice(b"}\n");
            }
            SimFormat::Human => {
                let id = salvage_id(line).unwrap_or_else(|| "-".into());
                out.extend_from_slice(format!("{id}: error: {}\n", e.message).as_bytes());
            }
        },
    }
}

fn threads() -> usize {
    let wanted = std::env::var("LANDFORM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    wanted.unwrap_or(cores.min(2)).max(1)
}

fn batch(path: &Path, format: SimFormat, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let text = read(path)?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut w = BufWriter::with_capacity(1 << 16, &mut *io.out);
    let n = threads();
    const CHUNK: usize = 4096;
    if n <= 1 || lines.len() < 2 * CHUNK {
        let mut sim = Simulator::new();
        let mut buf = Vec::with_capacity(1 << 16);
        for line in &lines {
            one_line(&mut sim, line, format, &mut buf);
            if buf.len() >= 1 << 15 {
                w.write_all(&buf)?;
                buf.clear();
            }
        }
        w.write_all(&buf)?;
        w.flush()?;
        return Ok(Exit::Success);
    }
    // Several threads: each takes every n-th chunk of lines with its own cache;
    // chunks are written back in input order.
    let chunks: Vec<&[&str]> = lines.chunks(CHUNK).collect();
    let outputs: Vec<Vec<(usize, Vec<u8>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|t| {
                let chunks = &chunks;
                s.spawn(move || {
                    let mut sim = Simulator::new();
                    let mut done = Vec::new();
                    for (ci, chunk) in chunks.iter().enumerate().skip(t).step_by(n) {
                        let mut buf = Vec::with_capacity(chunk.len() * 48);
                        for line in chunk.iter() {
                            one_line(&mut sim, line, format, &mut buf);
                        }
                        done.push((ci, buf));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut all: Vec<(usize, Vec<u8>)> = outputs.into_iter().flatten().collect();
    if all.len() != chunks.len() {
        return Err(CommandError::Input("a worker thread failed".into()));
    }
    all.sort_by_key(|(i, _)| *i);
    for (_, buf) in all {
        w.write_all(&buf)?;
    }
    w.flush()?;
    Ok(Exit::Success)
}
