//! Kyrgyz working days, for the promise that a paid registration is decided "within one
//! working day". Weekends and the public holidays of the Labour Code (article 113) are
//! not working days; a holiday that falls on a weekend moves its day off to the next
//! working day, as the Code says. The Muslim holidays (Orozo Ait, Kurman Ait) move with
//! the moon and are fixed each year by the government, as are transfers of working days:
//! the years known here are listed below, and configuration adds holidays and working
//! days (`EREG_EXTRA_HOLIDAYS`, `EREG_EXTRA_WORKING_DAYS`) without a new release.

use std::collections::BTreeSet;

use time::macros::{date, offset, time};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Weekday};

/// The public holidays that fall on the same day every year: New Year, Orthodox
/// Christmas, Defender of the Fatherland Day, International Women's Day, Nooruz, the Day
/// of the People's April Revolution, Labour Day, Constitution Day, Victory Day,
/// Independence Day and the Days of History and Commemoration of Ancestors.
const FIXED: [(Month, u8); 12] = [
    (Month::January, 1),
    (Month::January, 7),
    (Month::February, 23),
    (Month::March, 8),
    (Month::March, 21),
    (Month::April, 7),
    (Month::May, 1),
    (Month::May, 5),
    (Month::May, 9),
    (Month::August, 31),
    (Month::November, 7),
    (Month::November, 8),
];

/// Orozo Ait and Kurman Ait as announced or, for later years, as the calendar of the
/// Muftiate expects them; each year's decree is what counts, so a date that differs is
/// set in configuration.
const LUNAR: [Date; 6] = [
    date!(2025 - 03 - 30),
    date!(2025 - 06 - 06),
    date!(2026 - 03 - 20),
    date!(2026 - 05 - 27),
    date!(2027 - 03 - 10),
    date!(2027 - 05 - 16),
];

/// The years the fixed holidays are laid out for.
const YEARS: std::ops::RangeInclusive<i32> = 2024..=2040;

/// When an operator's working day ends, Bishkek time.
const CLOSE_OF_DAY: time::Time = time!(18:00);

/// Which days are working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    days_off: BTreeSet<Date>,
    working_weekend_days: BTreeSet<Date>,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar::kyrgyz(&[], &[])
    }
}

impl WorkCalendar {
    /// The Kyrgyz calendar, with `extra_holidays` off and `extra_working_days` (weekend
    /// days a decree made working) worked.
    pub fn kyrgyz(extra_holidays: &[Date], extra_working_days: &[Date]) -> Self {
        let mut holidays: Vec<Date> = YEARS
            .flat_map(|year| {
                FIXED.iter().filter_map(move |&(month, day)| {
                    Date::from_calendar_date(year, month, day).ok()
                })
            })
            .chain(LUNAR)
            .collect();
        holidays.sort();
        let mut days_off = BTreeSet::new();
        for holiday in holidays {
            days_off.insert(holiday);
            if is_weekend(holiday) {
                // The weekend day off moves to the next day that is neither weekend
                // nor a holiday already.
                let mut moved = holiday + Duration::days(1);
                while is_weekend(moved) || days_off.contains(&moved) || is_holiday_itself(moved) {
                    moved += Duration::days(1);
                }
                days_off.insert(moved);
            }
        }
        days_off.extend(extra_holidays.iter().copied());
        WorkCalendar {
            days_off,
            working_weekend_days: extra_working_days.iter().copied().collect(),
        }
    }

    /// Whether `day` is a working day.
    pub fn is_working(&self, day: Date) -> bool {
        if self.working_weekend_days.contains(&day) {
            return true;
        }
        !is_weekend(day) && !self.days_off.contains(&day)
    }

    /// The first working day after `day`.
    pub fn next_working_after(&self, day: Date) -> Date {
        let mut next = day + Duration::days(1);
        while !self.is_working(next) {
            next += Duration::days(1);
        }
        next
    }

    /// The days (in Bishkek) whose payments are due on `day`: from the last working day
    /// before it up to the day before it. None when `day` is no working day.
    pub fn paid_days_due_on(&self, day: Date) -> Vec<Date> {
        if !self.is_working(day) {
            return Vec::new();
        }
        let mut days = Vec::new();
        let mut paid = day - Duration::days(1);
        // At most a few weeks of days off in a row; the bound keeps a misconfigured
        // calendar from looping for ever.
        for _ in 0..60 {
            days.push(paid);
            if self.is_working(paid) {
                break;
            }
            paid -= Duration::days(1);
        }
        days.reverse();
        days
    }

    /// When a registration paid at `paid_at` is due to be decided: the close of the
    /// first working day after the day (in Bishkek) it was paid. Paid on a Friday
    /// evening before a Monday holiday, it is due on Tuesday at 18:00.
    pub fn decision_due(&self, paid_at: OffsetDateTime) -> OffsetDateTime {
        let paid_day = paid_at.to_offset(offset!(+6)).date();
        PrimitiveDateTime::new(self.next_working_after(paid_day), CLOSE_OF_DAY)
            .assume_offset(offset!(+6))
            .to_offset(offset!(UTC))
    }
}

/// Whether `day` is a holiday of its own (not a day off moved to it).
fn is_holiday_itself(day: Date) -> bool {
    FIXED.contains(&(day.month(), day.day())) || LUNAR.contains(&day)
}

fn is_weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Dates written `YYYY-MM-DD`, separated by commas; the error is the first that is not.
pub fn parse_days(raw: &str) -> Result<Vec<Date>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|day| !day.is_empty())
        .map(|day| crate::account::values::parse_date(day).map_err(|_| day.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn kyrgyz() -> WorkCalendar {
        WorkCalendar::default()
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        let calendar = kyrgyz();
        assert!(calendar.is_working(date!(2026 - 12 - 07)), "a Monday");
        assert!(!calendar.is_working(date!(2026 - 12 - 05)), "a Saturday");
        assert!(
            !calendar.is_working(date!(2026 - 08 - 31)),
            "Independence Day"
        );
        assert!(!calendar.is_working(date!(2026 - 03 - 20)), "Orozo Ait");
        assert!(!calendar.is_working(date!(2027 - 01 - 07)), "Christmas");
    }

    #[test]
    fn a_holiday_on_a_weekend_moves_its_day_off_to_the_next_working_day() {
        let calendar = kyrgyz();
        // 2027-03-21, Nooruz, is a Sunday: Monday the 22nd is off.
        assert!(!calendar.is_working(date!(2027 - 03 - 22)));
        // 2026-11-07 and 08 are a Saturday and a Sunday: Monday and Tuesday are off.
        assert!(!calendar.is_working(date!(2026 - 11 - 09)));
        assert!(!calendar.is_working(date!(2026 - 11 - 10)));
        assert!(calendar.is_working(date!(2026 - 11 - 11)));
    }

    #[test]
    fn paid_on_a_friday_evening_before_a_holiday_is_due_the_next_working_day() {
        let calendar = kyrgyz();
        // Friday 2026-08-28 at 20:00 in Bishkek; Monday the 31st is Independence Day.
        let due = calendar.decision_due(datetime!(2026 - 08 - 28 14:00 UTC));
        assert_eq!(due, datetime!(2026 - 09 - 01 18:00 +6));
        // Paid on a working morning: due at the close of the next working day.
        let due = calendar.decision_due(datetime!(2026 - 12 - 08 03:00 UTC));
        assert_eq!(due, datetime!(2026 - 12 - 09 18:00 +6));
        // 19:30 UTC on a Friday is already Saturday in Bishkek: due Monday.
        let due = calendar.decision_due(datetime!(2026 - 12 - 11 19:30 UTC));
        assert_eq!(due, datetime!(2026 - 12 - 14 18:00 +6));
    }

    #[test]
    fn the_payments_due_on_a_day_are_those_of_the_days_off_before_it() {
        let calendar = kyrgyz();
        // Tuesday 2026-09-01: after Friday the 28th, the weekend and Independence Day.
        assert_eq!(
            calendar.paid_days_due_on(date!(2026 - 09 - 01)),
            [28, 29, 30, 31]
                .map(|d| date!(2026 - 08 - 01).replace_day(d).unwrap())
                .to_vec()
        );
        assert_eq!(
            calendar.paid_days_due_on(date!(2026 - 12 - 09)),
            vec![date!(2026 - 12 - 08)]
        );
        assert!(calendar.paid_days_due_on(date!(2026 - 12 - 12)).is_empty());
        for day in calendar.paid_days_due_on(date!(2026 - 09 - 01)) {
            assert_eq!(calendar.next_working_after(day), date!(2026 - 09 - 01));
        }
    }

    #[test]
    fn configuration_adds_holidays_and_working_weekend_days() {
        let calendar = WorkCalendar::kyrgyz(&[date!(2026 - 12 - 31)], &[date!(2026 - 12 - 26)]);
        assert!(!calendar.is_working(date!(2026 - 12 - 31)));
        assert!(
            calendar.is_working(date!(2026 - 12 - 26)),
            "a Saturday made working"
        );
        assert_eq!(
            calendar.next_working_after(date!(2026 - 12 - 30)),
            date!(2027 - 01 - 04)
        );
        assert_eq!(
            parse_days(" 2026-12-31, 2027-01-02 "),
            Ok(vec![date!(2026 - 12 - 31), date!(2027 - 01 - 02)])
        );
        assert_eq!(parse_days("2026-13-01"), Err("2026-13-01".to_owned()));
    }
}
