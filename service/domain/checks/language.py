"""The ``language`` check: the translation is in the catalog's language, not in another one."""
from __future__ import annotations

from typing import Iterator

from ..language_guess import LETTERS_OF_SCRIPT, detect_language
from ..interface_text import N_, LanguageName, Message
from .base import Level, check

#: What a translation in a script but no telling language looks like, by script.
_TEXT_IN_SCRIPT = {"Cyrillic": N_("text in Cyrillic letters"), "Latin": N_("text in Latin letters")}
CYRILLIC_LANGUAGES = {"uk", "ru", "be", "bg", "mk", "sr", "kk"}
_LATIN_LANGUAGES = {"en", "de", "fr", "es", "it", "pl", "cs", "pt", "nl", "sv", "da", "no", "fi", "et", "lv", "lt"}


def _script_of(language: str) -> str | None:
    if language in CYRILLIC_LANGUAGES:
        return "Cyrillic"
    if language in _LATIN_LANGUAGES:
        return "Latin"
    return None


@check("language", N_("language"), Level.WARNING)
def check_language(translation: str, language: str) -> Iterator[Message]:
    """Warn when the translation looks like another language than the catalog's; say which language was seen."""
    base = language.split("_")[0]
    guess = detect_language(translation, expected=base)
    expected_script = _script_of(base)
    seen: str
    evidence = guess.evidence
    if guess.script and expected_script and guess.script != expected_script:
        if guess.language and guess.language != base:
            seen = LanguageName(guess.language)
        else:
            # Only the letters are wrong: no language told, or the catalog's own (langdetect reads the
            # Cyrillic minority of Ukrainian full of names left in Latin letters as Ukrainian), which
            # would read "looks like Ukrainian, not Ukrainian".
            seen, evidence = Message(_TEXT_IN_SCRIPT[guess.script]), Message(LETTERS_OF_SCRIPT[guess.script])
    elif guess.language and guess.language != base:
        seen = LanguageName(guess.language)
    else:
        return
    yield Message(N_("the translation looks like %(seen)s, not %(expected)s (seen: %(evidence)s)"),
                  seen=seen, expected=LanguageName(base), evidence=evidence)
