//! The rules for a topic typed into a form — the desktop app's *New video* form and the CLI's
//! `--topic`/`--description` — kept here so that both front ends accept exactly the same input.
//! The app checks each field as it is typed through [`check`] and starts jobs through
//! [`validate`]; its limits ([`FORM_LIMITS`]) are exported to the UI's generated bindings.

use crate::error::{Error, InputProblem, Result};
use crate::topic::{Topic, MAX_TOPIC_CHARS, MIN_TOPIC_CHARS};
use serde::{Deserialize, Serialize};

/// A description needs at least this many characters (after trimming).
pub const MIN_DESCRIPTION_CHARS: usize = 10;

/// The numbers the rules use, for hints and input attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FormLimits {
    pub min_topic_chars: u32,
    pub max_topic_chars: u32,
    pub min_description_chars: u32,
    pub min_scenes: u32,
    pub max_scenes: u32,
}

pub const FORM_LIMITS: FormLimits = FormLimits {
    min_topic_chars: MIN_TOPIC_CHARS as u32,
    max_topic_chars: MAX_TOPIC_CHARS as u32,
    min_description_chars: MIN_DESCRIPTION_CHARS as u32,
    min_scenes: 1,
    max_scenes: crate::model::plan::MAX_SCENES as u32,
};

/// A form as typed: the scene cap is the raw text of its box (empty: the writer decides).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct FormInput {
    pub topic: String,
    pub description: String,
    pub max_scenes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FormField {
    Topic,
    Description,
    MaxScenes,
}

/// What is wrong with one field, in words for the person typing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldProblem {
    pub field: FormField,
    pub message: String,
}

/// A form that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidForm {
    pub topic: Topic,
    pub max_scenes: Option<u32>,
}

fn problem(field: FormField, message: String) -> FieldProblem {
    FieldProblem { field, message }
}

/// Checks a scene cap (the CLI's `--max-scenes`, a JSON field): 1 to [`FormLimits::max_scenes`].
pub fn check_scenes(n: u32) -> std::result::Result<u32, FieldProblem> {
    let l = FORM_LIMITS;
    if (l.min_scenes..=l.max_scenes).contains(&n) {
        Ok(n)
    } else {
        Err(problem(
            FormField::MaxScenes,
            format!(
                "Scenes: a whole number from {} to {}.",
                l.min_scenes, l.max_scenes
            ),
        ))
    }
}

fn parse_scenes(text: &str) -> std::result::Result<Option<u32>, FieldProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) => check_scenes(n).map(Some),
        Err(_) => Err(check_scenes(0).unwrap_err()),
    }
}

fn topic_problem(topic: &str, description: &str) -> std::result::Result<Topic, FieldProblem> {
    match Topic::from_form(topic, description) {
        Ok(t) => Ok(t),
        Err(Error::InvalidField(InputProblem::TopicTooShort(_))) => Err(problem(
            FormField::Topic,
            format!("The topic needs at least {MIN_TOPIC_CHARS} characters."),
        )),
        Err(_) => Err(problem(
            FormField::Topic,
            "Enter a topic, e.g. “Pythagorean theorem”.".into(),
        )),
    }
}

/// Every problem of the form (empty when it is valid), in field order.
pub fn check(input: &FormInput) -> Vec<FieldProblem> {
    match validate_fields(input) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

fn validate_fields(input: &FormInput) -> std::result::Result<ValidForm, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let topic = topic_problem(&input.topic, &input.description)
        .map_err(|p| problems.push(p))
        .ok();
    let chars = input.description.trim().chars().count();
    if chars < MIN_DESCRIPTION_CHARS {
        problems.push(problem(
            FormField::Description,
            format!("Describe it in at least {MIN_DESCRIPTION_CHARS} characters ({chars} so far)."),
        ));
    }
    let max_scenes = parse_scenes(&input.max_scenes)
        .map_err(|p| problems.push(p))
        .ok()
        .flatten();
    match topic {
        Some(topic) if problems.is_empty() => Ok(ValidForm { topic, max_scenes }),
        _ => Err(problems),
    }
}

/// The form as a topic and a scene cap, or `invalid_input` with the first problem's words.
pub fn validate(input: &FormInput) -> Result<ValidForm> {
    validate_fields(input).map_err(|problems| {
        let first = problems.into_iter().next().map(|p| p.message);
        Error::InvalidField(InputProblem::Other(first.unwrap_or_default()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(topic: &str, description: &str, max_scenes: &str) -> FormInput {
        FormInput {
            topic: topic.into(),
            description: description.into(),
            max_scenes: max_scenes.into(),
        }
    }

    fn fields(input: &FormInput) -> Vec<FormField> {
        check(input).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_good_form_passes_with_its_scene_cap() {
        let v = validate(&form(
            "  Pythagoras ",
            "a² + b² = c² for right triangles",
            " 2 ",
        ))
        .unwrap();
        assert_eq!(v.topic.title, "Pythagoras");
        assert_eq!(v.max_scenes, Some(2));
        assert_eq!(
            validate(&form("abc", "0123456789", "")).unwrap().max_scenes,
            None
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        assert_eq!(
            fields(&form("", "", "")),
            [FormField::Topic, FormField::Description]
        );
        assert!(check(&form("", "x", ""))[0]
            .message
            .starts_with("Enter a topic"));
        // Whitespace collapses before counting, and characters are counted, not bytes.
        assert_eq!(fields(&form(" a   ", "0123456789", "")), [FormField::Topic]);
        assert_eq!(
            fields(&form("äöü", "ééééééééé", "")),
            [FormField::Description]
        );
        assert_eq!(fields(&form("äöü", "éééééééééé", "")), []);
        for bad in ["0", "8", "2.5", "-1", "two"] {
            assert_eq!(
                fields(&form("abc", "0123456789", bad)),
                [FormField::MaxScenes],
                "{bad}"
            );
        }
    }

    #[test]
    fn an_invalid_form_is_invalid_input_with_the_first_problem() {
        let e = validate(&form("ab", "short", "")).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
        assert!(e.to_string().contains("at least 3 characters"), "{e}");
    }

    #[test]
    fn scene_caps_follow_the_writers_limit() {
        assert_eq!(check_scenes(crate::model::plan::MAX_SCENES as u32), Ok(7));
        assert!(check_scenes(0).is_err());
    }
}
