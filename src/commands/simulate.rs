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
use crate::policy::eval::explain;
use crate::policy::simulate::{BatchFormat, Simulator, run_batch};

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

fn threads() -> usize {
    let wanted = std::env::var("LANDFORM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    wanted.unwrap_or(cores.min(2)).max(1)
}

fn batch(path: &Path, format: SimFormat, io: &mut Io<'_>) -> Result<Exit, CommandError> {
    let format = match format {
        SimFormat::Json => BatchFormat::Json,
        SimFormat::Human => BatchFormat::Human,
    };
    let read_err = |source| CommandError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut w = BufWriter::with_capacity(1 << 16, &mut *io.out);
    if path.as_os_str() == "-" {
        let stdin = std::io::stdin();
        run_batch(stdin.lock(), format, threads(), &mut w)?;
    } else {
        let file = std::fs::File::open(path).map_err(read_err)?;
        let reader = std::io::BufReader::with_capacity(1 << 20, file);
        run_batch(reader, format, threads(), &mut w)?;
    }
    w.flush()?;
    Ok(Exit::Success)
}
