//! What a failed (or doomed) set-up needs from the system, and the exact command for this system.
//!
//! pycairo and manimpango have no Linux wheels: pip/uv compile them, which needs pkg-config, a C
//! compiler, Python's headers and the cairo/pango headers. Those are checked before the install
//! starts, and a failed install's output is read for the same causes.

use serde::{Deserialize, Serialize};

/// Something the set-up needs from the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    PkgConfig,
    Compiler,
    PythonHeaders,
    CairoHeaders,
    PangoHeaders,
    VenvModule,
    Network,
    DiskSpace,
}

/// The package manager family, from `/etc/os-release` (Linux) or the target OS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum System {
    Debian,
    Fedora,
    Arch,
    Suse,
    MacOs,
    Windows,
    Other,
}

impl System {
    /// This machine's system.
    pub fn detect() -> System {
        if cfg!(target_os = "macos") {
            return System::MacOs;
        }
        if cfg!(windows) {
            return System::Windows;
        }
        std::fs::read_to_string("/etc/os-release")
            .map(|s| System::from_os_release(&s))
            .unwrap_or(System::Other)
    }

    /// From the text of an `os-release` file (`ID` and `ID_LIKE`).
    pub fn from_os_release(text: &str) -> System {
        let mut ids = Vec::new();
        for line in text.lines() {
            if let Some((k, v)) = line.split_once('=') {
                if k == "ID" || k == "ID_LIKE" {
                    ids.extend(
                        v.trim_matches('"')
                            .split_whitespace()
                            .map(str::to_lowercase),
                    );
                }
            }
        }
        let has = |names: &[&str]| ids.iter().any(|i| names.contains(&i.as_str()));
        if has(&["debian", "ubuntu"]) {
            System::Debian
        } else if has(&["fedora", "rhel", "centos"]) {
            System::Fedora
        } else if has(&["arch"]) {
            System::Arch
        } else if has(&["suse", "opensuse"]) {
            System::Suse
        } else {
            System::Other
        }
    }

    fn package(self, need: Need) -> Option<&'static str> {
        use Need::*;
        use System::*;
        Some(match (self, need) {
            (_, Network | DiskSpace) => return None,
            (Debian, PkgConfig) => "pkg-config",
            (Debian, Compiler) => "gcc",
            (Debian, PythonHeaders) => "python3-dev",
            (Debian, CairoHeaders) => "libcairo2-dev",
            (Debian, PangoHeaders) => "libpango1.0-dev",
            (Debian, VenvModule) => "python3-venv",
            (Fedora | Suse, PkgConfig) => "pkgconf-pkg-config",
            (Fedora | Suse, PythonHeaders) => "python3-devel",
            (Fedora | Suse, CairoHeaders) => "cairo-devel",
            (Fedora | Suse, PangoHeaders) => "pango-devel",
            (Fedora | Suse, VenvModule) => "python3",
            (Arch, PkgConfig) => "pkgconf",
            (Arch, PythonHeaders | VenvModule) => "python",
            (Arch, CairoHeaders) => "cairo",
            (Arch, PangoHeaders) => "pango",
            (MacOs, PkgConfig) => "pkg-config",
            (MacOs, CairoHeaders) => "cairo",
            (MacOs, PangoHeaders) => "pango",
            (MacOs, PythonHeaders | VenvModule) => "python",
            (MacOs, Compiler) => return None,
            (_, Compiler) => "gcc",
            (Windows | Other, _) => return None,
        })
    }

    /// The command that installs `packages`.
    fn install_command(self, packages: &[&str]) -> Option<String> {
        let list = packages.join(" ");
        Some(match self {
            System::Debian => format!("sudo apt-get install {list}"),
            System::Fedora => format!("sudo dnf install {list}"),
            System::Arch => format!("sudo pacman -S --needed {list}"),
            System::Suse => format!("sudo zypper install {list}"),
            System::MacOs => format!("brew install {list}"),
            System::Windows | System::Other => return None,
        })
    }
}

/// Everything a full set-up needs from the system (for a message when the cause is unknown).
pub const BUILD_NEEDS: &[Need] = &[
    Need::PkgConfig,
    Need::Compiler,
    Need::PythonHeaders,
    Need::CairoHeaders,
    Need::PangoHeaders,
];

/// The exact fix for `needs` on `system`: one install command (plus what is not a package).
pub fn fix_for(needs: &[Need], system: System) -> String {
    let mut packages: Vec<&str> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for &n in needs {
        match (n, system.package(n)) {
            (_, Some(p)) if !packages.contains(&p) => packages.push(p),
            (_, Some(_)) => {}
            (Need::Network, None) => other.push(
                "check the internet connection, HTTPS_PROXY and the CA certificates: the set-up downloads Manim from the Python package index over HTTPS".into(),
            ),
            (Need::DiskSpace, None) => other.push("free about 1 GB of disk space".into()),
            (Need::Compiler, None) if system == System::MacOs => {
                other.push("xcode-select --install".into())
            }
            (n, None) => other.push(format!("install {}", describe(n))),
        }
    }
    let mut parts = Vec::new();
    if !packages.is_empty() {
        match system.install_command(&packages) {
            Some(cmd) => parts.push(cmd),
            None => parts.push(format!("install {}", packages.join(", "))),
        }
    }
    parts.extend(other);
    parts.join("; then ")
}

fn describe(n: Need) -> &'static str {
    match n {
        Need::PkgConfig => "pkg-config",
        Need::Compiler => "a C compiler",
        Need::PythonHeaders => "Python's development headers",
        Need::CairoHeaders => "the cairo development headers",
        Need::PangoHeaders => "the pango development headers",
        Need::VenvModule => "Python's venv module",
        Need::Network => "network access",
        Need::DiskSpace => "disk space",
    }
}

/// Reads a failed install's output for the causes it names.
pub fn needs_in_output(lines: &[String]) -> Vec<Need> {
    let mut needs = Vec::new();
    let mut add = |n: Need| {
        if !needs.contains(&n) {
            needs.push(n)
        }
    };
    for line in lines {
        let l = line.to_lowercase();
        let missing = l.contains("not found")
            || l.contains("found: no")
            || l.contains("no such file")
            || l.contains("is required");
        if l.contains("pkg-config")
            && (l.contains("did not find pkg-config")
                || l.contains("pkg-config for machine")
                || l.contains("pkg-config: not found")
                || l.contains("found pkg-config: no")
                || l.contains("pkg-config is required"))
        {
            add(Need::PkgConfig);
        }
        if l.contains("unknown compiler")
            || (l.contains("command '") && l.contains("gcc") && l.contains("failed"))
            || l.contains("unable to execute 'gcc'")
        {
            add(Need::Compiler);
        }
        if l.contains("python.h") && missing || l.contains("dependency \"python\" not found") {
            add(Need::PythonHeaders);
        }
        if l.contains("cairo") && !l.contains("pango") && (missing || l.contains("search path")) {
            add(Need::CairoHeaders);
        }
        if l.contains("pango") && (missing || l.contains("search path")) {
            add(Need::PangoHeaders);
        }
        if l.contains("ensurepip is not available") || l.contains("no module named venv") {
            add(Need::VenvModule);
        }
        if l.contains("failed to establish a new connection")
            || l.contains("temporary failure in name resolution")
            || l.contains("failed to fetch")
            || l.contains("dns error")
            || l.contains("network is unreachable")
            || l.contains("connection refused")
            || l.contains("certificate_verify_failed")
            || l.contains("certificate verify failed")
            || l.contains("invalid peer certificate")
        {
            add(Need::Network);
        }
        if l.contains("no space left on device") {
            add(Need::DiskSpace);
        }
    }
    // Without pkg-config the build cannot tell whether the headers are there: ask for pkg-config
    // alone (the check before the next set-up tells the rest).
    if needs.contains(&Need::PkgConfig) {
        needs.retain(|n| !matches!(n, Need::CairoHeaders | Need::PangoHeaders));
    }
    needs
}

#[cfg(test)]
#[path = "fix_tests.rs"]
mod tests;
