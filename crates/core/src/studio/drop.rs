//! Makes the video without this scene (for a scene that failed after all its fix attempts, or
//! one the user does not want). The video version's note says which scene was left out; any
//! later edit of the scene, or restoring an earlier version, brings it back.

use super::Target;
use crate::error::{Error, InputProblem, Result};

pub(super) fn apply(t: &mut Target<'_>) -> Result<()> {
    let index = t.src.plan.index;
    if t.kept_scenes <= 1 && !t.src.dropped {
        return Err(last_scene(index));
    }
    if t.src.dropped {
        return Err(Error::Conflict(format!(
            "scene {index} is already left out of the video"
        )));
    }
    t.src.dropped = true;
    Ok(())
}

pub(super) fn last_scene(index: u32) -> Error {
    Error::InvalidField(InputProblem::Other(format!(
        "scene {index} is the only scene left in the video; it cannot be left out"
    )))
}
