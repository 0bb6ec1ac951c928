"""When a process writes a cache it keeps in ``INSTANCE_DIR`` for the next one (figures, front matter).

Such a file is rewritten whole, so writing it after every change would cost more than the
reading it saves. It is written when something is new, at most once a minute — and sooner
while the new entries are at least as many as the file held: a first front page reads one
folder, then the next, and the file should hold them all. Each early write is then no
bigger than twice the reading it saves.
"""
from __future__ import annotations

import time

#: Seconds between two writes of such a file by one process (unless much is new).
REMEMBER_EVERY = 60


class RememberPace:
    """Decide when a remembered cache file is due to be written again."""

    def __init__(self, every: float = REMEMBER_EVERY) -> None:
        self.every = every
        self._last: tuple[float, int, int] | None = None  # when, after how many news, how many entries

    def due(self, news: int, entries: int) -> bool:
        """Tell whether to write ``entries`` entries now, ``news`` loads and writes since the process began.

        A ``True`` answer counts as the write.
        """
        now, last = time.monotonic(), self._last
        if last is None and news == 0:
            return False  # everything came from the file: nothing to add to it
        if last is not None and (news == last[1] or (now - last[0] < self.every and news - last[1] < last[2])):
            return False
        self._last = (now, news, entries)
        return True
