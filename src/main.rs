use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let color = stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let code = landform::cli::run(
        std::env::args_os(),
        &mut landform::cli::Io {
            out: &mut out,
            err: &mut err,
            color,
        },
    );
    let _ = out.flush();
    code
}
