//! "Confirmed within one working day", measured: of the paid registrations due on one
//! day, how many an operator decided in time, late, or not yet.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::{Stay, StayStatus};
use crate::calendar::WorkCalendar;

/// The registrations due on one day and what became of them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Timeliness {
    /// The day, `YYYY-MM-DD` in Bishkek.
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    /// Paid registrations due that day.
    pub due: u32,
    pub decided_in_time: u32,
    pub decided_late: u32,
    /// Still waiting past their due time.
    pub overdue: u32,
    /// Still waiting, not yet due.
    pub waiting: u32,
    /// Cancelled by the host before a decision: not counted in the share.
    pub withdrawn: u32,
    /// Decided in time, of those decided or overdue; absent when there were none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_in_time: Option<f64>,
}

/// The timeliness of `stays` (the registrations paid on the days due on `day`) at `now`.
pub fn timeliness(
    day: Date,
    stays: &[Stay],
    calendar: &WorkCalendar,
    now: OffsetDateTime,
) -> Timeliness {
    let mut t = Timeliness {
        day,
        due: 0,
        decided_in_time: 0,
        decided_late: 0,
        overdue: 0,
        waiting: 0,
        withdrawn: 0,
        share_in_time: None,
    };
    for stay in stays {
        t.due += 1;
        match stay.decided_in_time(calendar) {
            Some(true) => t.decided_in_time += 1,
            Some(false) => t.decided_late += 1,
            None if stay.overdue(calendar, now) => t.overdue += 1,
            None if stay.status == StayStatus::Paid => t.waiting += 1,
            None => t.withdrawn += 1,
        }
    }
    let counted = t.decided_in_time + t.decided_late + t.overdue;
    t.share_in_time = (counted > 0).then(|| f64::from(t.decided_in_time) / f64::from(counted));
    t
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::stay::samples::paid_stay;

    #[test]
    fn in_time_late_overdue_waiting_and_withdrawn_are_counted_apart() {
        let calendar = WorkCalendar::default();
        // Paid on Friday 2026-08-28 in the evening: due Tuesday 2026-09-01 at 18:00.
        let paid = paid_stay("2026-08-28T14:00:00Z");
        let decided = |at: &str| Stay {
            status: StayStatus::Valid,
            decided_at: Some(at.to_owned()),
            ..paid.clone()
        };
        let stays = [
            decided("2026-09-01T11:59:59Z"),
            decided("2026-09-01T12:00:01Z"),
            paid.clone(),
            Stay {
                status: StayStatus::Cancelled,
                ..paid.clone()
            },
        ];
        let before_due = timeliness(
            date!(2026 - 09 - 01),
            &stays,
            &calendar,
            datetime!(2026 - 09 - 01 10:00 UTC),
        );
        assert_eq!(
            (
                before_due.due,
                before_due.decided_in_time,
                before_due.decided_late,
                before_due.overdue,
                before_due.waiting,
                before_due.withdrawn
            ),
            (4, 1, 1, 0, 1, 1)
        );
        assert_eq!(before_due.share_in_time, Some(0.5));
        let after = timeliness(
            date!(2026 - 09 - 01),
            &stays,
            &calendar,
            datetime!(2026 - 09 - 02 10:00 UTC),
        );
        assert_eq!((after.overdue, after.waiting), (1, 0));
        assert_eq!(after.share_in_time, Some(1.0 / 3.0));
        assert_eq!(
            timeliness(
                date!(2026 - 09 - 01),
                &[],
                &calendar,
                datetime!(2026 - 09 - 02 10:00 UTC)
            )
            .share_in_time,
            None
        );
    }
}
