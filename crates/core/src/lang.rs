//! The video's language: set on the topic (`language` in its metadata, from `--language` or a
//! JSON entry's field) or detected from its text. It chooses the words the templates put on
//! screen, the narration voice and the font.

use crate::topic::Topic;
use serde::{Deserialize, Serialize};

/// The languages the offline writer and the default voice speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
    Es,
    Zh,
}

/// The topic metadata key that fixes the language.
pub const META_KEY: &str = "language";

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::De, Lang::Fr, Lang::Es, Lang::Zh];

    /// The ISO 639-1 code (`en`, `de`…).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Zh => "zh",
        }
    }

    /// Reads `de`, `de-DE`, `German`, `deutsch`, `zh-CN`… (case-insensitive).
    pub fn parse(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        let head = t.split(['-', '_']).next().unwrap_or("");
        Some(match head {
            "en" | "english" => Lang::En,
            "de" | "german" | "deutsch" => Lang::De,
            "fr" | "french" | "français" | "francais" => Lang::Fr,
            "es" | "spanish" | "español" | "espanol" => Lang::Es,
            "zh" | "cmn" | "chinese" | "中文" => Lang::Zh,
            _ => return None,
        })
    }

    /// The espeak-ng voice that speaks it.
    pub fn espeak_voice(self) -> &'static str {
        match self {
            Lang::En => "en-us",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Zh => "cmn",
        }
    }

    /// Font families that cover its script, best first (fontconfig names).
    pub fn fonts(self) -> &'static [&'static str] {
        match self {
            Lang::Zh => &[
                "Noto Sans CJK SC",
                "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei",
                "AR PL UMing CN",
            ],
            _ => &["DejaVu Sans"],
        }
    }

    /// The Debian package that installs its first font.
    pub fn font_package(self) -> &'static str {
        match self {
            Lang::Zh => "fonts-wqy-microhei",
            _ => "fonts-dejavu-core",
        }
    }

    /// Detects the language of a text: CJK characters, else the most frequent function words.
    pub fn detect(text: &str) -> Lang {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count().max(1);
        let cjk = text
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count();
        if cjk * 5 >= letters {
            return Lang::Zh;
        }
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        let score = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
        let scores = [
            (Lang::En, score(EN)),
            (Lang::De, score(DE)),
            (Lang::Fr, score(FR)),
            (Lang::Es, score(ES)),
        ];
        let best = scores.iter().max_by_key(|(_, s)| *s).copied();
        match best {
            Some((l, s)) if s > 0 && s > scores[0].1 => l,
            _ => Lang::En,
        }
    }

    /// The topic's language: its `language` field when it names one, else detected.
    pub fn of_topic(topic: &Topic) -> Lang {
        if let Some(l) = topic
            .metadata
            .get(META_KEY)
            .and_then(|v| v.as_str())
            .and_then(Lang::parse)
        {
            return l;
        }
        let mut text = format!("{}\n{}", topic.title, topic.description);
        for s in &topic.sections {
            text.push('\n');
            text.push_str(&s.heading);
            text.push('\n');
            text.push_str(&s.body);
        }
        Lang::detect(&text)
    }
}

/// A language whose script no installed font covers: what the doctor reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingFont {
    pub lang: Lang,
    /// The Debian package that fixes it.
    pub package: &'static str,
}

/// The installed font families (fontconfig's `fc-list : family`), one name per entry.
pub fn installed_families() -> Vec<String> {
    let Ok(out) = std::process::Command::new("fc-list")
        .args([":", "family"])
        .stdin(std::process::Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .flat_map(|l| l.split(',').map(|f| f.trim().to_string()))
        .filter(|f| !f.is_empty())
        .collect()
}

/// The first of `lang`'s fonts among `families`.
pub fn font_among(lang: Lang, families: &[String]) -> Option<&'static str> {
    lang.fonts()
        .iter()
        .copied()
        .find(|f| families.iter().any(|x| x.eq_ignore_ascii_case(f)))
}

/// The doctor's font check: every language whose script has no installed font (empty when all
/// are covered).
pub fn missing_fonts() -> Vec<MissingFont> {
    let families = installed_families();
    Lang::ALL
        .iter()
        .filter(|l| font_among(**l, &families).is_none())
        .map(|&lang| MissingFont {
            lang,
            package: lang.font_package(),
        })
        .collect()
}

const EN: &[&str] = &[
    "the", "and", "of", "is", "a", "to", "in", "that", "it", "with", "are", "for", "on", "this",
];
const DE: &[&str] = &[
    "der", "die", "das", "und", "ist", "ein", "eine", "von", "mit", "den", "dem", "nicht", "zu",
    "sich", "im", "auf", "des", "wird", "sind",
];
const FR: &[&str] = &[
    "le", "la", "les", "et", "est", "un", "une", "des", "du", "de", "que", "dans", "pour", "sur",
    "au", "avec", "sont", "qui",
];
const ES: &[&str] = &[
    "el", "la", "los", "las", "y", "es", "un", "una", "del", "de", "que", "en", "por", "con", "se",
    "para", "son", "al",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_language_of_a_text() {
        let cases = [
            ("In a right triangle the square of the hypotenuse is the sum of the squares.", Lang::En),
            ("In einem rechtwinkligen Dreieck ist das Quadrat der Hypotenuse gleich der Summe der Quadrate.", Lang::De),
            ("Dans un triangle rectangle, le carré de l'hypoténuse est égal à la somme des carrés des deux autres côtés.", Lang::Fr),
            ("En un triángulo rectángulo, el cuadrado de la hipotenusa es igual a la suma de los cuadrados de los catetos.", Lang::Es),
            ("在直角三角形中，斜边的平方等于两条直角边的平方和。", Lang::Zh),
            ("", Lang::En),
        ];
        for (text, want) in cases {
            assert_eq!(Lang::detect(text), want, "{text}");
        }
    }

    #[test]
    fn the_topic_field_wins_over_detection() {
        let mut t =
            Topic::from_form("Satz des Pythagoras", "Das ist ein Satz über die Dreiecke.").unwrap();
        assert_eq!(Lang::of_topic(&t), Lang::De);
        t.metadata.insert(META_KEY.into(), "fr-FR".into());
        assert_eq!(Lang::of_topic(&t), Lang::Fr);
        t.metadata.insert(META_KEY.into(), "klingon".into());
        assert_eq!(Lang::of_topic(&t), Lang::De, "an unknown name is ignored");
        assert_eq!(Lang::parse("Deutsch"), Some(Lang::De));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    }

    #[test]
    fn fonts_are_matched_by_family_name() {
        let fams: Vec<String> = ["DejaVu Sans", "WenQuanYi Micro Hei"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(font_among(Lang::Zh, &fams), Some("WenQuanYi Micro Hei"));
        assert_eq!(font_among(Lang::Zh, &fams[..1]), None);
        assert_eq!(font_among(Lang::De, &fams), Some("DejaVu Sans"));
        // On this machine (fontconfig runs for real): what is missing is named with its package.
        for m in missing_fonts() {
            assert!(m.package.starts_with("fonts-"), "{m:?}");
        }
    }
}
