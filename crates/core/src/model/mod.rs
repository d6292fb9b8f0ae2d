//! The shared model at the bottom of the core: what a job asks for and what the store keeps
//! ([`job`]), the writer's outline, scene plans and narration timing ([`plan`]), and which voice
//! narrates ([`voice`]), and the scene studio's versions and edits ([`versions`]). Plain data with validation; no I/O.

pub mod job;
pub mod plan;
pub mod versions;
pub mod voice;
