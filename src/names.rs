//! Parsing printed names back: the one normalisation every `FromStr` of a name uses, and the
//! one error it returns.
//!
//! Names are matched case-insensitively with spaces, `-` and `_` ignored, so "FP8 E4M3",
//! "fp8-e4m3" and "FP8_E4M3" are one name, and "Kogge-Stone" is "kogge stone".

use crate::Error;

/// `s` lowercased, with whitespace, `-` and `_` removed.
pub(crate) fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '_')))
        .flat_map(char::to_lowercase)
        .collect()
}

/// [`Error::Parse`] for a name that is none of `accepted` (listed in the message).
pub(crate) fn unknown(what: &str, input: &str, accepted: &[&str]) -> Error {
    Error::Parse {
        input: input.to_string(),
        reason: format!(
            "not {} {what}; expected one of: {}",
            article(what),
            accepted.join(", ")
        ),
    }
}

/// "an" before a vowel sound ("an adder architecture", "an FP format"), else "a" ("a float
/// format", "a unit"): the first letter decides, with the usual exceptions for a vowel letter
/// read as a consonant ("uni…", "use…") and an initialism whose letter name starts with a vowel
/// sound (F, H, L, M, N, R, S, X).
fn article(what: &str) -> &'static str {
    let word = what.split_whitespace().next().unwrap_or("");
    let lower = word.to_lowercase();
    let initialism = word.len() > 1
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let vowel_sound = match lower.chars().next() {
        Some(c) if initialism => "aefhilmnorsx".contains(c),
        Some('a' | 'e' | 'i' | 'o') => true,
        Some('u') => !(lower.starts_with("uni") || lower.starts_with("use")),
        _ => false,
    };
    if vowel_sound { "an" } else { "a" }
}

/// The entry of `table` whose name (or alias) normalises like `input`, else
/// [`unknown`]`(what, input, primary names)`.
pub(crate) fn lookup<T: Copy>(what: &str, input: &str, table: &[(&[&str], T)]) -> crate::Result<T> {
    let key = normalize(input);
    table
        .iter()
        .find(|(names, _)| names.iter().any(|n| normalize(n) == key))
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let primary: Vec<&str> = table.iter().map(|(n, _)| n[0]).collect();
            unknown(what, input, &primary)
        })
}

/// `Serialize` as the printed name and `Deserialize` through `FromStr` (so a value read from a
/// file is validated as a parsed one is), for types whose fields are private or whose name is
/// what a configuration file should hold ("e4m3", "Q4.4").
#[cfg(feature = "serde")]
macro_rules! serde_via_str {
    ($($t:ty),+ $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )+};
}
#[cfg(feature = "serde")]
pub(crate) use serde_via_str;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_case_spaces_dashes_underscores() {
        assert_eq!(normalize(" FP8 E4M3 "), "fp8e4m3");
        assert_eq!(normalize("Kogge-Stone"), "koggestone");
        assert_eq!(normalize("q4_4"), "q44");
    }

    #[test]
    fn the_article_follows_the_sound() {
        assert_eq!(article("adder architecture"), "an");
        assert_eq!(article("float format"), "a");
        assert_eq!(article("FP format"), "an");
        assert_eq!(article("MAC preset"), "an");
        assert_eq!(article("unit"), "a");
        assert_eq!(article("unsigned format"), "an");
        assert_eq!(article("dataflow"), "a");
    }

    #[test]
    fn lookup_names_the_input_and_the_choices() {
        let table: &[(&[&str], u8)] = &[(&["one", "1"], 1), (&["two"], 2)];
        assert_eq!(lookup("number", "ONE", table).unwrap(), 1);
        assert_eq!(lookup("number", "1", table).unwrap(), 1);
        assert_eq!(
            lookup("number", "three", table).unwrap_err().to_string(),
            "cannot parse \"three\": not a number; expected one of: one, two"
        );
    }
}
