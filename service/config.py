"""Settings: defaults in code, overridden by ``L10N_*`` environment variables and ``test_config``."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from .domain.names import is_valid_language

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "L10N_"

#: Settings that hold a list, written ``uk,en`` in the environment.
LIST_SETTINGS = {"LANGUAGES", "TRUSTED_HOSTS"}
#: Settings that hold a directory path, relative to the project root unless absolute.
PATH_SETTINGS = {"CONTENT_DIR", "LOCALES_DIR", "INSTANCE_DIR"}
#: Settings that hold a whole number.
INT_SETTINGS = {"READER_PAGE_SIZE", "READER_MAX_AGE", "MAX_CONTENT_LENGTH", "PROXIES", "BATCH_NICENESS"}
#: Settings that hold a number of seconds, fractions allowed.
FLOAT_SETTINGS = {"ARCHIVE_CHECK_EVERY", "ARCHIVE_REVALIDATE_EVERY", "COVERAGE_REVALIDATE_EVERY"}
#: Settings that are on or off, written ``1``/``0`` (or ``true``/``false``, ``yes``/``no``) in the environment.
BOOL_SETTINGS = {"READERS_ONLY"}
#: The smallest value of each numeric setting that has a meaning (no page of 0 articles, no negative seconds or bytes).
MINIMA = {"READER_PAGE_SIZE": 1, "READER_MAX_AGE": 0, "MAX_CONTENT_LENGTH": 1,
          "ARCHIVE_CHECK_EVERY": 0, "ARCHIVE_REVALIDATE_EVERY": 0, "COVERAGE_REVALIDATE_EVERY": 0}

DEFAULTS: dict[str, Any] = {
    "LANGUAGES": ["uk", "en"],
    "DEFAULT_LANGUAGE": "uk",
    "TIMEZONE": "Europe/Kyiv",
    "CONTENT_DIR": "content",
    "LOCALES_DIR": "locales",
    "INSTANCE_DIR": "instance",
    "SECRET_KEY": None,
    "READER_PAGE_SIZE": 10,  # articles per front page
    "READER_MAX_AGE": 60,  # seconds a shared cache may keep a reader page
    # Front pages list the archive from an index, not the folders: a write by this process is seen
    # at once, a file created, renamed or removed by another process or by hand (an atomic save,
    # git pull, rsync) within ARCHIVE_CHECK_EVERY seconds (folder mtimes), a file rewritten in
    # place within ARCHIVE_REVALIDATE_EVERY seconds (a full listing). Article pages see every
    # change on the next request.
    "ARCHIVE_CHECK_EVERY": 1.0,
    "ARCHIVE_REVALIDATE_EVERY": 10.0,
    # l10n coverage prints its last output again while no catalog folder, UI catalog or history row
    # changed (see storage/remembered_coverage.py); a catalog rewritten in place from outside,
    # which changes no folder, is looked for when the last look is older than this (seconds; 0: every run).
    "COVERAGE_REVALIDATE_EVERY": 60.0,
    "MAX_CONTENT_LENGTH": 9 * 1024 * 1024,  # bytes of a request body (an 8 MB PO upload plus form overhead); more is 413
    # Host names the site answers to (others get 400): reader pages are cached with absolute links
    # (hreflang, canonical) built from the request's Host. None answers any host (development).
    "TRUSTED_HOSTS": None,
    # How many reverse proxies in front of the server add X-Forwarded-For/-Proto/-Host. Their
    # last N entries are believed: the reader's address (login throttling), https, the host.
    # 0 believes none: behind a proxy every reader would seem to come from its address.
    "PROXIES": 0,
    # A reader replica (l10n serve --readers-only): reader pages, /healthz and static files only,
    # and nothing written (no accounts, no secret key file, no statistics). Edits go to one host.
    "READERS_ONLY": False,
    # Where a replica sends the workspace, dashboard, API and login (e.g. https://edit.news.example);
    # None answers them 404 with a pointer to this setting.
    "EDITING_HOST": None,
    # How account passwords are hashed (a Werkzeug method: "scrypt", "pbkdf2:sha256:600000"…).
    # Slow on purpose; only the tests set a cheap one ("pbkdf2:sha256:1") to save their time.
    # Existing hashes keep working whatever this says: each hash names its own method.
    "PASSWORD_HASH_METHOD": "scrypt",
    # How far `l10n extract`, `update`, `compile`, `check` and `coverage` lower their own CPU
    # priority (os.nice, 0-19) before working, so the server's workers keep the CPU while one
    # runs on the same machine. 0 runs them at the priority they were started with.
    "BATCH_NICENESS": 10,
}


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _coerce(name: str, value: Any) -> Any:
    if name in LIST_SETTINGS and isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if name in INT_SETTINGS and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if name in FLOAT_SETTINGS and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{name} must be a number of seconds, not {value!r}") from None
    if name in BOOL_SETTINGS and isinstance(value, str):
        text = value.strip().lower()
        if text not in _TRUE + _FALSE:
            raise ValueError(f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {value!r}")
        return text in _TRUE
    if name in PATH_SETTINGS and value is not None:
        path = Path(value)
        return path if path.is_absolute() else PROJECT_ROOT / path
    return value


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the settings: defaults, then ``L10N_<NAME>`` variables, then ``overrides``."""
    environ = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    for name, default in DEFAULTS.items():
        value = environ.get(ENV_PREFIX + name, default)
        settings[name] = _coerce(name, value)
    for name, value in (overrides or {}).items():
        settings[name] = _coerce(name, value)
    for language in settings["LANGUAGES"]:
        if not is_valid_language(language):
            raise ValueError(f"LANGUAGES: {language!r} is not a language code such as uk, en or pt_BR")
        try:
            Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            raise ValueError(f"LANGUAGES: {language!r} is not a language Babel/CLDR knows") from None
    if not settings["LANGUAGES"]:
        raise ValueError("LANGUAGES is empty")
    repeated = sorted({language for language in settings["LANGUAGES"] if settings["LANGUAGES"].count(language) > 1})
    if repeated:
        raise ValueError(f"LANGUAGES names {', '.join(repeated)} more than once")
    try:
        ZoneInfo(settings["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"TIMEZONE {settings['TIMEZONE']!r} is not a known time zone") from None
    for name, least in MINIMA.items():
        if settings[name] < least:
            raise ValueError(f"{name} must be at least {least}, not {settings[name]!r}")
    if not 0 <= settings["PROXIES"] <= 10:
        raise ValueError(f"PROXIES must be a whole number from 0 to 10, not {settings['PROXIES']!r}")
    if not 0 <= settings["BATCH_NICENESS"] <= 19:
        raise ValueError(f"BATCH_NICENESS must be a whole number from 0 to 19, not {settings['BATCH_NICENESS']!r}")
    if settings["EDITING_HOST"] is not None:
        settings["EDITING_HOST"] = settings["EDITING_HOST"].rstrip("/") or None
        if settings["EDITING_HOST"] and not re.fullmatch(r"https?://[^/?#\s]+", settings["EDITING_HOST"]):
            raise ValueError(f"EDITING_HOST must be an http(s) URL without a path, such as "
                             f"https://edit.news.example, not {settings['EDITING_HOST']!r}")
    if str(settings["PASSWORD_HASH_METHOD"]).split(":")[0] not in ("scrypt", "pbkdf2"):
        raise ValueError(f"PASSWORD_HASH_METHOD must be a Werkzeug method such as scrypt or pbkdf2:sha256, "
                         f"not {settings['PASSWORD_HASH_METHOD']!r}")
    if settings["DEFAULT_LANGUAGE"] not in settings["LANGUAGES"]:
        raise ValueError(
            f"DEFAULT_LANGUAGE {settings['DEFAULT_LANGUAGE']!r} is not one of "
            f"LANGUAGES {settings['LANGUAGES']!r}"
        )
    return settings
