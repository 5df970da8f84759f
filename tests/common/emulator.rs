//! The local AWS emulator (moto's server) for end-to-end tests.
//!
//! One emulator serves a whole test process: the one `scripts/test` started
//! (`LANDFORM_MOTO_URL`), or — when a developer runs `cargo test` directly — a
//! private `moto_server` this process starts on a free port and that stops when
//! the process exits. Tests take a [`Session`] with [`acquire`]: it holds a
//! process-wide lock (and a file lock, so test binaries sharing one emulator
//! never overlap) so emulator tests run one at a time, and it resets the
//! emulator first, so each test starts from a fresh, empty AWS.
//!
//! What moto looks like from here (moto 5.2): the management account is
//! `123456789012` (any unknown access key is that account); `CreateAccount`
//! succeeds at once and creates `OrganizationAccountAccessRole` in the new
//! account; credentials from assuming that role act in that account; sso-admin
//! `ListInstances` already returns one instance with its identity store.

use std::ffi::OsString;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::api::{Api, Credentials, http_request};
use super::tools::{self, shout};

/// moto's management account (the caller with any test credentials).
pub const MANAGEMENT_ACCOUNT_ID: &str = "123456789012";

/// The region every emulator test uses (the scripts, Terraform and the
/// read-back must agree: Identity Center state is per region in moto).
pub const REGION: &str = "us-east-1";

/// The role the tests assume in member accounts.
pub const ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

struct Server {
    url: String,
    /// The private server, if this process started one: dropping the stdin
    /// pipe (at process exit) makes its wrapper shell kill it.
    _private: Option<(Child, ChildStdin)>,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();
static LOCK: Mutex<()> = Mutex::new(());

/// Exclusive use of the emulator for one test; the emulator was reset when it
/// was acquired.
pub struct Session {
    url: String,
    region: String,
    _guard: MutexGuard<'static, ()>,
    _file_lock: File,
}

/// Takes the emulator for `test` (named in skip messages): `None` after a
/// loud skip when no emulator can be had (a panic under CI).
pub fn acquire(test: &str) -> Option<Session> {
    let server = SERVER.get_or_init(start_or_find);
    let Some(server) = server.as_ref() else {
        tools::skip(
            test,
            "no AWS emulator: LANDFORM_MOTO_URL is not set and moto_server is not available (LANDFORM_MOTO_SERVER)",
        );
        return None;
    };
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let lock_path = std::env::temp_dir().join(format!(
        "landform-moto-{}.lock",
        server.url.rsplit(':').next().unwrap_or("x")
    ));
    let file_lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", lock_path.display()));
    file_lock
        .lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));
    let session = Session {
        url: server.url.clone(),
        region: REGION.to_string(),
        _guard: guard,
        _file_lock: file_lock,
    };
    session.reset();
    Some(session)
}

fn start_or_find() -> Option<Server> {
    let t = tools::tools();
    if let Some(url) = &t.moto_url {
        return Some(Server {
            url: url.trim_end_matches('/').to_string(),
            _private: None,
        });
    }
    let moto = t.moto_server.as_ref()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port for a private moto_server: {e}"));
    let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("moto-private-{}.log", std::process::id()));
    // The wrapper shell starts moto and kills it once our end of its stdin
    // closes, which happens however this test process ends.
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(r#"MOTO_IAM_LOAD_MANAGED_POLICIES=true "$0" -H 127.0.0.1 -p "$1" >"$2" 2>&1 & pid=$!; read -r _ || true; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 0"#)
        .arg(moto)
        .arg(port.to_string())
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", moto.display()));
    let stdin = child
        .stdin
        .take()
        .unwrap_or_else(|| panic!("no stdin pipe"));
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while http_request(&url[7..], "GET", "/moto-api/", &[], b"").is_err() {
        if start.elapsed() > Duration::from_secs(60) {
            panic!(
                "private moto_server did not come up on {url} within 60 s (log: {})",
                log.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    shout(&format!(
        "\n!!!!! emulator: LANDFORM_MOTO_URL is not set; started a private moto_server on {url} for this test process\n      (log: {}; `scripts/test` starts one shared server instead)\n\n",
        log.display()
    ));
    Some(Server {
        url,
        _private: Some((child, stdin)),
    })
}

/// A failed aws CLI run.
#[derive(Debug)]
pub struct CliError {
    pub args: Vec<String>,
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "aws {:?} exited with {:?}\nstdout:\n{}\nstderr:\n{}",
            self.args, self.status, self.stdout, self.stderr
        )
    }
}

impl Session {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// Forgets all state (`POST /moto-api/reset`).
    pub fn reset(&self) {
        let addr = self.url.trim_start_matches("http://");
        match http_request(addr, "POST", "/moto-api/reset", &[], b"") {
            Ok((200, _)) => {}
            other => panic!("resetting the emulator at {} failed: {other:?}", self.url),
        }
    }

    /// The environment a child process (the aws CLI, a rendered script,
    /// terraform's provider) needs to talk to the emulator as the management
    /// account. Apply it with [`Session::apply_env`], which also removes every
    /// other `AWS_*` variable inherited from the developer's shell.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("AWS_ENDPOINT_URL", self.url.as_str()),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_DEFAULT_REGION", self.region.as_str()),
            ("AWS_REGION", self.region.as_str()),
            // unimplemented calls answer HTTP 500, which would be retried slowly
            ("AWS_MAX_ATTEMPTS", "1"),
            ("AWS_RETRY_MODE", "standard"),
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_PAGER", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// Sets [`Session::env`] on `cmd`, removing any other inherited `AWS_*`
    /// variable (profiles, session tokens, per-service endpoints).
    pub fn apply_env<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS_") {
                cmd.env_remove(&k);
            }
        }
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd
    }

    /// A `Command` for the aws CLI with the emulator environment (panics when
    /// the CLI is missing: call [`tools::aws_cli`] first to skip instead).
    pub fn aws_command(&self) -> Command {
        let aws = tools::tools()
            .aws_cli
            .clone()
            .unwrap_or_else(|| panic!("the aws CLI is not available (LANDFORM_AWS_CLI)"));
        let mut cmd = Command::new(aws);
        self.apply_env(&mut cmd);
        cmd
    }

    /// Runs the aws CLI as the management account; returns stdout.
    pub fn aws(&self, args: &[&str]) -> Result<String, CliError> {
        self.aws_with(None, args)
    }

    /// Runs the aws CLI with `creds` (e.g. from [`Session::assume_account`]).
    pub fn aws_as(&self, creds: &Credentials, args: &[&str]) -> Result<String, CliError> {
        self.aws_with(Some(creds), args)
    }

    fn aws_with(&self, creds: Option<&Credentials>, args: &[&str]) -> Result<String, CliError> {
        let mut cmd = self.aws_command();
        if let Some(c) = creds {
            cmd.env("AWS_ACCESS_KEY_ID", &c.access_key_id)
                .env("AWS_SECRET_ACCESS_KEY", &c.secret_access_key);
            if let Some(t) = &c.session_token {
                cmd.env("AWS_SESSION_TOKEN", t);
            }
        }
        let out = cmd
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run the aws CLI: {e}"));
        cli_result(args, out)
    }

    /// Runs the aws CLI with `--output json` and parses its output (panics on
    /// failure, with the CLI's stderr).
    pub fn aws_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--output", "json"]);
        let out = self.aws(&all).unwrap_or_else(|e| panic!("{e}"));
        if out.trim().is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("aws {args:?}: bad JSON ({e}): {out}"))
    }

    /// A raw API client acting as the management account.
    pub fn api(&self) -> Api {
        Api::new(&self.url, &self.region, Credentials::test())
    }

    /// Credentials inside `account_id`, by assuming
    /// `OrganizationAccountAccessRole` there (the management account's own
    /// test credentials for the management account).
    pub fn assume_account(&self, account_id: &str) -> Credentials {
        if account_id == MANAGEMENT_ACCOUNT_ID {
            return Credentials::test();
        }
        let arn = format!("arn:aws:iam::{account_id}:role/{ACCESS_ROLE}");
        self.api()
            .assume_role(&arn, "landform-test")
            .unwrap_or_else(|e| panic!("assuming {arn}: {e}"))
    }

    /// A raw API client acting inside `account_id`.
    pub fn api_for_account(&self, account_id: &str) -> Api {
        self.api().with_credentials(self.assume_account(account_id))
    }
}

fn cli_result(args: &[&str], out: Output) -> Result<String, CliError> {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(stdout)
    } else {
        Err(CliError {
            args: args.iter().map(|s| s.to_string()).collect(),
            status: out.status.code(),
            stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

/// Writes an executable file (for fake tools put first on `PATH`).
pub fn write_executable(path: &Path, contents: &str) {
    let mut f = File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.write_all(contents.as_bytes())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// `PATH` with `dir` first.
pub fn path_with_first(dir: &Path) -> OsString {
    let mut parts = vec![dir.to_path_buf()];
    if let Some(p) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(parts).unwrap_or_else(|e| panic!("bad PATH: {e}"))
}
