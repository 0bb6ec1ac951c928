"""Translations are untrusted text: long, crafted input must be read in linear time by every check.

Each pattern below made one of the regular expressions rescan the rest of the text from every
position (quadratic: minutes for 100 KB, one request blocking a worker past its timeout). The
behaviour tests pin down the bounded patterns; the 100 KB battery runs every check and the
renderer on each input, as a reader or translator could send it.
"""
from __future__ import annotations

import pytest

from service.domain.checks import python_placeholders, run_checks, stray_percents
from service.domain.language_guess import prose
from service.domain.numbers import numbers, strip_urls
from service.domain.markup import find_markup_problems, render_inline, strip_markup

SIZE = 99_000  # just within checks.MAX_LENGTH: longer text is refused unread
PATHOLOGICAL = {
    "mapping keys that never close": "%(",
    "zero flags that never end in a type": "%0",
    "tags that never close": "<",
    "tag names that never close": "<a ",
    "link targets that never close": "](",
    "groups of three digits": "000 ",
    "emphasis markers": "*a",
    "link brackets": "[x](",
    "autolinks that never close": "<ab:",
    "Ukrainian apostrophes": "п’я",
    "Russian spellings": "линия ",
}


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_every_check_and_the_renderer_read_100_kb_of_crafted_text(unit):
    text = "1 " + unit * (SIZE // len(unit))
    for language in ("uk", "en"):
        results = run_checks("Текст на %(count)s слів, 12 з них [тут](https://example.com).", text, language=language)
        assert results  # the crafted text fails checks; what matters is that the answer comes
    render_inline(text)
    find_markup_problems(text)
    strip_markup(text)
    numbers(text)


def test_a_mapping_key_stops_at_the_next_percent_sign():
    # GNU msgfmt finds no key "%(name" here either: the first "%(" starts no placeholder.
    assert python_placeholders("%(%(name)s") == ["%(name)s"]
    assert stray_percents("%(%(name)s") == 1


def test_a_tag_stops_at_the_next_angle_bracket():
    assert prose("<a <b>text") == "<a  text"


def test_a_link_target_stops_at_the_next_bracket():
    assert strip_urls("[a](x [b](https://example.com/1)") == "[a](x [b "


def test_digit_groups_still_join_into_one_number():
    assert numbers("1 000 000 000 and 12 345,5 or 7 8") == [{"1000000000"}, {"12345.5"}, {"7"}, {"8"}]
