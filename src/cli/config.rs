//! Defaults a person sets once: the signing key, the trust store, the TSA
//! URLs, the archive and the S3 endpoint, from a TOML file and from the
//! environment. A flag always wins, then the environment, then the file:
//!
//! | setting       | flag            | environment             | file key      |
//! |---------------|-----------------|-------------------------|---------------|
//! | signing key   | `--key`         | `PROVSEAL_KEY`          | `key`         |
//! | trust store   | `--trust-store` | `PROVSEAL_TRUST_STORE`  | `trust_store` |
//! | TSA URLs      | `--tsa`         | `PROVSEAL_TSA` (commas) | `tsa`         |
//! | archive       | `--archive`     | `PROVSEAL_ARCHIVE`      | `archive`     |
//! | S3 endpoint   | `--endpoint`    | `AWS_ENDPOINT_URL`      | `endpoint`    |
//!
//! The file is `--config FILE`, else `$XDG_CONFIG_HOME/provseal/config.toml`
//! (`~/.config/provseal/config.toml` when `XDG_CONFIG_HOME` is unset); a
//! missing default file is no file, a missing `--config` file an error. In
//! the file, `~/` starts at the home folder and other relative paths at
//! the file's own folder. A trust store from a default never replaces
//! `--trust` or `--allow-unsigned`, and TSA URLs apply only to signed
//! bundles.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::args::{CatalogCommand, Command, S3Args, SignArgs, TrustArgs, TsaArgs};

/// The settings of the file, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    key: Option<PathBuf>,
    trust_store: Option<PathBuf>,
    #[serde(default)]
    tsa: Vec<String>,
    archive: Option<PathBuf>,
    endpoint: Option<String>,
}

/// The defaults in force: the environment over the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// The signing key.
    pub key: Option<PathBuf>,
    /// The trust store.
    pub trust_store: Option<PathBuf>,
    /// TSA URLs.
    pub tsa: Vec<String>,
    /// The archive of the catalog commands.
    pub archive: Option<PathBuf>,
    /// The S3 endpoint (the file's; `AWS_ENDPOINT_URL` is read where S3 is).
    pub endpoint: Option<String>,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The default file's path.
fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|x| !x.is_empty())
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".config")))?;
    Some(base.join("provseal").join("config.toml"))
}

/// A path from the file: `~/` from the home folder, relative from the
/// file's folder.
fn resolve(p: PathBuf, dir: &Path) -> PathBuf {
    match (p.strip_prefix("~"), home()) {
        (Ok(rest), Some(h)) => h.join(rest),
        _ if p.is_relative() => dir.join(p),
        _ => p,
    }
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl Defaults {
    /// Reads the file (`given`, or the default one) and the environment.
    pub fn load(given: Option<&Path>) -> Result<Defaults, String> {
        let file = match given.map(Path::to_path_buf).or_else(default_path) {
            Some(path) => read(&path, given.is_some())?,
            None => File::default(),
        };
        let env_tsa: Vec<String> = std::env::var("PROVSEAL_TSA")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Defaults {
            key: env_path("PROVSEAL_KEY").or(file.key),
            trust_store: env_path("PROVSEAL_TRUST_STORE").or(file.trust_store),
            tsa: if env_tsa.is_empty() {
                file.tsa
            } else {
                env_tsa
            },
            archive: env_path("PROVSEAL_ARCHIVE").or(file.archive),
            endpoint: file.endpoint,
        })
    }

    /// Fills what the command's flags left unset.
    pub fn apply(&self, command: &mut Command) {
        match command {
            Command::Pack(a) => {
                self.sign(&mut a.sign, &mut a.tsa);
                self.s3(&mut a.s3);
                if a.into.is_none() && a.out.is_none() && a.batch.is_none() {
                    a.into.clone_from(&self.archive);
                }
            }
            Command::Capture(a) => {
                self.sign(&mut a.sign, &mut a.tsa);
                self.s3(&mut a.s3);
                if a.into.is_none() && a.out.is_none() {
                    a.into.clone_from(&self.archive);
                }
            }
            Command::Attest(a) => {
                if a.key.is_none() {
                    a.key.clone_from(&self.key);
                }
                if a.tsa.tsa.is_empty() {
                    a.tsa.tsa.clone_from(&self.tsa);
                }
            }
            Command::Verify(a) => {
                self.trust(&mut a.trust);
                self.s3(&mut a.s3);
            }
            Command::Cite(a) => {
                self.trust(&mut a.trust);
                self.s3(&mut a.s3);
            }
            Command::Compare(a) => {
                self.trust(&mut a.trust);
                self.s3(&mut a.s3);
            }
            Command::Inspect { s3, .. } => self.s3(s3),
            Command::Catalog(c) => match c {
                CatalogCommand::Add { at, trust, s3, .. }
                | CatalogCommand::Verify { at, trust, s3, .. }
                | CatalogCommand::Rebuild { at, trust, s3, .. } => {
                    self.trust(trust);
                    self.s3(s3);
                    if at.archive.is_none() {
                        at.archive.clone_from(&self.archive);
                    }
                }
                CatalogCommand::Search(a) => {
                    if a.at.archive.is_none() {
                        a.at.archive.clone_from(&self.archive);
                    }
                }
            },
            _ => {}
        }
    }

    fn sign(&self, sign: &mut SignArgs, tsa: &mut TsaArgs) {
        if sign.unsigned {
            return;
        }
        if sign.key.is_none() {
            sign.key.clone_from(&self.key);
        }
        if tsa.tsa.is_empty() && sign.key.is_some() {
            tsa.tsa.clone_from(&self.tsa);
        }
    }

    fn trust(&self, t: &mut TrustArgs) {
        if t.trust.is_empty() && t.trust_store.is_none() && !t.allow_unsigned {
            t.trust_store.clone_from(&self.trust_store);
        }
    }

    fn s3(&self, s3: &mut S3Args) {
        if s3.endpoint.is_none() && std::env::var_os("AWS_ENDPOINT_URL").is_none() {
            s3.endpoint.clone_from(&self.endpoint);
        }
    }
}

fn read(path: &Path, required: bool) -> Result<File, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            return Ok(File::default());
        }
        Err(e) => return Err(super::io_at(path)(e)),
    };
    let mut file: File = toml::from_str(&text).map_err(|e| {
        format!(
            "{}: not a provseal config file: {} (the keys are key, trust_store, tsa, archive and endpoint)",
            path.display(),
            e.message()
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    file.key = file.key.map(|p| resolve(p, dir));
    file.trust_store = file.trust_store.map(|p| resolve(p, dir));
    file.archive = file.archive.map(|p| resolve(p, dir));
    Ok(file)
}
