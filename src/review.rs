//! Ownership and review dates: who owns a page, when it was last reviewed,
//! how often it must be, and which pages are overdue.
//!
//! A page's `owner` and `review_every` come from its own front-matter, else
//! from its default-language original (for a translation), else from its
//! stage's `_index.md` (same language, then default language), else from
//! `review:` in site.yaml. `reviewed` comes from the page or its original
//! only: a page without a review date is "never reviewed", never overdue.
//!
//! "Today" is [`crate::config::Config::today`], set once per build from
//! `LOTSE_TODAY`, else `SOURCE_DATE_EPOCH`, else the system clock (UTC).

use crate::error::Diagnostic;
use crate::frontmatter::{FrontMatter, key_offset};
use crate::model::{Kind, PageId, Site};

/// A calendar date, as days since 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        if !crate::frontmatter::valid_date(s) {
            return None;
        }
        let y: i64 = s[0..4].parse().ok()?;
        let m: i64 = s[5..7].parse().ok()?;
        let d: i64 = s[8..10].parse().ok()?;
        Some(Date::from_ymd(y, m, d))
    }

    /// The date of year `y`, month `m` (1-12), day `d` (1-31).
    fn from_ymd(y: i64, m: i64, d: i64) -> Date {
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    /// Year, month (1-12) and day.
    fn ymd(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    /// The date from seconds since the Unix epoch (UTC).
    pub fn from_unix(secs: i64) -> Date {
        Date(secs.div_euclid(86_400))
    }

    /// Today by the system clock (UTC).
    pub fn system_today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::from_unix(i64::try_from(secs).unwrap_or(0))
    }

    /// `months` calendar months later; the day is clamped to the month's
    /// end (2026-01-31 plus one month is 2026-02-28).
    fn add_months(self, months: i64) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + (m - 1) + months;
        let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        let last = (28..=31).rev().find(|&d| Date::from_ymd(y, m, d).ymd().1 == m).unwrap_or(28);
        Date::from_ymd(y, m, d.min(last))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// "Today" for a build: `LOTSE_TODAY` (`YYYY-MM-DD`), else
/// `SOURCE_DATE_EPOCH` (seconds, as reproducible-build tools set it), else
/// the system clock. An unusable value is an error naming the variable.
pub fn today_from_env() -> Result<Date, String> {
    if let Some(v) = std::env::var_os("LOTSE_TODAY") {
        let v = v.to_string_lossy();
        return Date::parse(v.trim()).ok_or_else(|| format!("LOTSE_TODAY=`{v}` is not a date; write YYYY-MM-DD"));
    }
    if let Some(v) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let v = v.to_string_lossy();
        return v
            .trim()
            .parse::<i64>()
            .map(Date::from_unix)
            .map_err(|_| format!("SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"));
    }
    Ok(Date::system_today())
}

/// A review period: `90 days`, `6 months`, `1 year`, `2 weeks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// How many units.
    pub n: u32,
    /// Days, weeks, months or years.
    pub unit: Unit,
}

/// The unit of a [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks of seven days.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// The longest period accepted, in days (ten years): a longer one is a typo.
const MAX_DAYS: u64 = 3660;

impl Period {
    /// Parses `N unit` (`day(s)`, `week(s)`, `month(s)`, `year(s)`).
    pub fn parse(s: &str) -> Result<Period, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = (&s[..split], s[split..].trim());
        let n: u32 = num.parse().map_err(|_| format!("`{s}` does not start with a number"))?;
        let unit = match unit.to_ascii_lowercase().as_str() {
            "day" | "days" | "d" => Unit::Day,
            "week" | "weeks" | "w" => Unit::Week,
            "month" | "months" => Unit::Month,
            "year" | "years" | "y" => Unit::Year,
            "" => return Err(format!("`{s}` has no unit")),
            other => return Err(format!("unknown unit `{other}`")),
        };
        let p = Period { n, unit };
        if n == 0 || p.approx_days() > MAX_DAYS {
            return Err(format!("`{s}` is outside 1 day to 10 years"));
        }
        Ok(p)
    }

    fn approx_days(self) -> u64 {
        u64::from(self.n)
            * match self.unit {
                Unit::Day => 1,
                Unit::Week => 7,
                Unit::Month => 31,
                Unit::Year => 366,
            }
    }

    /// `date` plus this period.
    pub fn after(self, date: Date) -> Date {
        let n = i64::from(self.n);
        match self.unit {
            Unit::Day => Date(date.0 + n),
            Unit::Week => Date(date.0 + 7 * n),
            Unit::Month => date.add_months(n),
            Unit::Year => date.add_months(12 * n),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        write!(f, "{} {unit}{}", self.n, if self.n == 1 { "" } else { "s" })
    }
}

/// The hint for an unusable period.
pub const PERIOD_HINT: &str = "write a number and a unit, e.g. `90 days`, `6 weeks`, `6 months` or `1 year`";

/// The review facts of one page, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review<'a> {
    /// Who owns the page (a role or a name).
    pub owner: Option<&'a str>,
    /// When it was last reviewed.
    pub reviewed: Option<Date>,
    /// How often it must be reviewed.
    pub every: Option<Period>,
    /// `reviewed` plus `every`.
    pub due: Option<Date>,
}

impl Review<'_> {
    /// Days past the due date on `today` (negative: days left), if due at all.
    pub fn days_overdue(&self, today: Date) -> Option<i64> {
        self.due.map(|d| today.0 - d.0)
    }

    /// Whether the page is past its review date on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        self.days_overdue(today).is_some_and(|d| d > 0)
    }
}

/// The page whose front-matter a translation falls back to: its
/// default-language original (itself for a default-language page).
fn original(site: &Site, id: PageId) -> PageId {
    let default = &site.config.default_language;
    if site.pages[id].lang == *default {
        return id;
    }
    site.translations[id].iter().copied().find(|&t| site.pages[t].lang == *default).unwrap_or(id)
}

/// The stage pages a page of a stage falls back to: same language first.
fn stage_pages(site: &Site, id: PageId) -> Vec<PageId> {
    let page = &site.pages[id];
    let Some(stage) = page.stage.filter(|_| page.kind == Kind::Article) else { return Vec::new() };
    let mut out: Vec<PageId> = Vec::new();
    for lang in [page.lang.as_str(), site.config.default_language.as_str()] {
        let found = site.book(lang).and_then(|b| b.stages.iter().find(|bs| bs.stage == stage)).map(|bs| bs.page);
        out.extend(found.filter(|p| !out.contains(p)));
    }
    out
}

/// The review facts of page `id`, with the fallbacks described above.
pub fn review(site: &Site, id: PageId) -> Review<'_> {
    let own = [id, original(site, id)];
    let metas = || own.iter().chain(stage_pages(site, id).iter()).map(|&p| &site.pages[p].meta).collect::<Vec<_>>();
    let chain = metas();
    let c = &site.config;
    let site_owner = c.review.owner.as_ref().map(|o| o.get(&site.pages[id].lang, &c.default_language));
    let owner = chain.iter().find_map(|m| m.owner()).or(site_owner);
    let every = chain
        .iter()
        .find_map(|m| m.review_every())
        .or(site.config.review.every.as_deref())
        .and_then(|s| Period::parse(s).ok());
    let reviewed = own.iter().find_map(|&p| site.pages[p].meta.reviewed()).and_then(Date::parse);
    let due = reviewed.zip(every).map(|(r, e)| e.after(r));
    Review { owner: owner.filter(|o| !o.trim().is_empty()), reviewed, every, due }
}

/// Today as the site's configuration says (else the system clock).
pub fn today(site: &Site) -> Date {
    site.config.today.unwrap_or_else(Date::system_today)
}

/// A page with a review due date, as `lotse check --stale` and the
/// report list them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Due {
    /// Path relative to the site root.
    pub path: String,
    /// 1-based line and column of `reviewed:` (of the page or its original).
    pub line: usize,
    /// See `line`.
    pub col: usize,
    /// Page title.
    pub title: String,
    /// Language code.
    pub lang: String,
    /// Owner, if any.
    pub owner: Option<String>,
    /// Last review, `YYYY-MM-DD`.
    pub reviewed: String,
    /// The period, e.g. `6 months`.
    pub every: String,
    /// Due date, `YYYY-MM-DD`.
    pub due: String,
    /// Days past the due date (negative: days left).
    pub days_overdue: i64,
}

/// Every page with a due date, most overdue first (then by path).
pub fn due_list(site: &Site) -> Vec<Due> {
    let today = today(site);
    let mut out: Vec<Due> = (0..site.pages.len())
        .filter_map(|id| {
            let r = review(site, id);
            let (reviewed, every, due) = (r.reviewed?, r.every?, r.due?);
            let at = [id, original(site, id)].into_iter().find(|&p| site.pages[p].meta.reviewed().is_some())?;
            let p = &site.pages[at];
            let offset = key_offset(p.yaml(), p.yaml.0, "reviewed").unwrap_or(0);
            let (line, col) = crate::error::line_col(&p.text, offset);
            let page = &site.pages[id];
            Some(Due {
                path: if at == id { page.source.clone() } else { p.source.clone() },
                line,
                col,
                title: page.meta.title().to_string(),
                lang: page.lang.clone(),
                owner: r.owner.map(str::to_string),
                reviewed: reviewed.to_string(),
                every: every.to_string(),
                due: due.to_string(),
                days_overdue: today.0 - due.0,
            })
        })
        .collect();
    out.sort_by(|a, b| b.days_overdue.cmp(&a.days_overdue).then_with(|| (&a.path, &a.lang).cmp(&(&b.path, &b.lang))));
    out
}

/// Errors that need today's date: a `reviewed` date in the future.
pub fn diagnostics(site: &Site) -> Vec<Diagnostic> {
    let today = today(site);
    let mut out = Vec::new();
    for p in &site.pages {
        let Some(date) = p.meta.reviewed().and_then(Date::parse) else { continue };
        if date > today {
            let at = key_offset(p.yaml(), p.yaml.0, "reviewed").unwrap_or(0);
            out.push(
                Diagnostic::error(
                    &p.source,
                    &p.text,
                    at,
                    format!("`reviewed` is in the future ({date}, today is {today})"),
                )
                .with_hint(
                    "write the date of the last review that happened; set LOTSE_TODAY to build as of another day",
                ),
            );
        }
    }
    out
}

/// Checks `owner`, `reviewed` and `review_every` of one page's
/// front-matter (the parts that need no date); `at` finds a key's offset.
pub(crate) fn validate(meta: &FrontMatter, at: &dyn Fn(&str) -> usize) -> Result<(), (usize, String, String)> {
    if let Some(v) = meta.reviewed().filter(|v| Date::parse(v).is_none()) {
        return Err((
            at("reviewed"),
            format!("invalid date `{v}` in `reviewed`"),
            "write dates as YYYY-MM-DD, e.g. 2026-03-31".into(),
        ));
    }
    if let Some(v) = meta.review_every()
        && let Err(why) = Period::parse(v)
    {
        return Err((at("review_every"), format!("invalid period `{v}` in `review_every`: {why}"), PERIOD_HINT.into()));
    }
    if meta.owner().is_some_and(|o| o.trim().is_empty()) {
        return Err((at("owner"), "`owner` is empty".into(), "name a role or a person, or remove the line".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn dates_round_trip_and_count_days() {
        for s in ["1970-01-01", "2000-02-29", "2026-12-31", "2024-03-01"] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("1970-01-02").0, 1);
        assert_eq!(d("2026-03-01").0 - d("2026-02-01").0, 28);
        assert_eq!(Date::from_unix(1_767_225_600).to_string(), "2026-01-01");
        assert!(Date::parse("2026-02-30").is_none());
    }

    #[test]
    fn periods_parse_and_add_calendar_months() {
        assert_eq!(Period::parse("6 months").unwrap(), Period { n: 6, unit: Unit::Month });
        assert_eq!(Period::parse("90 days").unwrap().after(d("2026-01-01")), d("2026-04-01"));
        assert_eq!(Period::parse("1 month").unwrap().after(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(Period::parse("1 year").unwrap().after(d("2024-02-29")), d("2025-02-28"));
        assert_eq!(Period::parse("2 weeks").unwrap().after(d("2026-12-25")), d("2027-01-08"));
        assert_eq!(Period::parse(" 12 Months ").unwrap().to_string(), "12 months");
        for bad in ["six months", "6", "6 fortnights", "0 days", "20 years", ""] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn overdue_counts_days_after_the_due_date() {
        let r = Review { owner: None, reviewed: Some(d("2026-01-01")), every: None, due: Some(d("2026-07-01")) };
        assert_eq!(r.days_overdue(d("2026-07-11")), Some(10));
        assert!(r.overdue(d("2026-07-02")));
        assert!(!r.overdue(d("2026-07-01")), "due today is not overdue yet");
    }
}
