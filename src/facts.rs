//! The facts box: `facts:` in an article's front-matter, the things a reader
//! scans first (time needed, who takes part). Four keys are known, with
//! checked values and labels in the theme's language; any other key is
//! shown as written.
//!
//! | key | value |
//! |---|---|
//! | `duration`, `preparation` | a time: `90 min`, `60-90 min`, `1.5 h`, `2 days` |
//! | `participants` | a number or range: `6`, `4-8`, `8+` |
//! | `difficulty` | `easy`, `medium` or `hard` |

use std::collections::BTreeMap;

use serde::Serialize;

/// The known keys, with what their values must be.
pub const KNOWN: [&str; 4] = ["duration", "participants", "preparation", "difficulty"];

const DIFFICULTIES: [&str; 3] = ["easy", "medium", "hard"];

/// A time unit of a duration, with the names an author may write.
const UNITS: [(&str, &[&str]); 3] =
    [("min", &["min", "mins", "minute", "minutes"]), ("hour", &["h", "hour", "hours"]), ("day", &["day", "days"])];

/// A checked duration: `from`(-`to`) `unit`.
#[derive(Debug, Clone, PartialEq)]
struct Duration<'a> {
    from: &'a str,
    to: Option<&'a str>,
    unit: &'static str,
}

fn number(s: &str) -> Option<&str> {
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !s.starts_with('.')
        && !s.ends_with('.')
        && s.matches('.').count() <= 1;
    ok.then_some(s)
}

/// Splits `a-b` or `a–b` (en dash) into its two ends.
fn range(s: &str) -> (&str, Option<&str>) {
    match s.split_once(['-', '–']) {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (s.trim(), None),
    }
}

fn duration(s: &str) -> Option<Duration<'_>> {
    let s = s.trim();
    let split = s.rfind(|c: char| c.is_ascii_digit())? + 1;
    let (nums, unit) = (&s[..split], s[split..].trim().trim_end_matches('.'));
    let unit = UNITS.iter().find(|(_, names)| names.contains(&unit.to_ascii_lowercase().as_str()))?.0;
    let (from, to) = range(nums);
    Some(Duration {
        from: number(from)?,
        to: match to {
            Some(t) => Some(number(t)?),
            None => None,
        },
        unit,
    })
}

fn participants(s: &str) -> bool {
    let s = s.trim();
    if let Some(n) = s.strip_suffix('+') {
        return n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty();
    }
    let (a, b) = range(s);
    let int = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    int(a) && b.is_none_or(int)
}

/// Checks the facts; `at(key, value)` finds where an entry is written.
/// Returns the offset, message and hint of the first problem.
pub fn validate(facts: &[(String, String)], at: &dyn Fn(&str, &str) -> usize) -> Result<(), (usize, String, String)> {
    for (i, (key, value)) in facts.iter().enumerate() {
        let err = |message: String, hint: &str| Err((at(key, key), message, hint.to_string()));
        if facts[..i].iter().any(|(k, _)| k == key) {
            return err(format!("fact `{key}` appears twice"), "keep one of the two lines");
        }
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return err(format!("fact name `{key}` is not a plain name"), "use letters, digits, `-` or `_`");
        }
        if value.trim().is_empty() {
            return err(format!("fact `{key}` is empty"), "give it a value, or remove the line");
        }
        if value.chars().any(char::is_control) {
            return err(format!("fact `{key}` contains a control character"), "write it on one line");
        }
        let ok = match key.as_str() {
            "duration" | "preparation" => duration(value).is_some(),
            "participants" => participants(value),
            "difficulty" => DIFFICULTIES.contains(&value.trim()),
            _ => true,
        };
        if !ok {
            let hint = match key.as_str() {
                "duration" | "preparation" => "write a time such as `90 min`, `60-90 min`, `1.5 h` or `2 days`",
                "participants" => "write a number or a range such as `6`, `4-8` or `8+`",
                _ => "use one of `easy`, `medium`, `hard`",
            };
            return Err((at(key, value), format!("invalid value `{value}` for fact `{key}`"), hint.into()));
        }
    }
    Ok(())
}

/// A fact as the templates show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactView {
    /// The key as written (`duration`, or a free key).
    pub key: String,
    /// The label in the page's language.
    pub label: String,
    /// The value in the page's language.
    pub value: String,
}

/// The facts with labels and values in the language of `strings` (the
/// theme's UI strings: `fact_<key>`, `difficulty_<value>`, `unit_<unit>`,
/// `unit_<unit>s`, `decimal_mark`).
pub fn view(facts: &[(String, String)], strings: &BTreeMap<String, String>) -> Vec<FactView> {
    facts
        .iter()
        .map(|(key, value)| FactView {
            key: key.clone(),
            label: strings.get(&format!("fact_{key}")).cloned().unwrap_or_else(|| humanise(key)),
            value: show(key, value, strings),
        })
        .collect()
}

/// `team_size` -> `Team size`.
fn humanise(key: &str) -> String {
    let spaced = key.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

fn show(key: &str, value: &str, strings: &BTreeMap<String, String>) -> String {
    let s = |k: &str| strings.get(k).map(String::as_str);
    let dec = |n: &str| n.replace('.', s("decimal_mark").unwrap_or("."));
    match key {
        "duration" | "preparation" => match duration(value) {
            Some(d) => {
                let plural = d.to.is_some() || d.from != "1";
                let unit_key = format!("unit_{}{}", d.unit, if plural { "s" } else { "" });
                let unit = s(&unit_key).unwrap_or(d.unit);
                match d.to {
                    Some(to) => format!("{}–{} {unit}", dec(d.from), dec(to)),
                    None => format!("{} {unit}", dec(d.from)),
                }
            }
            None => value.to_string(),
        },
        "participants" => match range(value) {
            (a, Some(b)) => format!("{a}–{b}"),
            (a, None) => a.to_string(),
        },
        "difficulty" => s(&format!("difficulty_{}", value.trim())).unwrap_or(value).to_string(),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn accepts_known_values_and_free_keys() {
        let f = facts(&[
            ("duration", "60-90 min"),
            ("preparation", "1.5 h"),
            ("participants", "4–8"),
            ("difficulty", "medium"),
            ("room", "Large meeting room"),
        ]);
        assert_eq!(validate(&f, &|_, _| 0), Ok(()));
        assert_eq!(validate(&facts(&[("participants", "12+"), ("duration", "2 days")]), &|_, _| 0), Ok(()));
    }

    #[test]
    fn rejects_bad_values_with_a_hint() {
        for (k, v) in [("duration", "long"), ("duration", "90"), ("participants", "a few"), ("difficulty", "tricky")] {
            let e = validate(&facts(&[(k, v)]), &|_, _| 7).unwrap_err();
            assert_eq!((e.0, e.1.as_str()), (7, format!("invalid value `{v}` for fact `{k}`").as_str()));
        }
        let e = validate(&facts(&[("a", "1"), ("a", "2")]), &|_, _| 0).unwrap_err();
        assert_eq!(e.1, "fact `a` appears twice");
    }

    #[test]
    fn shows_values_in_the_language() {
        let de: BTreeMap<String, String> = [
            ("fact_duration", "Dauer"),
            ("unit_mins", "Min."),
            ("unit_hours", "Std."),
            ("unit_day", "Tag"),
            ("decimal_mark", ","),
            ("difficulty_hard", "anspruchsvoll"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let v = view(
            &facts(&[
                ("duration", "60-90 min"),
                ("preparation", "1.5 h"),
                ("difficulty", "hard"),
                ("team_size", "3"),
                ("participants", "4-8"),
            ]),
            &de,
        );
        let shown: Vec<(&str, &str)> = v.iter().map(|f| (f.label.as_str(), f.value.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("Dauer", "60–90 Min."),
                ("Preparation", "1,5 Std."),
                ("Difficulty", "anspruchsvoll"),
                ("Team size", "3"),
                ("Participants", "4–8")
            ]
        );
        assert_eq!(view(&facts(&[("duration", "1 day")]), &de)[0].value, "1 Tag");
    }
}
