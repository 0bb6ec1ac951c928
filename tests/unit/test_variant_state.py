"""The state headers a catalog carries: complete once, stale since, and when the original last changed."""
from __future__ import annotations

from datetime import UTC, datetime

import polib

from service.domain.variant_state import record_state

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _catalog(msgstr: str, fuzzy: bool, **headers: str) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", **headers}
    catalog.append(polib.POEntry(msgid="Рада", msgstr=msgstr, flags=["fuzzy"] if fuzzy else []))
    return catalog


def test_a_translation_falling_out_of_step_is_stale_since_then():
    catalog = _catalog("Council", fuzzy=True, **{"X-Completed": "2026-11-01T09:00+00:00"})
    record_state(catalog, NOW)
    assert catalog.metadata["X-Stale-Since"] == "2026-12-01T10:00+00:00"
    assert "X-Original-Updated" not in catalog.metadata


def test_catching_up_keeps_when_the_original_changed_the_latest_of_every_time():
    catalog = _catalog("Council", fuzzy=False, **{"X-Completed": "2026-11-01T09:00+00:00",
                                                  "X-Stale-Since": "2026-11-25T09:10+02:00",
                                                  "X-Original-Updated": "2026-11-10T08:00+00:00"})
    record_state(catalog, NOW)
    assert "X-Stale-Since" not in catalog.metadata
    assert catalog.metadata["X-Original-Updated"] == "2026-11-25T09:10+02:00"
    catalog.metadata["X-Stale-Since"] = "2026-11-05T00:00+00:00"  # an older moment never replaces a newer one
    record_state(catalog, NOW)
    assert catalog.metadata["X-Original-Updated"] == "2026-11-25T09:10+02:00"
