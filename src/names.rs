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

/// `input` read as "`<left> -> <right>`" (or `→`), or compactly as "`<left>-<right>`" (the
/// first `-` at which both sides parse: "int8-int32", "fp8-e4m3-fp32"); `None` when no
/// split parses, so the caller reports its own error.
pub(crate) fn split_pair<L, R>(
    input: &str,
    left: impl Fn(&str) -> crate::Result<L>,
    right: impl Fn(&str) -> crate::Result<R>,
) -> Option<(L, R)> {
    for arrow in ["->", "→"] {
        if let Some((l, r)) = input.split_once(arrow) {
            return Some((left(l.trim()).ok()?, right(r.trim()).ok()?));
        }
    }
    input.match_indices('-').find_map(|(i, _)| {
        Some((
            left(input[..i].trim()).ok()?,
            right(input[i + 1..].trim()).ok()?,
        ))
    })
}

/// `input` without a trailing "` (<note>)`", and the note.
pub(crate) fn split_note(input: &str) -> (&str, Option<&str>) {
    let t = input.trim();
    match t.strip_suffix(')').and_then(|b| b.rsplit_once('(')) {
        Some((head, note)) => (head.trim(), Some(note.trim())),
        None => (t, None),
    }
}

/// `input` without a leading "`<x> x `" (or `×`) that repeats the rest: "INT8 x INT8" is
/// "INT8" (the printed form names both operands); an unrepeated side is kept whole.
pub(crate) fn strip_square(input: &str) -> &str {
    let t = input.trim();
    for times in [" x ", " X ", "×"] {
        if let Some((a, b)) = t.split_once(times) {
            if normalize(a) == normalize(b) {
                return b.trim();
            }
        }
    }
    t
}

/// `Serialize` as the printed name and `Deserialize` through `FromStr` (so a value read from a
/// file is validated as a parsed one is), for types whose fields are private or whose name is
/// what a configuration file should hold ("e4m3", "Q4.4"). `serde_via_str!(T as T::f)` writes
/// `f(&value)` (a `String` that `FromStr` reads back) instead of the `Display` name.
#[cfg(feature = "serde")]
macro_rules! serde_via_str {
    ($t:ty as $name:path) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(&$name(self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
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

/// `Serialize` and `Deserialize` for a type with invariants: the fields as the derive writes
/// them, and after reading, the type's own check (the one its constructors run), so a file
/// cannot hold a value the constructors would refuse. The type derives both traits with
/// `#[serde(remote = "Self")]` (which makes them inherent functions) and names its check:
/// `serde_checked!(GemmShape, |s| GemmShape::new(s.m, s.n, s.k).map(drop))`.
#[cfg(feature = "serde")]
macro_rules! serde_checked {
    ($t:ty, $check:expr) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                <$t>::serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(
                d: D,
            ) -> std::result::Result<Self, D::Error> {
                let v = <$t>::deserialize(d)?;
                let check: fn(&$t) -> $crate::Result<()> = $check;
                check(&v).map_err(serde::de::Error::custom)?;
                Ok(v)
            }
        }
    };
}
#[cfg(feature = "serde")]
pub(crate) use serde_checked;

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
    fn pairs_split_at_the_arrow_or_the_first_dash_that_parses() {
        let num = |s: &str| {
            s.parse::<u32>().map_err(|_| crate::Error::Parse {
                input: s.into(),
                reason: "not a number".into(),
            })
        };
        assert_eq!(split_pair("8 -> 32", num, num), Some((8, 32)));
        assert_eq!(split_pair("8→32", num, num), Some((8, 32)));
        assert_eq!(split_pair("8-32", num, num), Some((8, 32)));
        assert_eq!(split_pair("8 -> x", num, num), None);
        assert_eq!(split_pair("832", num, num), None);
        assert_eq!(
            split_note("a -> b (wrapping)"),
            ("a -> b", Some("wrapping"))
        );
        assert_eq!(split_note("a -> b"), ("a -> b", None));
        assert_eq!(strip_square("INT8 x INT8"), "INT8");
        assert_eq!(strip_square("INT8 x INT4"), "INT8 x INT4");
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
