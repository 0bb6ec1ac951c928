"""Texts that machines read in English and people read in their language: a template and its values.

A :class:`Message` *is* the English text (a ``str``): JSON answers, the CLI and comparisons
see plain English and stay stable. It also remembers the msgid it was made from and the
values filled into it, so a web page can translate the msgid and fill in the same values
(:func:`service.web.i18n.translate_message`). No Flask here: the quality checks use it.
"""
from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for extraction into ``messages.pot``; translate it where it is shown."""
    return message


class Message(str):
    """English text made from ``template % params``; a parameter may itself be a :class:`Message`."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        text = super().__new__(cls, template % params)
        text.template = template
        text.params = params
        return text
