//! Calendar dates and review periods: `YYYY-MM-DD` dates as day numbers,
//! periods such as `6 months`, "today" for a build, and the checks of the
//! review fields wherever they are written (front-matter, site.yaml).

/// A calendar date, as days since 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|p| p.iter().all(u8::is_ascii_digit));
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
            return None;
        }
        let y: i64 = s[0..4].parse().ok()?;
        let m: i64 = s[5..7].parse().ok()?;
        let d: i64 = s[8..10].parse().ok()?;
        // A day the month does not have comes back as another date.
        let date = Date::from_ymd(y, m, d);
        ((1..=12).contains(&m) && date.ymd() == (y, m, d)).then_some(date)
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

    /// The period in days, months counted as 31 and years as 366.
    pub fn approx_days(self) -> u64 {
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

/// Checks `owner`, `reviewed` and `review_every` of one page's
/// front-matter (the parts that need no date); `at` finds a key's offset.
pub(crate) fn validate_review(
    reviewed: Option<&str>,
    review_every: Option<&str>,
    owner: Option<&str>,
    at: &dyn Fn(&str) -> usize,
) -> Result<(), (usize, String, String)> {
    if let Some(v) = reviewed.filter(|v| Date::parse(v).is_none()) {
        return Err((
            at("reviewed"),
            format!("invalid date `{v}` in `reviewed`"),
            "write dates as YYYY-MM-DD, e.g. 2026-03-31".into(),
        ));
    }
    if let Some(v) = review_every
        && let Err(why) = Period::parse(v)
    {
        return Err((at("review_every"), format!("invalid period `{v}` in `review_every`: {why}"), PERIOD_HINT.into()));
    }
    if owner.is_some_and(|o| o.trim().is_empty()) {
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
}
