//! The `scene_findings` table: the layout check of each rendered version of a scene (its
//! findings, or why it was not checked), and the summary `show --json` and the desktop give per
//! scene.

use super::Store;
use crate::error::{Error, Result};
use crate::layout::{Finding, LayoutCheck};
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// A scene's layout state: its chosen version's findings, and after how many layout fixes it
/// became clean (`None`: it was clean from the start, or never became clean).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SceneLayout {
    /// The probe saw the scene through (else `not_checked` says why, and there are no findings).
    pub checked: bool,
    /// What was not checked, in words (a probe fault; a 3D scene's world-space mobjects).
    pub not_checked: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub fixed_after: Option<u32>,
    pub findings: Vec<Finding>,
}

/// One version's check as the `findings` column holds it: an object since the probe could fail
/// (a version stored before that holds its findings array alone, which reads as checked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Stored {
    Check {
        checked: bool,
        #[serde(default)]
        not_checked: Vec<String>,
        findings: Vec<Finding>,
    },
    Findings(Vec<Finding>),
}

impl Stored {
    fn of(check: &LayoutCheck) -> Stored {
        match check {
            LayoutCheck::Checked { report } => Stored::Check {
                checked: true,
                not_checked: report.not_checked.clone(),
                findings: report.findings.clone(),
            },
            LayoutCheck::NotChecked { why } => Stored::Check {
                checked: false,
                not_checked: vec![why.clone()],
                findings: Vec::new(),
            },
        }
    }

    /// (checked, not checked, findings).
    fn parts(self) -> (bool, Vec<String>, Vec<Finding>) {
        match self {
            Stored::Check {
                checked,
                not_checked,
                findings,
            } => (checked, not_checked, findings),
            Stored::Findings(f) => (true, Vec::new(), f),
        }
    }
}

/// One stored version's check: (version, checked, not checked, findings).
type VersionCheck = (u32, bool, Vec<String>, Vec<Finding>);

impl Store {
    /// Records the layout check of one rendered version of a scene (replacing an earlier one).
    pub fn record_check(
        &self,
        job_id: &str,
        index: u32,
        version: u32,
        check: &LayoutCheck,
    ) -> Result<()> {
        let json = serde_json::to_string(&Stored::of(check))
            .map_err(|e| Error::Internal(format!("serializing findings: {e}")))?;
        self.conn().execute(
            "INSERT INTO scene_findings (job_id, idx, code_version, findings) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (job_id, idx, code_version) DO UPDATE SET findings = excluded.findings",
            params![job_id, index, version, json],
        )?;
        Ok(())
    }

    /// The check of every recorded version of a scene, oldest version first.
    fn scene_checks(&self, job_id: &str, index: u32) -> Result<Vec<VersionCheck>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT code_version, findings FROM scene_findings WHERE job_id = ?1 AND idx = ?2 \
             ORDER BY code_version",
        )?;
        let rows = stmt.query_map(params![job_id, index], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (version, json) = row?;
            let stored: Stored = serde_json::from_str(&json).map_err(|e| {
                Error::Storage(format!("stored findings of scene {index} v{version}: {e}"))
            })?;
            let (checked, not_checked, findings) = stored.parts();
            out.push((version, checked, not_checked, findings));
        }
        Ok(out)
    }

    /// The findings of every checked version of a scene, oldest version first.
    pub fn scene_findings(&self, job_id: &str, index: u32) -> Result<Vec<(u32, Vec<Finding>)>> {
        Ok(self
            .scene_checks(job_id, index)?
            .into_iter()
            .filter(|c| c.1)
            .map(|(v, _, _, f)| (v, f))
            .collect())
    }

    /// The layout state of the scene whose chosen code is `version`; `None` when that version
    /// was never checked.
    pub fn scene_layout(
        &self,
        job_id: &str,
        index: u32,
        version: Option<u32>,
    ) -> Result<Option<SceneLayout>> {
        let Some(version) = version else {
            return Ok(None);
        };
        let all = self.scene_checks(job_id, index)?;
        let Some((_, checked, not_checked, findings)) = all.iter().find(|(v, ..)| *v == version)
        else {
            return Ok(None);
        };
        let errors = findings.iter().filter(|f| f.is_error()).count();
        let faulty_before = all
            .iter()
            .filter(|(v, _, _, f)| *v < version && f.iter().any(Finding::is_error))
            .count() as u32;
        Ok(Some(SceneLayout {
            checked: *checked,
            not_checked: not_checked.clone(),
            errors,
            warnings: findings.len() - errors,
            fixed_after: (errors == 0 && faulty_before > 0).then_some(faulty_before),
            findings: findings.clone(),
        }))
    }
}
