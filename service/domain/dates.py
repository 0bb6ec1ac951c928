"""Dates as each language writes them, in the newsroom's time zone (Babel/CLDR)."""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta, get_datetime_format, get_timezone_location


@lru_cache(maxsize=64)
def babel_locale(language: str) -> Locale:
    """Return Babel's locale for a language code such as ``uk``, ``en`` or ``pt_BR``."""
    return Locale.parse(language)


def local_moment(moment: datetime, timezone: str) -> datetime:
    """Return the aware ``moment`` as the clock in ``timezone`` shows it."""
    return moment.astimezone(ZoneInfo(timezone))


def format_moment(moment: datetime, language: str, timezone: str) -> str:
    """Write ``moment`` as CLDR's long date and short time, joined by the locale's date-time pattern.

    Both the date and the time are taken in ``timezone``: 2026-11-24T22:40Z is 25 November in Kyiv.
    """
    locale = babel_locale(language)
    local = local_moment(moment, timezone)
    date = format_date(local.date(), "long", locale=locale)
    time = format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    pattern = str(get_datetime_format("long", locale=locale))
    return pattern.replace("'", "").replace("{0}", time).replace("{1}", date)


def format_date_only(moment: datetime, language: str, timezone: str) -> str:
    """Write the day of ``moment`` in ``timezone`` as CLDR's long date."""
    return format_date(local_moment(moment, timezone).date(), "long", locale=babel_locale(language))


def format_ago(moment: datetime, now: datetime, language: str) -> str:
    """Say how long ago ``moment`` was (``2 години тому``); a moment ahead of ``now`` (clock skew) counts as a second ago."""
    elapsed = min(moment - now, -timedelta(seconds=1))
    return format_timedelta(elapsed, add_direction=True, locale=babel_locale(language))


@lru_cache(maxsize=64)
def format_time_zone(language: str, timezone: str) -> str:
    """Name ``timezone`` the way CLDR's location format does in ``language`` (``Ukraine (Kyiv) Time``)."""
    return get_timezone_location(ZoneInfo(timezone), locale=babel_locale(language))
