//! The AWS shared configuration files (`~/.aws/credentials` and
//! `~/.aws/config`), which `object_store` does not read itself: the
//! profile named by `AWS_PROFILE` (else `default`) supplies what the
//! environment does not.

use std::collections::HashMap;
use std::path::PathBuf;

/// The settings of one profile, keys lower-case as in the files.
pub type Profile = HashMap<String, String>;

/// Parses an INI-style AWS file and returns the section named `section`.
pub fn section(text: &str, section: &str) -> Profile {
    let mut current = None::<String>;
    let mut out = Profile::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.trim().to_string());
            continue;
        }
        if current.as_deref() != Some(section) {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            out.insert(k.trim().to_lowercase(), v.trim().to_string());
        }
    }
    out
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// The active profile's settings: the credentials file's section, then the
/// config file's (`[profile NAME]`, or `[default]`) for what it lacks.
pub fn active() -> Profile {
    let name = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    let creds_file = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws/credentials")));
    let config_file = std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws/config")));
    let read = |p: Option<PathBuf>| p.and_then(|p| std::fs::read_to_string(p).ok());
    let mut profile = read(creds_file)
        .map(|t| section(&t, &name))
        .unwrap_or_default();
    let config_section = if name == "default" {
        "default".to_string()
    } else {
        format!("profile {name}")
    };
    if let Some(t) = read(config_file) {
        for (k, v) in section(&t, &config_section) {
            profile.entry(k).or_insert(v);
        }
    }
    profile
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_read_by_name() {
        let text = "[default]\naws_access_key_id = A\n\n[profile archive]\nregion=eu-west-1\n# c\nendpoint_url = http://127.0.0.1:9000\n";
        assert_eq!(section(text, "default")["aws_access_key_id"], "A");
        let p = section(text, "profile archive");
        assert_eq!(p["region"], "eu-west-1");
        assert_eq!(p["endpoint_url"], "http://127.0.0.1:9000");
        assert!(section(text, "other").is_empty());
    }
}
