//! `--git REV`: the blueprint as committed at a revision.
//!
//! landform runs `git` as a subprocess and exports, into a fresh temporary
//! directory, every file tracked at `REV` under the blueprint's directory
//! (`git ls-tree -r REV -- DIR`, then the blobs through one
//! `git cat-file --batch`). The loader then reads that copy exactly as it
//! reads a working tree, so `include:` and `file:` paths resolve against the
//! revision — and, as always, cannot leave the blueprint's directory.
//! Symbolic links and submodules are not exported (a blueprint that relies
//! on one fails to load at the revision with "no such file"). The directory
//! is removed when the export is dropped.
//!
//! File names in diagnostics and reports read `REV:path` (`origin/main:examples/org.yaml`).

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Why the revision could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("cannot run git: {0} (is git installed and on PATH?)")]
    Spawn(std::io::Error),
    #[error("`{dir}` is not inside a git repository{detail}")]
    NotARepository { dir: String, detail: String },
    #[error(
        "`{rev}` is not a revision of this repository (try `git fetch`, or a branch, tag or commit)"
    )]
    UnknownRevision { rev: String },
    #[error("`{path}` does not exist at `{rev}`")]
    NotAtRevision { path: String, rev: String },
    #[error("git {what} failed: {detail}")]
    Failed { what: String, detail: String },
    #[error("cannot write the export of `{rev}`: {source}")]
    Io {
        rev: String,
        #[source]
        source: std::io::Error,
    },
}

/// The files of one revision, copied to a temporary directory.
#[derive(Debug)]
pub struct Export {
    dir: PathBuf,
    /// The blueprint inside the export.
    pub blueprint: PathBuf,
    /// The prefix of source names the loader will use (the export's
    /// blueprint directory, with `/`), and what to show instead (`REV:dir/`).
    pub rename: (String, String),
    /// `REV:path`.
    pub label: String,
    /// How many files were exported.
    pub files: usize,
}

impl Drop for Export {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    // never prompt, never page
    c.env("GIT_TERMINAL_PROMPT", "0");
    c.env("GIT_PAGER", "cat");
    c
}

fn run(mut cmd: Command, what: &str) -> Result<std::process::Output, GitError> {
    let out = cmd.output().map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            what: what.to_string(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out)
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn temp_dir() -> Result<PathBuf, std::io::Error> {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last = None;
    for i in 0..100u32 {
        let p = base.join(format!(
            "landform-diff-{}-{nanos:x}-{i}",
            std::process::id()
        ));
        match std::fs::create_dir(&p) {
            Ok(()) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary directory")))
}

/// Exports the blueprint `path` (a path in the working tree, relative to the
/// current directory or absolute) and its directory as committed at `rev`.
pub fn export(rev: &str, path: &Path) -> Result<Export, GitError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    if !parent.is_dir() {
        return Err(GitError::NotARepository {
            dir: display(&parent),
            detail: " (the directory does not exist)".to_string(),
        });
    }
    let mut c = git(&parent);
    c.args(["rev-parse", "--show-toplevel", "--show-prefix"]);
    let out = c.output().map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::NotARepository {
            dir: display(&parent),
            detail: String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .map(|l| format!(": {}", l.trim()))
                .unwrap_or_default(),
        });
    }
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let mut lines = text.lines();
    let top = PathBuf::from(lines.next().unwrap_or("").trim());
    let prefix = lines.next().unwrap_or("").trim().to_string();

    let mut c = git(&top);
    c.args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"));
    let out = c.output().map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::UnknownRevision {
            rev: rev.to_string(),
        });
    }
    let commit = String::from_utf8_lossy(&out.stdout).trim().to_string();

    let mut c = git(&top);
    c.args(["ls-tree", "-r", "-z", "--full-tree", &commit, "--"]);
    if !prefix.is_empty() {
        c.arg(&prefix);
    }
    let out = run(c, "ls-tree")?;
    // <mode> SP <type> SP <object> TAB <path> NUL
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in out.stdout.split(|b| *b == 0) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, file)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (mode, kind, oid) = (parts.next(), parts.next(), parts.next());
        if kind != Some("blob") || mode == Some("120000") {
            continue;
        }
        let Some(rel) = file.strip_prefix(prefix.as_str()) else {
            continue;
        };
        // git refuses such trees; never write outside the export anyway
        if rel.is_empty() || rel.starts_with('/') || rel.split('/').any(|c| c == ".." || c == ".") {
            continue;
        }
        if let Some(oid) = oid {
            blobs.push((rel.to_string(), oid.to_string()));
        }
    }
    if !blobs.iter().any(|(rel, _)| *rel == file_name) {
        return Err(GitError::NotAtRevision {
            path: display(path),
            rev: rev.to_string(),
        });
    }

    let dir = temp_dir().map_err(|source| GitError::Io {
        rev: rev.to_string(),
        source,
    })?;
    let export = Export {
        blueprint: dir.join(&file_name),
        rename: (
            format!("{}/", display(&dir)),
            format!(
                "{rev}:{}",
                match display(&parent).as_str() {
                    "." => String::new(),
                    p => format!("{}/", p.trim_end_matches('/')),
                }
            ),
        ),
        label: format!("{rev}:{}", display(path)),
        files: blobs.len(),
        dir,
    };
    write_blobs(&top, &export.dir, &blobs).map_err(|e| match e {
        BlobError::Git(g) => g,
        BlobError::Io(source) => GitError::Io {
            rev: rev.to_string(),
            source,
        },
    })?;
    Ok(export)
}

enum BlobError {
    Git(GitError),
    Io(std::io::Error),
}

/// Reads every blob with one `git cat-file --batch` and writes it under `dir`.
fn write_blobs(top: &Path, dir: &Path, blobs: &[(String, String)]) -> Result<(), BlobError> {
    let mut c = git(top);
    c.args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().map_err(|e| BlobError::Git(GitError::Spawn(e)))?;
    let mut stdin = child.stdin.take();
    let input: String = blobs.iter().map(|(_, oid)| format!("{oid}\n")).collect();
    // write on a thread: git's output pipe fills while we write
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(input.as_bytes());
        }
        drop(stdin);
    });
    let mut data = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_end(&mut data).map_err(BlobError::Io)?;
    }
    let _ = writer.join();
    let status = child.wait().map_err(BlobError::Io)?;
    if !status.success() {
        return Err(BlobError::Git(GitError::Failed {
            what: "cat-file".into(),
            detail: format!("exit status {status}"),
        }));
    }
    let mut pos = 0;
    for (rel, _) in blobs {
        // "<oid> blob <size>\n<content>\n"
        let header_end = data[pos..]
            .iter()
            .position(|b| *b == b'\n')
            .map(|i| pos + i)
            .ok_or_else(|| BlobError::Git(bad_batch()))?;
        let header = String::from_utf8_lossy(&data[pos..header_end]).to_string();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| BlobError::Git(bad_batch()))?;
        let start = header_end + 1;
        let end = start + size;
        let content = data
            .get(start..end)
            .ok_or_else(|| BlobError::Git(bad_batch()))?;
        let target = dir.join(rel);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(BlobError::Io)?;
        }
        std::fs::write(&target, content).map_err(BlobError::Io)?;
        pos = end + 1;
    }
    Ok(())
}

fn bad_batch() -> GitError {
    GitError::Failed {
        what: "cat-file".into(),
        detail: "unexpected output".into(),
    }
}
