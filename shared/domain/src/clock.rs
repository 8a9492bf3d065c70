//! Time as the e-services count it: seconds since the epoch for expiries, RFC 3339 for
//! records, and the calendar date in Bishkek (GMT+6) for rules about days.

use std::time::{SystemTime, UNIX_EPOCH};

use time::{Date, OffsetDateTime, UtcOffset};

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Now in RFC 3339, UTC.
pub fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `secs` since the epoch in RFC 3339, UTC, whole seconds.
pub fn rfc3339(secs: u64) -> String {
    OffsetDateTime::from_unix_timestamp(secs as i64)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `at` in RFC 3339, UTC, whole seconds.
pub fn rfc3339_of(at: OffsetDateTime) -> String {
    rfc3339(at.unix_timestamp().max(0) as u64)
}

/// Kyrgyzstan's offset from UTC (GMT+6, no daylight saving).
pub fn bishkek_offset() -> UtcOffset {
    UtcOffset::from_hms(6, 0, 0).expect("GMT+6 is a valid offset")
}

/// Today in Bishkek: the date every rule about "past" and "expired" uses.
pub fn today_in_bishkek() -> Date {
    OffsetDateTime::now_utc().to_offset(bishkek_offset()).date()
}
