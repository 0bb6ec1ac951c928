"""Where a redirect may go: only to a path on this site, never to another host."""
from __future__ import annotations

from urllib.parse import urlsplit

#: Longest ``next`` accepted; anything longer is not a link this site made.
MAX_TARGET_LENGTH = 2048


def local_path(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site (``/uk/articles/x?page=2``), else ``None``.

    Refuses scheme-relative ``//host``, ``/\\host`` (browsers read ``\\`` as ``/``), absolute
    URLs, and control characters (browsers drop tabs and newlines, turning ``/\\t/host`` into
    ``//host``).
    """
    if not target or len(target) > MAX_TARGET_LENGTH or not target.startswith("/"):
        return None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target) or "\\" in target:
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
