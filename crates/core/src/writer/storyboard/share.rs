//! How much of a video is pictures: the share of scenes past the title card that show one
//! (the bench reports it for its topics).

use super::design::design;
use crate::model::plan::SceneKind;
use crate::topic::Topic;

/// Scenes past the title card, and how many of them show a picture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PictureShare {
    pub pictured: usize,
    pub scenes: usize,
}

impl PictureShare {
    /// The share in 0..=1 (0 with no scenes).
    pub fn ratio(&self) -> f64 {
        if self.scenes == 0 {
            0.0
        } else {
            self.pictured as f64 / self.scenes as f64
        }
    }

    fn add(self, o: PictureShare) -> PictureShare {
        PictureShare {
            pictured: self.pictured + o.pictured,
            scenes: self.scenes + o.scenes,
        }
    }
}

/// The share for one topic planned with at most `max_scenes` scenes.
pub fn topic_share(topic: &Topic, max_scenes: usize) -> PictureShare {
    let specs = design(topic, max_scenes);
    let past: Vec<_> = specs
        .iter()
        .filter(|s| s.kind != SceneKind::Title)
        .collect();
    PictureShare {
        pictured: past.iter().filter(|s| s.has_picture()).count(),
        scenes: past.len(),
    }
}

/// The share over many topics (scenes counted together).
pub fn picture_share(topics: &[Topic], max_scenes: usize) -> PictureShare {
    topics
        .iter()
        .map(|t| topic_share(t, max_scenes))
        .fold(PictureShare::default(), PictureShare::add)
}
