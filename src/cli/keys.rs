//! `provseal key`: generating, showing and exporting keys, and reading a
//! private key for signing, decrypting it when it is encrypted. Passphrases
//! come from `PROVSEAL_PASSPHRASE` or a prompt on the terminal, are held in
//! memory that is zeroised when dropped, and are never printed or logged.

use std::path::Path;

use provseal::format::digest::Sha256Digest;
use provseal::format::sign::{self, KeyPair};
use zeroize::Zeroizing;

use super::args::KeyCommand;
use super::{CliResult, Outcome, emit, with_ext, write_new};

/// The environment variable a passphrase may come from (for scripts; a
/// prompt is safer on a shared machine).
pub const PASSPHRASE_ENV: &str = "PROVSEAL_PASSPHRASE";

pub fn run(cmd: KeyCommand) -> CliResult {
    match cmd {
        KeyCommand::Generate { out, encrypt } => generate(&out, encrypt),
        KeyCommand::Show { file } => show(&file),
        KeyCommand::ExportPublic { file, out } => export_public(&file, out.as_deref()),
    }
}

/// The passphrase: the environment variable if set, else a prompt (twice
/// when `confirm`, for a new key).
fn passphrase(what: &str, confirm: bool) -> Result<Zeroizing<String>, String> {
    if let Some(p) = std::env::var_os(PASSPHRASE_ENV) {
        let p = Zeroizing::new(
            p.into_string()
                .map_err(|_| format!("{PASSPHRASE_ENV} is not UTF-8"))?,
        );
        if p.is_empty() {
            return Err(format!("{PASSPHRASE_ENV} is empty"));
        }
        return Ok(p);
    }
    let ask = |prompt: &str| {
        // The prompt's own error (`No such device or address`) says no
        // more than this does.
        rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|_| {
            format!("{what}: no passphrase: {PASSPHRASE_ENV} is not set and there is no terminal to ask on (set it, or run provseal on a terminal)")
        })
    };
    let p = ask(&format!("Passphrase for {what}: "))?;
    if p.is_empty() {
        return Err(format!("{what}: an empty passphrase protects nothing"));
    }
    if confirm && *ask("Again: ")? != *p {
        return Err(format!("{what}: the passphrases differ"));
    }
    Ok(p)
}

/// Reads a private key, asking for its passphrase when it is encrypted.
pub fn read_private(path: &Path) -> Result<KeyPair, String> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(super::io_at(path))?);
    let key = if sign::is_encrypted_pem(&text) {
        let p = passphrase(&path.display().to_string(), false)?;
        KeyPair::from_pem(&text, Some(p.as_bytes()))
    } else {
        KeyPair::from_pem(&text, None)
    };
    key.map_err(|e| format!("{}: {e}", path.display()))
}

fn generate(out: &Path, encrypt: bool) -> CliResult {
    let named_folder = out
        .as_os_str()
        .to_string_lossy()
        .ends_with(std::path::MAIN_SEPARATOR)
        || out.as_os_str().to_string_lossy().ends_with('/')
        || out.is_dir();
    if named_folder {
        return Err(format!(
            "{}: is a folder; --out takes a name for the key, such as {} (which writes newsroom.key and newsroom.pub)",
            out.display(),
            out.join("newsroom").display()
        )
        .into());
    }
    super::ensure_folder(super::folder_of(out), false)?;
    if !encrypt && std::env::var_os(PASSPHRASE_ENV).is_some() {
        say!(
            "warning: {PASSPHRASE_ENV} is set, but without --encrypt the private key is written unencrypted; give --encrypt to protect it with that passphrase"
        );
    }
    let priv_path = with_ext(out, ".key");
    let pub_path = with_ext(out, ".pub");
    for p in [&priv_path, &pub_path] {
        if p.exists() {
            return Err(format!(
                "{}: already exists; refusing to overwrite a key",
                p.display()
            )
            .into());
        }
    }
    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    let private = if encrypt {
        let p = passphrase(&priv_path.display().to_string(), true)?;
        key.to_encrypted_pkcs8_pem(p.as_bytes())
            .map_err(|e| e.to_string())?
    } else {
        key.to_pkcs8_pem()
    };
    write_new(&priv_path, private.as_bytes(), 0o600)?;
    write_new(
        &pub_path,
        sign::public_key_to_pem(&key.verifying_key()).as_bytes(),
        0o644,
    )?;
    emit(&format!("{}\n", key.key_id()))?;
    say!(
        "wrote {} (private{}, keep it secret) and {}",
        priv_path.display(),
        if encrypt { ", encrypted" } else { "" },
        pub_path.display()
    );
    Ok(Outcome::Passed)
}

/// The SHA-256 of the key's SubjectPublicKeyInfo DER, as OpenSSL computes
/// it (`openssl pkey -pubin -outform DER | sha256sum`), in colon hex.
fn spki_fingerprint(key: &ed25519_dalek::VerifyingKey) -> String {
    use ed25519_dalek::pkcs8::EncodePublicKey as _;
    let der = key
        .to_public_key_der()
        .map(|d| d.as_bytes().to_vec())
        .unwrap_or_default();
    let hex = Sha256Digest::of(&der).to_hex();
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

fn show(file: &Path) -> CliResult {
    let text = Zeroizing::new(std::fs::read_to_string(file).map_err(super::io_at(file))?);
    let (kind, public) = if text.contains("-----BEGIN PUBLIC KEY-----") {
        let k = sign::public_key_from_pem(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        ("Ed25519 public key", k)
    } else {
        let encrypted = sign::is_encrypted_pem(&text);
        let k = read_private(file)?;
        (
            if encrypted {
                "Ed25519 private key, encrypted"
            } else {
                "Ed25519 private key, NOT encrypted"
            },
            k.verifying_key(),
        )
    };
    emit(&format!(
        "{}\n  type         {kind}\n  key id       {}\n  fingerprint  SHA256 {}\n",
        file.display(),
        sign::key_id(&public),
        spki_fingerprint(&public)
    ))?;
    Ok(Outcome::Passed)
}

fn export_public(file: &Path, out: Option<&Path>) -> CliResult {
    let key = read_private(file)?;
    let pem = sign::public_key_to_pem(&key.verifying_key());
    match out {
        Some(out) => {
            write_new(out, pem.as_bytes(), 0o644)?;
            say!("wrote {}", out.display());
        }
        None => emit(&pem)?,
    }
    Ok(Outcome::Passed)
}
