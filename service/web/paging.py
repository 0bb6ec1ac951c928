"""Pages of a long list: how many there are and which one ``?page=`` asks for."""
from __future__ import annotations

import math
import re

from flask import request

#: A page number is 1 to 6 ASCII digits: ``²``, `` 2``, ``-1`` and 5,000 nines are not page numbers.
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")


def page_count(items: int, size: int) -> int:
    """Return how many pages of ``size`` hold ``items`` (at least one, empty)."""
    return max(1, math.ceil(items / size))


def requested_page() -> int | None:
    """Return the number ``?page=`` gives (1 when absent), ``None`` when it is not a page number."""
    text = request.args.get("page", "1")
    return int(text) if _PAGE_NUMBER.fullmatch(text) else None


def clamped_page(pages: int) -> int:
    """Return the page ``?page=`` asks for, moved into 1…``pages``; page 1 for anything but a number."""
    return min(max(requested_page() or 1, 1), pages)
