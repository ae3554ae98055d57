//! The workshop kit's content types: a stage's `workshop:` plan and the
//! ```` ```worksheet ```` blocks of its articles, typed from YAML, and the
//! checks that need the whole site (roles, links, worksheet ids, times).

use serde::{Deserialize, Serialize};

mod check;
pub(crate) use check::check;

/// A stage's workshop plan (`workshop:` in its `_index.md`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workshop {
    /// What the workshop is called.
    pub title: String,
    /// Planned length in minutes; the agenda should add up to it.
    pub duration: u32,
    /// Clock time of the first step, `HH:MM` (default 09:00).
    #[serde(default)]
    pub start: Option<String>,
    /// Who takes part, by the site's roles.
    #[serde(default)]
    pub participants: Vec<String>,
    /// What to bring.
    #[serde(default)]
    pub materials: Vec<String>,
    /// What to do beforehand.
    #[serde(default)]
    pub preparation: Vec<String>,
    /// The steps, in order.
    #[serde(default)]
    pub agenda: Vec<Step>,
}

/// One step of a workshop's agenda.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Its time box.
    pub minutes: u32,
    /// What happens.
    pub title: String,
    /// How (plenary, small groups, ...).
    #[serde(default)]
    pub method: Option<String>,
    /// A relative link to an article, checked like Markdown links.
    #[serde(default)]
    pub link: Option<String>,
    /// The id of a worksheet in one of the stage's articles.
    #[serde(default)]
    pub worksheet: Option<String>,
    /// What the facilitator says, asks or watches for.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Minutes after midnight of the default start, 09:00.
pub const DEFAULT_START: u32 = 9 * 60;

/// `HH:MM` (or `H:MM`) as minutes after midnight.
pub fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let ok = |p: &str, max: u32| {
        (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| n <= max)
    };
    if !ok(h, 23) || m.len() != 2 || !ok(m, 59) {
        return None;
    }
    Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
}

/// Minutes after midnight as `HH:MM` (past midnight wraps around).
pub fn clock(minutes: u32) -> String {
    let m = minutes % (24 * 60);
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl Workshop {
    /// The start in minutes after midnight.
    pub fn start_minutes(&self) -> u32 {
        self.start.as_deref().and_then(parse_clock).unwrap_or(DEFAULT_START)
    }

    /// Sum of the agenda's minutes.
    pub fn agenda_minutes(&self) -> u32 {
        self.agenda.iter().map(|s| s.minutes).fold(0, u32::saturating_add)
    }

    /// Each step's start and end as `HH:MM`.
    pub fn times(&self) -> Vec<(String, String)> {
        let mut at = self.start_minutes();
        self.agenda
            .iter()
            .map(|s| {
                let from = at;
                at = at.saturating_add(s.minutes);
                (clock(from), clock(at))
            })
            .collect()
    }
}

/// Page orientation of a printed worksheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Upright (the default).
    #[default]
    Portrait,
    /// Sideways, for wide tables.
    Landscape,
}

/// A column of a worksheet: a title, or a title with a relative width.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Column {
    /// Just the title (width 1).
    Title(String),
    /// Title and width.
    Sized(SizedColumn),
}

/// A column with a relative width.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizedColumn {
    /// The column's heading.
    pub title: String,
    /// Its share of the width (default 1).
    #[serde(default = "one")]
    pub width: u32,
}

fn one() -> u32 {
    1
}

fn default_rows() -> usize {
    8
}

/// Most empty rows a worksheet may ask for (a few printed pages).
pub const MAX_ROWS: usize = 200;

/// A worksheet block's spec, as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorksheetSpec {
    /// Its id within the stage (default: the title's slug).
    #[serde(default)]
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// A line of instructions.
    #[serde(default)]
    pub intro: Option<String>,
    /// How it is printed.
    #[serde(default)]
    pub orientation: Orientation,
    /// Empty rows to fill in.
    #[serde(default = "default_rows")]
    pub rows: usize,
    /// The table's columns.
    pub columns: Vec<Column>,
    /// An optional filled-in example row, one value per column.
    #[serde(default)]
    pub example: Vec<String>,
}

/// A checked worksheet, as pages and templates use it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Worksheet {
    /// Its id within the stage.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A line of instructions.
    pub intro: Option<String>,
    /// How it is printed.
    pub orientation: Orientation,
    /// Empty rows to fill in.
    pub rows: usize,
    /// Column titles and their widths in percent.
    pub columns: Vec<(String, f32)>,
    /// The example row (empty if none).
    pub example: Vec<String>,
}

/// A problem in a block's YAML: byte index in the block, message, hint.
pub type BlockError = (usize, String, Option<String>);

impl Worksheet {
    /// Checks a worksheet block's parsed `spec`; `yaml` is its text, where
    /// errors point.
    pub fn from_spec(spec: WorksheetSpec, yaml: &str) -> Result<Worksheet, BlockError> {
        let at = |key: &str| yaml.find(&format!("{key}:")).unwrap_or(0);
        let id = spec.id.clone().unwrap_or_else(|| crate::markdown::slugify(&spec.title));
        if spec.title.trim().is_empty() {
            return Err((at("title"), "the worksheet's `title` is empty".into(), Some("give it a title".into())));
        }
        if id.is_empty()
            || id.len() > 64
            || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            let hint = "use lowercase letters, digits and `-`, e.g. `id: goal-map`";
            return Err((at("id"), format!("worksheet id `{id}` cannot be a URL"), Some(hint.into())));
        }
        if spec.columns.is_empty() {
            return Err((at("columns"), "a worksheet needs at least one column".into(), None));
        }
        if spec.rows > MAX_ROWS {
            let msg = format!("{} rows is more than a worksheet prints ({MAX_ROWS} at most)", spec.rows);
            return Err((at("rows"), msg, Some("split it into several worksheets".into())));
        }
        if !spec.example.is_empty() && spec.example.len() != spec.columns.len() {
            let msg = format!("the example has {} values for {} columns", spec.example.len(), spec.columns.len());
            return Err((at("example"), msg, Some("give one value per column, `\"\"` for an empty one".into())));
        }
        let widths: Vec<(String, u32)> = spec
            .columns
            .iter()
            .map(|c| match c {
                Column::Title(t) => (t.clone(), 1),
                Column::Sized(s) => (s.title.clone(), s.width.clamp(1, 100)),
            })
            .collect();
        let total: u32 = widths.iter().map(|(_, w)| w).sum();
        let columns = widths.into_iter().map(|(t, w)| (t, (w as f32 * 1000.0 / total as f32).round() / 10.0)).collect();
        let WorksheetSpec { title, intro, orientation, rows, example, .. } = spec;
        Ok(Worksheet { id, title, intro, orientation, rows, columns, example })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Worksheet {
        fn parse(yaml: &str) -> Result<Worksheet, BlockError> {
            let spec = crate::frontmatter::parse_block(yaml)?;
            Worksheet::from_spec(spec, yaml)
        }
    }

    fn plan(agenda: &[u32]) -> Workshop {
        let step =
            |m: &u32| Step { minutes: *m, title: "x".into(), method: None, link: None, worksheet: None, notes: None };
        Workshop {
            title: "W".into(),
            duration: 90,
            start: Some("13:30".into()),
            participants: vec![],
            materials: vec![],
            preparation: vec![],
            agenda: agenda.iter().map(step).collect(),
        }
    }

    #[test]
    fn agenda_times_run_from_the_start() {
        let w = plan(&[20, 45, 25]);
        assert_eq!(w.agenda_minutes(), 90);
        let times = w.times();
        assert_eq!(times[0], ("13:30".into(), "13:50".into()));
        assert_eq!(times[2], ("14:35".into(), "15:00".into()));
    }

    #[test]
    fn clock_times_are_checked() {
        assert_eq!(parse_clock("09:00"), Some(540));
        assert_eq!(parse_clock("9:05"), Some(545));
        for bad in ["24:00", "9", "09:60", "9:5", "ab:cd", ""] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
        assert_eq!(clock(23 * 60 + 50 + 20), "00:10");
    }

    #[test]
    fn worksheet_columns_get_percent_widths() {
        let w = Worksheet::parse("title: Ziel-Landkarte\ncolumns: [A, {title: B, width: 2}, C]\n").unwrap();
        assert_eq!(w.id, "ziel-landkarte");
        assert_eq!(w.rows, 8);
        assert_eq!(w.columns[1], ("B".into(), 50.0));
        assert_eq!(w.orientation, Orientation::Portrait);
    }

    #[test]
    fn worksheet_errors_point_into_the_block() {
        let text = "title: T\ncolumns: [A, B]\nexample: [x]\n";
        let (at, msg, _) = Worksheet::parse(text).unwrap_err();
        assert_eq!(&text[at..at + 8], "example:");
        assert!(msg.contains("1 values for 2 columns"), "{msg}");
        let (at, msg, hint) = Worksheet::parse("title: T\ncolums: [A]\n").unwrap_err();
        assert_eq!(at, 9);
        assert!(msg.contains("unknown field `colums`"), "{msg}");
        assert_eq!(hint.as_deref(), Some("did you mean `columns`?"));
        assert!(
            Worksheet::parse("title: T\nid: Ziel Karte\ncolumns: [A]\n").unwrap_err().1.contains("cannot be a URL")
        );
    }
}
