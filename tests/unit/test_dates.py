from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from service.domain.dates import format_ago, format_date_only, format_moment

LATE_EVENING_UTC = datetime(2026, 11, 24, 22, 40, tzinfo=timezone.utc)


@pytest.mark.parametrize("language, expected", [
    ("uk", "25 листопада 2026\u202fр., 00:40"),
    ("en", "November 25, 2026, 12:40\u202fAM"),
])
def test_late_evening_utc_is_already_the_next_day_in_kyiv(language, expected):
    assert format_moment(LATE_EVENING_UTC, language, "Europe/Kyiv") == expected


def test_the_spec_examples():
    moment = datetime(2024, 6, 25, 14, 30, tzinfo=timezone(timedelta(hours=3)))
    assert format_moment(moment, "uk", "Europe/Kyiv") == "25 червня 2024\u202fр., 14:30"
    assert format_moment(moment, "en", "Europe/Kyiv") == "June 25, 2024, 2:30\u202fPM"


def test_the_date_follows_the_time_zone_setting():
    assert format_date_only(LATE_EVENING_UTC, "en", "Europe/Kyiv") == "November 25, 2026"
    assert format_date_only(LATE_EVENING_UTC, "en", "America/New_York") == "November 24, 2026"
    assert format_moment(LATE_EVENING_UTC, "uk", "UTC") == "24 листопада 2026\u202fр., 22:40"


@pytest.mark.parametrize("elapsed, uk, en", [
    (timedelta(hours=2), "2 години тому", "2 hours ago"),
    (timedelta(hours=5), "5 годин тому", "5 hours ago"),
    (timedelta(minutes=1), "1 хвилину тому", "1 minute ago"),
    (timedelta(days=21), "3 тижні тому", "3 weeks ago"),
])
def test_relative_dates(elapsed, uk, en):
    now = LATE_EVENING_UTC + elapsed
    assert format_ago(LATE_EVENING_UTC, now, "uk") == uk
    assert format_ago(LATE_EVENING_UTC, now, "en") == en


def test_a_moment_in_the_future_is_not_in_the_future():
    assert format_ago(LATE_EVENING_UTC + timedelta(minutes=3), LATE_EVENING_UTC, "en") == "1 second ago"
