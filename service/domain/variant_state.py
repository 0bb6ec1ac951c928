"""Whether an article variant is ``complete``, ``stale`` or ``incomplete``, recorded in its catalog.

A variant that was complete once stays published when its source changes: the catalog
remembers, in header fields that travel with the file, when it first became complete
(``X-Completed``) and since when it has been out of step with its source (``X-Stale-Since``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import polib

from .counting import is_fully_translated, messages

COMPLETED_HEADER = "X-Completed"
STALE_SINCE_HEADER = "X-Stale-Since"
#: When the original last changed under a translation that has caught up since: ``X-Stale-Since``
#: goes when the translation is complete again, this stays (the original's "Updated" date).
ORIGINAL_UPDATED_HEADER = "X-Original-Updated"


class VariantState(StrEnum):
    """The state of an article in one language (its value is what JSON, CSV and the history say)."""

    COMPLETE = "complete"
    STALE = "stale"
    INCOMPLETE = "incomplete"


COMPLETE, STALE, INCOMPLETE = VariantState.COMPLETE, VariantState.STALE, VariantState.INCOMPLETE
PUBLISHED_STATES = (COMPLETE, STALE)
#: The history's action for a catalog-level row: a variant changing state (entry id "").
TRANSITION_ACTION = "state"


@dataclass(frozen=True)
class Transition:
    """A variant moving from one state to another: which catalog, from what, to what, when."""

    language: str
    domain: str
    old: str
    new: str
    at: datetime


def is_complete(catalog: polib.POFile) -> bool:
    """Tell whether every message is translated in every form and none is fuzzy."""
    return all(is_fully_translated(entry) for entry in messages(catalog))


def variant_state(catalog: polib.POFile) -> VariantState:
    """Return the state of the variant this catalog holds."""
    if is_complete(catalog):
        return COMPLETE
    if COMPLETED_HEADER in catalog.metadata:
        return STALE
    return INCOMPLETE


def state_change(language: str, domain: str, old: str | None, new: str | None, at: datetime) -> Transition | None:
    """Return the transition from ``old`` to ``new`` state, ``None`` when nothing changed (or there was no variant)."""
    if old is None or new is None or old == new:
        return None
    return Transition(language, domain, old, new, at)


def format_timestamp(moment: datetime) -> str:
    """Write ``moment`` as the header fields hold it (ISO 8601, minutes, with offset)."""
    return moment.isoformat(timespec="minutes")


def parse_timestamp(value: str | None) -> datetime | None:
    """Read a header timestamp back; ``None`` when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def record_state(catalog: polib.POFile, now: datetime) -> None:
    """Update the catalog's state headers after its entries changed at ``now``."""
    if is_complete(catalog):
        catalog.metadata.setdefault(COMPLETED_HEADER, format_timestamp(now))
        stale_since = catalog.metadata.pop(STALE_SINCE_HEADER, None)
        earlier = parse_timestamp(catalog.metadata.get(ORIGINAL_UPDATED_HEADER))
        moment = parse_timestamp(stale_since)
        if moment is not None and (earlier is None or moment > earlier):
            catalog.metadata[ORIGINAL_UPDATED_HEADER] = stale_since  # type: ignore[assignment]
    elif COMPLETED_HEADER in catalog.metadata:
        catalog.metadata.setdefault(STALE_SINCE_HEADER, format_timestamp(now))
