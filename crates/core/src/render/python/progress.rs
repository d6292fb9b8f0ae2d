//! Progress of the venv set-up, read from what pip and uv print.
//!
//! Neither tool prints a percentage when it is not on a terminal, but both log each step:
//! pip (stdout) `Collecting X`, `Downloading f.whl (7.1 MB)`, `Building wheel for X …: started` /
//! `finished`, `Installing collected packages: …`, `Successfully installed …`; uv (stderr)
//! `Resolved 32 packages`, `Downloading av (34.1MiB)` / ` Downloaded av`, `Building pycairo==…` /
//! `Built pycairo==…`, `Prepared 32 packages`, `Installed 32 packages`. The fraction is made from
//! those counts, never goes backwards, and reaches 1 only when the set-up is done.

use serde::{Deserialize, Serialize};

/// The steps of the set-up, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SetupStep {
    /// Waiting for another set-up of the same venv (another window or a job) to finish.
    Waiting,
    /// `python -m venv`.
    CreatingVenv,
    /// `pip install uv` (the fast installer, from the Python package index).
    InstallingInstaller,
    /// Finding Manim's dependencies and downloading them.
    Downloading,
    /// Compiling the packages without wheels (pycairo, manimpango).
    Building,
    /// Unpacking into the venv.
    Installing,
    /// `import manim` in the new venv.
    Verifying,
    Done,
}

impl SetupStep {
    pub const ALL: [SetupStep; 8] = [
        SetupStep::Waiting,
        SetupStep::CreatingVenv,
        SetupStep::InstallingInstaller,
        SetupStep::Downloading,
        SetupStep::Building,
        SetupStep::Installing,
        SetupStep::Verifying,
        SetupStep::Done,
    ];

    /// The overall fraction where this step starts and where it ends.
    fn span(self) -> (f64, f64) {
        match self {
            SetupStep::Waiting => (0.0, 0.0),
            SetupStep::CreatingVenv => (0.0, 0.05),
            SetupStep::InstallingInstaller => (0.05, 0.1),
            SetupStep::Downloading => (0.1, 0.55),
            SetupStep::Building => (0.55, 0.9),
            SetupStep::Installing => (0.9, 0.97),
            SetupStep::Verifying => (0.97, 1.0),
            SetupStep::Done => (1.0, 1.0),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SetupStep::Waiting => "Waiting for another set-up",
            SetupStep::CreatingVenv => "Creating the Python environment",
            SetupStep::InstallingInstaller => "Installing the installer (uv)",
            SetupStep::Downloading => "Downloading Manim and its packages",
            SetupStep::Building => "Building packages",
            SetupStep::Installing => "Installing",
            SetupStep::Verifying => "Checking Manim",
            SetupStep::Done => "Ready",
        }
    }
}

/// One progress report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetupProgress {
    pub step: SetupStep,
    /// Overall, 0..=1, never decreasing during one set-up.
    pub fraction: f64,
    /// What is happening, for people ("Downloading numpy (16.1MiB)").
    pub message: String,
}

/// Which tool's output is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Installer {
    Uv,
    Pip,
}

impl Installer {
    pub fn as_str(self) -> &'static str {
        match self {
            Installer::Uv => "uv",
            Installer::Pip => "pip",
        }
    }
}

/// How many packages Manim 0.22 pulls in (uv: "Resolved 32 packages"); pip never says, so its
/// counts are measured against this until it lists what it installs.
const EXPECTED_PACKAGES: usize = 32;
/// Packages built from source (pycairo, manimpango, srt) when the tool does not say.
const EXPECTED_BUILDS: usize = 3;

/// Turns the installer's lines into [`SetupProgress`] reports.
#[derive(Debug)]
pub struct ProgressReader {
    installer: Installer,
    step: SetupStep,
    fraction: f64,
    total: Option<usize>,
    collected: usize,
    downloads_started: usize,
    downloads_done: usize,
    builds_total: Option<usize>,
    builds_started: usize,
    builds_done: usize,
}

impl ProgressReader {
    pub fn new(installer: Installer) -> Self {
        ProgressReader {
            installer,
            step: SetupStep::Waiting,
            fraction: 0.0,
            total: None,
            collected: 0,
            downloads_started: 0,
            downloads_done: 0,
            builds_total: None,
            builds_started: 0,
            builds_done: 0,
        }
    }

    /// A report at the start of `step` (a step the runner itself starts).
    pub fn at(&mut self, step: SetupStep, message: impl Into<String>) -> SetupProgress {
        self.advance(step, 0.0);
        self.report(message.into())
    }

    /// Reads one line of the installer's output; `None` if it tells nothing new.
    pub fn line(&mut self, line: &str) -> Option<SetupProgress> {
        let t = line.trim();
        match self.installer {
            Installer::Pip => self.pip(t),
            Installer::Uv => self.uv(t),
        }
        .map(|message| self.report(message))
    }

    fn pip(&mut self, t: &str) -> Option<String> {
        if let Some(name) = t.strip_prefix("Collecting ") {
            self.collected += 1;
            let total = self
                .total
                .unwrap_or(EXPECTED_PACKAGES)
                .max(self.collected + 1);
            self.advance(SetupStep::Downloading, ratio(self.collected, total));
            return Some(format!("Collecting {}", first_word(name)));
        }
        if let Some(file) = t.strip_prefix("Downloading ") {
            return Some(format!("Downloading {file}"));
        }
        if let Some(list) = t.strip_prefix("Building wheels for collected packages:") {
            self.builds_total = Some(list.split(',').filter(|s| !s.trim().is_empty()).count());
            self.advance(SetupStep::Building, 0.0);
            return Some(format!("Building {}", list.trim()));
        }
        if let Some(rest) = t.strip_prefix("Building wheel for ") {
            let name = first_word(rest);
            if rest.contains("finished") || rest.contains("done") {
                self.builds_done += 1;
                self.advance(SetupStep::Building, self.build_ratio());
                return Some(format!("Built {name}"));
            }
            self.advance(SetupStep::Building, self.build_ratio());
            return Some(format!("Building {name} (compiling, the longest step)"));
        }
        if let Some(list) = t.strip_prefix("Installing collected packages:") {
            self.total = Some(list.split(',').count());
            self.advance(SetupStep::Installing, 0.0);
            return Some("Installing the packages".into());
        }
        if t.starts_with("Successfully installed") {
            self.advance(SetupStep::Installing, 1.0);
            return Some("Installed".into());
        }
        None
    }

    fn uv(&mut self, t: &str) -> Option<String> {
        let mut words = t.split_whitespace();
        let (first, second) = (words.next()?, words.next());
        match first {
            "Resolved" => {
                self.total = second.and_then(|n| n.parse().ok());
                self.advance(SetupStep::Downloading, 0.05);
                Some(format!("Resolved {} packages", second.unwrap_or("the")))
            }
            // uv downloads and builds at once: both count towards one span.
            "Downloading" => {
                self.downloads_started += 1;
                self.uv_work();
                Some(t.to_string())
            }
            "Downloaded" => {
                self.downloads_done += 1;
                self.uv_work();
                Some(t.to_string())
            }
            "Building" => {
                self.builds_started += 1;
                self.uv_work();
                Some(format!(
                    "Building {} (compiling, the longest step)",
                    second.unwrap_or("")
                ))
            }
            "Built" => {
                self.builds_done += 1;
                self.uv_work();
                Some(t.to_string())
            }
            "Prepared" => {
                self.advance(SetupStep::Installing, 0.0);
                Some("Installing the packages".into())
            }
            "Installed" => {
                self.advance(SetupStep::Installing, 1.0);
                Some(t.to_string())
            }
            _ => None,
        }
    }

    /// uv's downloads and builds: Downloading while a download is open, then Building; the
    /// fraction runs over both spans by finished items (a build weighs as much as a download).
    fn uv_work(&mut self) {
        let total = self.downloads_started + self.builds_started;
        let done = self.downloads_done + self.builds_done;
        let (a, _) = SetupStep::Downloading.span();
        let (_, b) = SetupStep::Building.span();
        let step = if self.downloads_done < self.downloads_started {
            SetupStep::Downloading
        } else {
            SetupStep::Building
        };
        let f = a + (b - a) * (0.05 + 0.95 * ratio(done, total + 1));
        if step >= self.step {
            self.step = step;
        }
        self.fraction = self.fraction.max(f);
    }

    fn build_ratio(&self) -> f64 {
        let total = self
            .builds_total
            .unwrap_or(EXPECTED_BUILDS)
            .max(self.builds_done + 1);
        // A build that has started is half done at best.
        ratio(2 * self.builds_done + 1, 2 * total)
    }

    /// Moves to `within` of `step`'s span (a later step, or further in this one); never back.
    fn advance(&mut self, step: SetupStep, within: f64) {
        let (a, b) = step.span();
        let f = a + (b - a) * within.clamp(0.0, 1.0);
        if step >= self.step {
            self.step = step;
        }
        if f > self.fraction {
            self.fraction = f;
        }
    }

    fn report(&self, message: String) -> SetupProgress {
        SetupProgress {
            step: self.step,
            fraction: self.fraction,
            message,
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64).min(1.0)
    }
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or(s)
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
