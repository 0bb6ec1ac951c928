"""The newsroom's article categories: keys used in sources, display names as UI strings."""
from __future__ import annotations

from .interface_text import N_

#: Category key (as written in a source's front matter) → English display name (a msgid).
CATEGORIES: dict[str, str] = {
    "politics": N_("Politics"),
    "economy": N_("Economy"),
    "society": N_("Society"),
    "culture": N_("Culture"),
    "science": N_("Science"),
    "sport": N_("Sport"),
    "world": N_("World"),
}
