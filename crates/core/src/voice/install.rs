//! Installing a Piper voice the user chose (the doctor's "Install a Piper voice from a file…"):
//! the model `NAME.onnx` and its config `NAME.onnx.json` are checked and copied into
//! `<data dir>/voices`, where [`super::piper::voice_dirs`] finds them.

use crate::error::{Error, InputProblem, Result};
use crate::paths::DataDir;
use serde::{Deserialize, Serialize};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// A voice installed into the data dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InstalledVoice {
    /// The voice's name (the model's file stem, e.g. `en_US-lessac-medium`).
    pub name: String,
    /// Where the model now is.
    pub model: String,
}

fn bad(path: &Path, why: impl Into<String>) -> Error {
    Error::input(path, InputProblem::Other(why.into()))
}

/// The model and config for a chosen file: either `NAME.onnx` or `NAME.onnx.json` may be chosen.
fn pair(chosen: &Path) -> Result<(PathBuf, PathBuf)> {
    let name = chosen
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let model = if let Some(stem) = name.strip_suffix(".onnx.json") {
        chosen.with_file_name(format!("{stem}.onnx"))
    } else if name.ends_with(".onnx") {
        chosen.to_path_buf()
    } else {
        return Err(bad(
            chosen,
            "choose a Piper voice model (NAME.onnx, with NAME.onnx.json beside it)",
        ));
    };
    let config = model.with_extension("onnx.json");
    if !model.is_file() {
        return Err(bad(&model, "the voice model (NAME.onnx) is not there"));
    }
    if !config.is_file() {
        return Err(bad(
            &config,
            "the voice's config is missing: Piper voices come as NAME.onnx and NAME.onnx.json, put both in one folder",
        ));
    }
    Ok((model, config))
}

/// A Piper voice config: JSON with `audio.sample_rate` and a `phoneme_id_map`.
fn check_config(config: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(config).map_err(|e| Error::io("reading the voice config", e))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        bad(
            config,
            format!("not a Piper voice config (invalid JSON: {e})"),
        )
    })?;
    let rate = v.pointer("/audio/sample_rate").and_then(|r| r.as_u64());
    if rate.is_none() || !v.get("phoneme_id_map").is_some_and(|m| m.is_object()) {
        return Err(bad(
            config,
            "not a Piper voice config (no audio.sample_rate or phoneme_id_map)",
        ));
    }
    Ok(())
}

fn varint(r: &mut impl Read) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let mut b = [0u8; 1];
        r.read_exact(&mut b).ok()?;
        v |= u64::from(b[0] & 0x7f) << shift;
        if b[0] & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// An ONNX model is a protobuf `ModelProto`: its top-level fields are walked to the end of the
/// file (each well formed, none past the end), and it must carry `ir_version` (field 1) and a
/// `graph` (field 7).
fn check_model(model: &Path) -> Result<()> {
    let not_onnx = |why: &str| bad(model, format!("not an ONNX voice model ({why})"));
    let file = std::fs::File::open(model).map_err(|e| Error::io("opening the voice model", e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::io("reading the voice model", e))?
        .len();
    let mut r = BufReader::new(file);
    let (mut ir_version, mut graph) = (false, false);
    let mut pos = 0u64;
    while pos < len {
        let tag = varint(&mut r).ok_or_else(|| not_onnx("truncated field"))?;
        let (field, wire) = (tag >> 3, tag & 7);
        if field == 0 {
            return Err(not_onnx("field number 0"));
        }
        match wire {
            0 => {
                varint(&mut r).ok_or_else(|| not_onnx("truncated number"))?;
            }
            1 | 5 => {
                r.seek_relative(if wire == 1 { 8 } else { 4 })
                    .map_err(|e| Error::io("reading the voice model", e))?;
            }
            2 => {
                let n = varint(&mut r).ok_or_else(|| not_onnx("truncated length"))?;
                let here = r
                    .stream_position()
                    .map_err(|e| Error::io("reading the voice model", e))?;
                if n > len.saturating_sub(here) {
                    return Err(not_onnx("a field runs past the end of the file"));
                }
                r.seek(SeekFrom::Current(n as i64))
                    .map_err(|e| Error::io("reading the voice model", e))?;
            }
            _ => return Err(not_onnx("unknown field type")),
        }
        ir_version |= field == 1 && wire == 0;
        graph |= field == 7 && wire == 2;
        pos = r
            .stream_position()
            .map_err(|e| Error::io("reading the voice model", e))?;
    }
    if pos != len {
        return Err(not_onnx("a field runs past the end of the file"));
    }
    if !(ir_version && graph) {
        return Err(not_onnx("no ir_version or graph"));
    }
    Ok(())
}

/// Copies `from` to `to` through a temporary file beside `to`, so a half-copied voice is never
/// taken for one.
fn copy_into(from: &Path, to: &Path) -> Result<()> {
    let mut part = to.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    std::fs::copy(from, &part)
        .and_then(|_| std::fs::rename(&part, to))
        .map_err(|e| {
            let _ = std::fs::remove_file(&part);
            Error::io(format!("copying the voice to {}", to.display()), e)
        })
}

/// Checks the chosen Piper voice (`NAME.onnx` or `NAME.onnx.json`; the other file must be beside
/// it) and copies both into `<data dir>/voices`, replacing a voice of the same name.
pub fn install_piper_voice(data: &DataDir, chosen: &Path) -> Result<InstalledVoice> {
    let (model, config) = pair(chosen)?;
    check_config(&config)?;
    check_model(&model)?;
    let dir = data.root().join("voices");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating the voices folder", e))?;
    let file = model.file_name().unwrap_or_default().to_owned();
    let dest = dir.join(&file);
    if dest != model {
        copy_into(&config, &dest.with_extension("onnx.json"))?;
        copy_into(&model, &dest)?;
    }
    Ok(InstalledVoice {
        name: Path::new(&file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        model: dest.to_string_lossy().into_owned(),
    })
}

#[cfg(test)]
#[path = "install_tests.rs"]
mod tests;
