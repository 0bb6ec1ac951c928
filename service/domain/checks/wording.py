"""Words that several checks put into their messages."""
from __future__ import annotations

from ..interface_text import N_

#: The word for "none" in messages: no final punctuation, no HTML tags.
NONE = N_("none")
