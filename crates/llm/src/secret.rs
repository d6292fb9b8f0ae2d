//! API keys: from the environment variable a profile names, else the OS keychain (service
//! `theory2video`, account = the profile name). A key lives only in memory, inside [`ApiKey`],
//! whose `Debug` prints no key; every message that may carry server text goes through
//! [`ApiKey::scrub`].

use crate::config::Profile;
use std::time::Duration;

pub const KEYCHAIN_SERVICE: &str = "theory2video";
/// Set to `1` to never ask the keychain (tests, headless servers).
pub const NO_KEYCHAIN_ENV: &str = "THEORY2VIDEO_NO_KEYCHAIN";

#[derive(Clone)]
pub struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl ApiKey {
    pub fn new(key: impl Into<String>) -> ApiKey {
        ApiKey(key.into().trim().to_string())
    }

    /// The key, for a request header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Removes the key, and any 8+ character run of it that a server quoted back, from `text`.
    pub fn scrub(&self, text: &str) -> String {
        let key = &self.0;
        if key.is_empty() {
            return text.to_string();
        }
        let mut out = text.replace(key.as_str(), "[redacted]");
        // Servers quote keys partially ("sk-abc…wxyz"): drop any long enough slice.
        if key.len() >= 12 && key.is_ascii() {
            let n = 8;
            for start in 0..=key.len() - n {
                let part = &key[start..start + n];
                if out.contains(part) {
                    out = out.replace(part, "[redacted]");
                }
            }
        }
        out
    }
}

/// Where a key was found (for messages; never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Env(String),
    Keychain,
}

/// The key for a profile: `$api_key_env`, else the keychain. `None` when neither has one.
pub fn lookup(profile: &Profile) -> Option<(ApiKey, KeySource)> {
    lookup_var(&profile.api_key_env, &profile.name)
}

/// The key in the environment variable `var`, else the keychain entry of `account`.
pub fn lookup_var(var: &str, account: &str) -> Option<(ApiKey, KeySource)> {
    if let Some(v) = std::env::var_os(var) {
        let v = v.to_string_lossy().trim().to_string();
        if !v.is_empty() {
            return Some((ApiKey::new(v), KeySource::Env(var.to_string())));
        }
    }
    keychain_get(account).map(|k| (ApiKey::new(k), KeySource::Keychain))
}

fn keychain_enabled() -> bool {
    cfg!(feature = "keychain")
        && std::env::var(NO_KEYCHAIN_ENV).map_or(true, |v| v.is_empty() || v == "0")
}

/// Reads the keychain on a helper thread, giving up after 3 s (a locked or absent keyring
/// service must not hang a job).
fn keychain_get(account: &str) -> Option<String> {
    if !keychain_enabled() {
        return None;
    }
    let account = account.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(keychain_read(&account));
    });
    rx.recv_timeout(Duration::from_secs(3)).ok().flatten()
}

#[cfg(feature = "keychain")]
fn keychain_read(account: &str) -> Option<String> {
    let entry = keyring::Entry::new(KEYCHAIN_SERVICE, account).ok()?;
    entry.get_password().ok().filter(|k| !k.trim().is_empty())
}

#[cfg(not(feature = "keychain"))]
fn keychain_read(_account: &str) -> Option<String> {
    None
}

/// Stores a key in the keychain for `profile` (for the desktop app's settings).
#[cfg(feature = "keychain")]
pub fn keychain_store(profile: &str, key: &str) -> t2v_core::Result<()> {
    keyring::Entry::new(KEYCHAIN_SERVICE, profile)
        .and_then(|e| e.set_password(key.trim()))
        .map_err(|e| {
            t2v_core::Error::Config(format!(
                "cannot store the key of {profile:?} in the keychain: {}",
                ApiKey::new(key).scrub(&e.to_string())
            ))
        })
}

/// How a user provides the key of `profile`, for error messages.
pub fn how_to_set(profile: &Profile) -> String {
    let keychain = if keychain_enabled() {
        format!(
            " or store it in the OS keychain under service \"{KEYCHAIN_SERVICE}\", account \"{}\"",
            profile.name
        )
    } else {
        String::new()
    };
    format!(
        "set the environment variable {}{keychain}",
        profile.api_key_env
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_scrub_hide_the_key() {
        let k = ApiKey::new("sk-test-0123456789abcdefXYZ");
        assert!(!format!("{k:?}").contains("0123"));
        let msg = "Incorrect API key provided: sk-test-0123456789abcdefXYZ (or …89abcdefXYZ)";
        let s = k.scrub(msg);
        assert!(!s.contains("sk-test-0123456789abcdefXYZ"));
        assert!(!s.contains("89abcdefXYZ"), "{s}");
        assert!(s.contains("Incorrect API key provided"));
    }
}
